/**
 * Claiming on PostgreSQL: the due rows are picked in a CTE with `FOR UPDATE SKIP LOCKED`, so
 * any number of nodes claim concurrently without waiting for or double-taking each other's
 * rows (graphile-worker's getJobs), then leased and counted in the same statement.
 */
import { type Kysely, sql } from 'kysely';
import type { ClaimArgs, ClaimedJob, ClaimedTimerStart } from '../job-rows.js';
import type { Database } from '../schema.js';

/**
 * With `timerLimit`, up to `limit` connector jobs and, apart from them, up to `timerLimit`
 * timers (a timer does no I/O, so a worker takes them in larger batches); without it, up to
 * `limit` jobs of either kind.
 */
export async function claimJobs(db: Kysely<Database>, a: ClaimArgs): Promise<ClaimedJob[]> {
  const due = sql`run_at <= ${a.now} and (locked_until is null or locked_until <= ${a.now})`;
  // FOR UPDATE is not allowed under UNION: each kind is picked in its own CTE.
  const picked =
    a.timerLimit === undefined
      ? sql`due as (
      select issue_id, seq from job where ${due}
      order by run_at limit ${a.limit}
      for update skip locked)`
      : sql`jobs as (
      select issue_id, seq from job where kind <> 'timer' and ${due}
      order by run_at limit ${a.limit}
      for update skip locked),
    timers as (
      select issue_id, seq from job where kind = 'timer' and ${due}
      order by run_at limit ${a.timerLimit}
      for update skip locked),
    due as (select issue_id, seq from jobs union all select issue_id, seq from timers)`;
  const { rows } = await sql<ClaimedJob>`
    with ${picked}
    update job j set locked_by = ${a.workerId}, locked_until = ${a.leaseUntil}, attempts = j.attempts + 1
    from due where j.issue_id = due.issue_id and j.seq = due.seq
    returning j.issue_id, j.seq, j.workspace_id, j.kind, j.node, j.payload, j.run_at, j.attempts, j.max_attempts, j.idempotency_key`.execute(
    db,
  );
  return rows;
}

export async function claimTimerStarts(db: Kysely<Database>, a: ClaimArgs): Promise<ClaimedTimerStart[]> {
  const { rows } = await sql<ClaimedTimerStart>`
    with due as (
      select app_id, node from timer_start
      where next_at is not null and next_at <= ${a.now} and (locked_until is null or locked_until <= ${a.now})
      order by next_at limit ${a.limit}
      for update skip locked)
    update timer_start t set locked_by = ${a.workerId}, locked_until = ${a.leaseUntil}
    from due where t.app_id = due.app_id and t.node = due.node
    returning t.app_id, t.node, t.workspace_id, t.app_version_id, t.spec, t.time_zone, t.armed_at, t.next_at, t.last_fired_at, t.fired`.execute(
    db,
  );
  return rows;
}
