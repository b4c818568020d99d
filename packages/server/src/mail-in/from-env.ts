import type { FastifyBaseLogger } from 'fastify';
import type { FileStore } from '../files/file-store.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Store } from '../store/database.js';
import type { MailIn } from './mail-in-server.js';

/** As in mail-in-server.ts, which is loaded only when mail is on. */
const MAIL_IN_PORT_ENV = 'NAGARE_MAIL_IN_PORT';

export const MAIL_IN_HOST_ENV = 'NAGARE_MAIL_IN_HOST';

/**
 * The mail listener of `nagare serve`, when `NAGARE_MAIL_IN_PORT` is set (host
 * `NAGARE_MAIL_IN_HOST`, default 0.0.0.0). A port that cannot be opened is logged, not fatal:
 * the rest of the server keeps working.
 */
export async function startMailInFromEnv(
  runtime: Runtime,
  store: Store,
  fileStore: FileStore | undefined,
  log: FastifyBaseLogger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MailIn | undefined> {
  const text = env[MAIL_IN_PORT_ENV]?.trim();
  if (!text) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log.error(`${MAIL_IN_PORT_ENV} must be a port number, got "${text}": mail start events are off`);
    return undefined;
  }
  try {
    const { startMailIn } = await import('./mail-in-server.js');
    const mailIn = await startMailIn({
      runtime,
      store,
      ...(fileStore ? { fileStore } : {}),
      port,
      host: env[MAIL_IN_HOST_ENV]?.trim() || '0.0.0.0',
      log: (entry) => log.info(entry, 'mail in'),
    });
    log.info({ port: mailIn.port }, 'mail start events listening');
    return mailIn;
  } catch (error) {
    log.error({ err: error }, `mail start events: cannot listen on port ${port}`);
    return undefined;
  }
}
