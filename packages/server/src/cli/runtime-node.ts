import { resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { startCredentialPurge } from '../api/auth/purge-schedule.js';
import type { NodeRole } from '../api/node-info.js';
import { defaultConnectors } from '../connectors/index.js';
import type { FileStore } from '../files/file-store.js';
import { startMailInFromEnv } from '../mail-in/from-env.js';
import { createRuntime, type Runtime } from '../runtime/runtime.js';
import type { WorkerEvent } from '../runtime/worker.js';
import { DEFAULT_DATA_DIR } from '../store/config.js';
import type { Store } from '../store/database.js';
import { connectorDepsFromEnv } from './connector-deps.js';

/** How often a worker node purges history older than the retention period. */
const PURGE_EVERY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

export interface RuntimeNode {
  readonly runtime: Runtime;
  /** Where attachments live: the same store for the API and the connectors. */
  readonly files?: FileStore | undefined;
  close(): Promise<void>;
}

/**
 * The runtime of one `nagare serve` process. Every role can run commands (the API needs
 * them); `worker` and `all` also run a worker (jobs, timers, Timer Starts) and, with a
 * retention period, the hourly purge; `api` and `all` purge expired credentials. Nodes need
 * no coordinator: claims are leased rows, purges idempotent deletes.
 */
export function startRuntime(
  store: Store,
  options: {
    role: NodeRole;
    retentionDays?: number | undefined;
    log: FastifyBaseLogger;
    dataDir?: string | undefined;
  },
): RuntimeNode {
  const deps = connectorDepsFromEnv(store, {
    dataDir: resolve(options.dataDir ?? DEFAULT_DATA_DIR),
    log: options.log,
  });
  const runtime = createRuntime(store, { connectors: defaultConnectors(deps) });
  const log = options.log;
  const mailIn = startMailInFromEnv(runtime, store, deps.fileStore, log);
  // Nodes that serve the API delete expired sessions, OAuth codes and tokens every 15 minutes
  // (on many nodes at once too: the deletes are idempotent).
  const credentials = options.role === 'worker' ? undefined : startCredentialPurge(store.db, { log });
  let purgeTimer: NodeJS.Timeout | undefined;
  if (options.role !== 'api') {
    runtime.createWorker({ onEvent: (event) => logEvent(log, event) }).start();
    const days = options.retentionDays;
    if (days !== undefined) {
      const purge = async () => {
        try {
          for (;;) {
            const { issues } = await runtime.purge({ endedBefore: Date.now() - days * DAY_MS });
            if (issues === 0) break;
            log.info({ issues }, 'purged the history of ended issues');
          }
        } catch (error) {
          log.error({ err: error }, 'retention purge failed');
        }
      };
      void purge();
      purgeTimer = setInterval(purge, PURGE_EVERY_MS);
      purgeTimer.unref();
    }
  }
  return {
    runtime,
    files: deps.fileStore,
    async close() {
      clearInterval(purgeTimer);
      await credentials?.stop();
      await (await mailIn)?.close();
      deps.mail?.close?.();
      await runtime.close();
    },
  };
}

function logEvent(log: FastifyBaseLogger, event: WorkerEvent): void {
  switch (event.type) {
    case 'error':
      log.error({ err: event.error }, 'worker error');
      break;
    case 'job:failed':
      log.warn(
        { issue: event.job.issue_id, seq: event.job.seq, node: event.job.node, error: event.error },
        'job failed',
      );
      break;
    case 'job:retry':
      log.info(
        { issue: event.job.issue_id, seq: event.job.seq, runAt: event.runAt, error: event.error },
        'job retry',
      );
      break;
    case 'job:refused':
      log.info({ issue: event.job.issue_id, seq: event.job.seq, code: event.code }, 'job result refused');
      break;
    default:
      break;
  }
}
