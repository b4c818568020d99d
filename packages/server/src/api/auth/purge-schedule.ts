import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { type PurgedCredentials, purgeExpiredCredentials } from './purge.js';

/** How often `nagare serve` deletes expired sessions, OAuth codes and tokens. */
export const CREDENTIAL_PURGE_EVERY_MS = 15 * 60_000;

export interface CredentialPurgeOptions {
  /** Between runs; default 15 minutes. The first run is at once. */
  readonly everyMs?: number;
  readonly now?: () => Date;
  readonly log?: {
    info(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

export interface CredentialPurge {
  /** Runs a purge now (or joins the one running); undefined when stopped or it failed (logged). */
  runOnce(): Promise<PurgedCredentials | undefined>;
  /** No further runs; resolves once a run in flight has finished, so the store can close. */
  stop(): Promise<void>;
}

/**
 * Deletes expired credentials now and then every `everyMs`, on every API node. Nodes need not
 * agree on who does it: the deletes are idempotent (`expires_at <= now`), so two nodes purging
 * at once delete each row once between them and each finds the rest gone. One run at a time per
 * node; a failure is logged and the next run tries again.
 */
export function startCredentialPurge(
  db: Kysely<Database>,
  options: CredentialPurgeOptions = {},
): CredentialPurge {
  const everyMs = options.everyMs ?? CREDENTIAL_PURGE_EVERY_MS;
  const now = options.now ?? (() => new Date());
  let running: Promise<PurgedCredentials | undefined> | undefined;
  let stopped = false;

  const runOnce = (): Promise<PurgedCredentials | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    running ??= purgeExpiredCredentials(db, now())
      .then(
        (purged) => {
          if (purged.sessions + purged.codes + purged.tokens > 0) {
            options.log?.info({ ...purged }, 'purged expired sessions and OAuth codes and tokens');
          }
          return purged;
        },
        (error: unknown) => {
          options.log?.error({ err: error }, 'purging expired credentials failed');
          return undefined;
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  void runOnce();
  const timer = setInterval(() => void runOnce(), everyMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
