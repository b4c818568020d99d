import type { AddressInfo } from 'node:net';
import { NODE_ROLES, type NodeRole } from '../../api/node-info.js';
import { expectPositionals, parseCommandArgs, parsePort } from '../args.js';
import { EXIT, UsageError } from '../usage-error.js';

const HELP = `Usage: nagare serve [--port 8080] [--host 0.0.0.0] [--data-dir ./data] [--role all]

Migrates the database, then serves the web app and API and runs released apps (jobs,
timers, Timer Starts) until SIGINT or SIGTERM.
  --port      TCP port (0 picks a free one); default 8080
  --host      address to listen on; default 0.0.0.0 (every interface)
  --data-dir  where the SQLite database lives; default ./data (unused when DATABASE_URL is set)
  --role      api (HTTP only), worker (jobs and timers; HTTP only for health) or all; default all
`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** In-flight requests get this long to finish after SIGINT/SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

export async function serve(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('serve', args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    role: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  expectPositionals('serve', positionals, []);
  const port = parsePort(values.port ?? '8080');
  const host = values.host ?? '0.0.0.0';
  if (host.trim() === '') throw new UsageError('serve: --host must not be empty');
  const role = (values.role ?? 'all') as NodeRole;
  if (!NODE_ROLES.includes(role)) {
    throw new UsageError(`serve: invalid --role "${values.role}": expected one of ${NODE_ROLES.join(', ')}`);
  }
  const retentionDays = parseRetentionDays(process.env.NAGARE_RETENTION_DAYS);
  const level = process.env.NAGARE_LOG_LEVEL ?? 'warn';
  if (!LOG_LEVELS.includes(level)) {
    throw new UsageError(`invalid NAGARE_LOG_LEVEL "${level}": expected one of ${LOG_LEVELS.join(', ')}`);
  }

  // Loaded only now: a usage error above should not pay for Fastify and the database drivers.
  const [{ buildApp }, { openMigratedStore }, { nagareVersion }, { startRuntime }, { deferredLogger }] =
    await Promise.all([
      import('../../api/app.js'),
      import('../open-store.js'),
      import('../../version.js'),
      import('../runtime-node.js'),
      import('../deferred-log.js'),
    ]);
  const { store } = await openMigratedStore(values['data-dir']);
  // One runtime per process, shared by the API and the workers (two would conflict on the
  // same issues); it logs through the app's logger once the app exists.
  const logger = deferredLogger();
  const node = startRuntime(store, { role, retentionDays, log: logger.log, dataDir: values['data-dir'] });
  const app = await buildApp({
    store,
    role,
    logger: { level },
    workflow: { runtime: node.runtime, ...(node.files ? { files: node.files } : {}) },
  });
  logger.bind(app.log);
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    await node.close();
    await store.close();
    throw new Error(describeListenError(error, host, port));
  }
  const { port: actualPort } = app.server.address() as AddressInfo;
  // Listening for the signal before saying "ready": whoever reads that line may stop the
  // process at once, and a SIGTERM that came before the listener killed it outright
  // (test/cli/serve-runtime.test.ts failed so, about one run in ten).
  const stopped = nextSignal();
  process.stdout.write(
    `Nagare ${nagareVersion} ready at ${publicUrl(host, actualPort)} (${store.dialect}: ${store.location})\n`,
  );

  const signal = await stopped;
  process.stdout.write(`Nagare: ${signal} received, shutting down\n`);
  // A second signal, or a request that will not finish, ends the process without waiting.
  const force = setTimeout(() => process.exit(EXIT.failed), SHUTDOWN_GRACE_MS).unref();
  const forceOnSecondSignal = () => process.exit(EXIT.failed);
  process.once('SIGINT', forceOnSecondSignal).once('SIGTERM', forceOnSecondSignal);
  await app.close();
  await node.close();
  await store.close();
  clearTimeout(force);
  return EXIT.ok;
}

/** NAGARE_RETENTION_DAYS: purge the history of issues ended more than this many days ago; unset = keep. */
function parseRetentionDays(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const days = Number(text);
  if (!(Number.isFinite(days) && days > 0)) {
    throw new UsageError(`invalid NAGARE_RETENTION_DAYS "${text}": expected a positive number of days`);
  }
  return days;
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on).off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on).on('SIGTERM', on);
  });
}

/** The URL a person on this machine can open: 0.0.0.0 and :: are not addresses to browse to. */
function publicUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function describeListenError(error: unknown, host: string, port: number): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'EADDRINUSE') return `port ${port} is already in use (choose another with --port)`;
  if (code === 'EACCES') return `not allowed to listen on port ${port} (ports below 1024 need privileges)`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return `cannot listen on host "${host}": no such local address`;
  return `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
}
