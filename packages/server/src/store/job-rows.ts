/** A job as a worker claimed it: the lease is `locked_by` + `attempts` (the fence). */
export interface ClaimedJob {
  readonly issue_id: string;
  readonly seq: number;
  readonly workspace_id: string;
  readonly kind: 'job' | 'timer';
  readonly node: string;
  readonly payload: string | null;
  readonly run_at: string;
  /** Including this claim. */
  readonly attempts: number;
  readonly max_attempts: number;
  readonly idempotency_key: string;
}

export interface ClaimedTimerStart {
  readonly app_id: string;
  readonly node: string;
  readonly workspace_id: string;
  readonly app_version_id: string;
  readonly spec: string;
  readonly time_zone: string;
  readonly armed_at: string;
  readonly next_at: string | null;
  readonly last_fired_at: string | null;
  readonly fired: number;
}

export interface ClaimArgs {
  readonly workerId: string;
  readonly now: string;
  readonly leaseUntil: string;
  readonly limit: number;
  /**
   * Jobs only: also claim up to this many timers, apart from `limit` (timers do no I/O, so
   * they come in larger batches and do not count against connector concurrency).
   */
  readonly timerLimit?: number;
}
