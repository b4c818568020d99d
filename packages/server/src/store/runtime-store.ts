/**
 * What the runtime needs from the store, per dialect: the command-batch runner and the job
 * and timer-start claims (their SQL differs), and the wake-up channel. Everything else the
 * runtime does is dialect-agnostic Kysely (store/queries.ts).
 */
import type { BatchRunner } from '../runtime/command-executor.js';
import type { Store } from './database.js';
import type { ClaimArgs, ClaimedJob, ClaimedTimerStart } from './job-rows.js';
import { PostgresBatchRunner } from './postgres/postgres-batch.js';
import * as pgClaim from './postgres/postgres-claim.js';
import { listenForJobs } from './postgres/postgres-listen.js';
import { createPostgresPool } from './postgres-dialect.js';
import { SqliteBatchRunner } from './sqlite/sqlite-batch.js';
import { startCheckpointer } from './sqlite/sqlite-checkpointer.js';
import * as sqliteClaim from './sqlite/sqlite-claim.js';

export interface RuntimeStore {
  readonly runner: BatchRunner;
  /** Transactions in flight at once: SQLite has one writer, PostgreSQL takes a few. */
  readonly maxInFlight: number;
  claimJobs(args: ClaimArgs): Promise<ClaimedJob[]>;
  claimTimerStarts(args: ClaimArgs): Promise<ClaimedTimerStart[]>;
  /** Other nodes' wake-ups (PostgreSQL NOTIFY); SQLite has no other nodes. */
  listen(onWake: () => void): { close(): Promise<void> };
  /** Stops what the runtime started on the store (SQLite: the checkpointer thread). */
  close(): Promise<void>;
}

export function createRuntimeStore(store: Store): RuntimeStore {
  const native = store.native;
  if (native.dialect === 'sqlite') {
    const checkpointer = startCheckpointer(native.database);
    return {
      runner: new SqliteBatchRunner(native.database),
      maxInFlight: 1,
      claimJobs: (a) => sqliteClaim.claimJobs(store.db, a),
      claimTimerStarts: (a) => sqliteClaim.claimTimerStarts(store.db, a),
      listen: () => ({ close: async () => {} }),
      close: () => checkpointer.stop(),
    };
  }
  // Batches get their own pipelined connections (one per transaction in flight): their
  // statements go out together instead of one round trip each (postgres-batch.ts).
  const maxInFlight = 4;
  const batchPool = createPostgresPool(native.url, { max: maxInFlight, pipeline: true });
  return {
    runner: new PostgresBatchRunner(batchPool, { pipelined: true }),
    maxInFlight,
    claimJobs: (a) => pgClaim.claimJobs(store.db, a),
    claimTimerStarts: (a) => pgClaim.claimTimerStarts(store.db, a),
    listen: (onWake) => listenForJobs(native.url, onWake),
    close: () => batchPool.end(),
  };
}
