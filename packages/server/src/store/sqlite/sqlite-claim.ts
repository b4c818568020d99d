/**
 * Claiming on SQLite: one `UPDATE ... RETURNING` picks due rows whose lease is free (or ran
 * out), leases them and counts the attempt. SQLite has one writer at a time, so no two
 * claims can take the same row. Through Kysely (not the native handle) so a claim waits for
 * any Kysely transaction on the connection instead of joining it.
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
  const picked =
    a.timerLimit === undefined
      ? sql`select rowid from job where ${due} order by run_at limit ${a.limit}`
      : sql`select rowid from (select rowid from job where kind <> 'timer' and ${due} order by run_at limit ${a.limit})
        union all
        select rowid from (select rowid from job where kind = 'timer' and ${due} order by run_at limit ${a.timerLimit})`;
  const { rows } = await sql<ClaimedJob>`
    update job set locked_by = ${a.workerId}, locked_until = ${a.leaseUntil}, attempts = attempts + 1
    where rowid in (${picked})
    returning issue_id, seq, workspace_id, kind, node, payload, run_at, attempts, max_attempts, idempotency_key`.execute(
    db,
  );
  return rows;
}

export async function claimTimerStarts(db: Kysely<Database>, a: ClaimArgs): Promise<ClaimedTimerStart[]> {
  const { rows } = await sql<ClaimedTimerStart>`
    update timer_start set locked_by = ${a.workerId}, locked_until = ${a.leaseUntil}
    where rowid in (
      select rowid from timer_start
      where next_at is not null and next_at <= ${a.now} and (locked_until is null or locked_until <= ${a.now})
      order by next_at limit ${a.limit})
    returning app_id, node, workspace_id, app_version_id, spec, time_zone, armed_at, next_at, last_fired_at, fired`.execute(
    db,
  );
  return rows;
}
