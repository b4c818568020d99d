/**
 * WAL checkpoints off the commit path (T2). SQLite's automatic checkpoint runs inside the
 * COMMIT that crosses `wal_autocheckpoint` pages: it copies the WAL into the database file
 * and fsyncs both, on the runtime's only thread, while every caller of the batch waits. Here
 * a worker thread with its own connection runs `PRAGMA wal_checkpoint(PASSIVE)` every
 * `intervalMs`: a passive checkpoint never blocks the writer (it copies the frames committed
 * so far and leaves the rest to its next round), so it runs on the second core while the
 * runtime keeps committing.
 *
 * The writer's own automatic checkpoint stays on as a backstop, raised to `BACKSTOP_PAGES`
 * (16 MiB at 4 KiB pages; 64 MiB measured slower, ~13,000 vs ~16,000–19,500 S1 issues/s).
 * File growth: the WAL is rewritten from its start only when a write transaction begins after
 * a checkpoint that caught up completely. While the runtime is idle between batches the worker
 * catches up and the WAL restarts; under a sustained load batches follow each other too closely
 * for that, so the WAL grows to `BACKSTOP_PAGES`, where the writer's own checkpoint (mostly
 * copied by the worker already) completes and the WAL restarts: measured, the -wal file peaks
 * at the backstop size, and `journal_size_limit` truncates it back to that size after a reset.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

export const BACKSTOP_PAGES = 4_096;
const JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { timeout: 5000 });
let timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.postMessage('closed');
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Moves the WAL checkpoints of `db` (a file database in WAL mode) to a worker thread. */
export function startCheckpointer(db: BetterSqlite3.Database, intervalMs = 100): Checkpointer {
  if (db.memory || db.name === '') return { stop: async () => {} };
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  const require = createRequire(import.meta.url);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { module: require.resolve('better-sqlite3'), file: db.name, intervalMs },
  });
  worker.unref();
  worker.on('error', () => {});
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        // unref'd while it runs (it never keeps a process alive); waited for while it stops
        worker.ref();
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
