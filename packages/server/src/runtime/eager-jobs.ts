/**
 * Eager dispatch: a job that a command schedules for "now" is written already leased to a local
 * worker with room, and handed to it straight after the commit, so it costs no claim query (no
 * separate write transaction). Temporal calls this eager activity dispatch; Zeebe pushes jobs
 * to waiting workers the same way. The row, lease and fence are exactly what a claim would have
 * written, so a crash or a lost lease is handled as for any claimed job: the lease runs out and
 * another worker claims it again.
 */
import type { ClaimedJob } from '../store/job-rows.js';
import type { JobInsert } from './write-set.js';

export interface EagerSink {
  readonly workerId: string;
  readonly leaseMs: number;
  /** Reserves room for one job; false when the worker is full or stopping. */
  reserve(): boolean;
  /**
   * After a batch: it had reserved `reserved` slots; `jobs` were committed leased to this
   * worker (none when the transaction failed). Frees the rest and starts the jobs.
   */
  settle(reserved: number, jobs: readonly ClaimedJob[]): void;
}

/** The lease an eagerly dispatched job row is written with. */
export interface EagerLease {
  readonly lockedBy: string;
  readonly lockedUntil: string;
}

/** The jobs of committed inserts that were leased to `workerId` on the way in. */
export function eagerJobs(inserts: readonly JobInsert[], workerId: string): ClaimedJob[] {
  const jobs: ClaimedJob[] = [];
  for (const row of inserts) {
    if (row.locked_by !== workerId) continue;
    jobs.push({
      issue_id: row.issue_id,
      seq: row.seq,
      workspace_id: row.workspace_id,
      kind: row.kind,
      node: row.node,
      payload: row.payload,
      run_at: row.run_at,
      attempts: row.attempts,
      max_attempts: row.max_attempts,
      idempotency_key: row.idempotency_key,
    });
  }
  return jobs;
}
