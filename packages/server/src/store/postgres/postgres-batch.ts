/**
 * Runs a command batch (runtime/batch-program.ts) on PostgreSQL: one pooled connection, one
 * transaction, one statement per table for the whole batch. Rows go in as arrays through
 * `unnest` (graphile-worker's habit), so a batch of 200 starts is a handful of round trips
 * instead of a thousand. Version checks and job-lease fences compare the affected row count
 * with the rows sent.
 *
 * `now` is never SQL `now()`: every timestamp is bound from the runtime's clock.
 */
import type pg from 'pg';
import type {
  BatchOp,
  BatchProgram,
  BatchResult,
  LoadedIssue,
  WriteResult,
} from '../../runtime/batch-program.js';
import type { WriteSet } from '../../runtime/write-set.js';

/** The channel idle workers LISTEN on; a commit that scheduled a job due now notifies it. */
export const JOBS_CHANNEL = 'nagare_jobs';

type Column = readonly [name: string, type: 'text' | 'int'];

function cols(...spec: string[]): Column[] {
  return spec.map((s) => {
    const [name, type] = s.split(':') as [string, string | undefined];
    return [name, type === 'int' ? 'int' : 'text'] as const;
  });
}

const ISSUE = cols(
  'id',
  'workspace_id',
  'app_id',
  'app_version_id',
  'status',
  'mode',
  'state',
  'version:int',
  'events:int',
  'started_at',
  'ended_at',
  'updated_at',
);
const HISTORY = cols('issue_id', 'ordinal:int', 'count:int', 'workspace_id', 'events', 'at');
const TASK = cols(
  'id',
  'workspace_id',
  'issue_id',
  'seq:int',
  'app_id',
  'node',
  'name',
  'lane',
  'status',
  'assignee',
  'candidates',
  'team',
  'buttons',
  'due_at',
  'deadline',
  'created_at',
);
const JOB = cols(
  'issue_id',
  'seq:int',
  'workspace_id',
  'kind',
  'node',
  'payload',
  'run_at',
  'attempts:int',
  'locked_by',
  'locked_until',
  'max_attempts:int',
  'idempotency_key',
  'created_at',
);
const INCIDENT = cols(
  'issue_id',
  'seq:int',
  'workspace_id',
  'app_id',
  'node',
  'code',
  'message',
  'created_at',
);
const CANDIDATE = cols('task_id', 'user_id', 'workspace_id');
const SUBSCRIPTION = cols('issue_id', 'seq:int', 'workspace_id', 'app_id', 'node', 'key', 'created_at');

function unnest(columns: readonly Column[], first = 1): string {
  return `unnest(${columns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ')}) as v(${columns.map(([name]) => name).join(', ')})`;
}

function arrays(columns: readonly Column[], rows: readonly object[]): unknown[][] {
  return columns.map(([name]) => rows.map((row) => (row as Record<string, unknown>)[name] ?? null));
}

function insertSql(table: string, columns: readonly Column[], extra = ''): string {
  const names = columns.map(([name]) => name).join(', ');
  const [extraCols, extraVals] = extra === '' ? ['', ''] : extra.split('|');
  return `insert into ${table} (${names}${extraCols}) select ${columns.map(([name]) => `v.${name}`).join(', ')}${extraVals} from ${unnest(columns)}`;
}

const SQL = {
  load: 'select id, workspace_id, app_id, app_version_id, state, version, events from issue where id = any($1::text[])',
  countTasks: 'select count(*)::int as n from task where issue_id = $1 and seq = $2',
  insertIssue: insertSql('issue', ISSUE),
  updateIssue: `update issue i set status = v.status, state = v.state, version = v.version, events = v.events,
    ended_at = v.ended_at, updated_at = v.updated_at
    from ${unnest(cols('id', 'expect_version:int', 'version:int', 'status', 'state', 'events:int', 'ended_at', 'updated_at'))}
    where i.id = v.id and i.version = v.expect_version`,
  insertHistory: insertSql('history', HISTORY),
  insertTask: insertSql('task', TASK),
  insertCandidate: insertSql('task_candidate', CANDIDATE),
  insertJob: insertSql('job', JOB),
  insertIncident: insertSql('incident', INCIDENT, ", status|, 'open'"),
  insertSubscription: insertSql('message_subscription', SUBSCRIPTION),
  fenceJobs: `delete from job j using ${unnest(cols('issue_id', 'seq:int', 'locked_by', 'attempts:int'))}
    where j.issue_id = v.issue_id and j.seq = v.seq and j.locked_by = v.locked_by and j.attempts = v.attempts`,
  // Only the assignee, or while the task is offered one of its candidates (or anyone when it has none).
  completeTasks: `update task t set status = 'done', completed_by = v.operator, ended_at = v.at
    from ${unnest(cols('id', 'operator', 'at'))} where t.id = v.id and t.status in ('offered', 'allocated')
      and (t.assignee = v.operator or (t.assignee is null and (t.candidates is null
        or exists (select 1 from task_candidate c where c.task_id = t.id and c.user_id = v.operator))))`,
  openTasks: `select count(*)::int as n from task where id = any($1::text[]) and status in ('offered', 'allocated')`,
  closeTasks: `update task t set status = v.status, ended_at = v.at
    from ${unnest(cols('issue_id', 'seq:int', 'status', 'at'))}
    where t.issue_id = v.issue_id and t.seq = v.seq and t.status in ('offered', 'allocated')`,
  deleteJobs: `delete from job j using ${unnest(cols('issue_id', 'seq:int'))} where j.issue_id = v.issue_id and j.seq = v.seq`,
  resolveIncidents: `update incident x set status = 'resolved', resolved_at = v.at
    from ${unnest(cols('issue_id', 'seq:int', 'at'))} where x.issue_id = v.issue_id and x.seq = v.seq and x.status = 'open'`,
  deleteSubscriptions: `delete from message_subscription m using ${unnest(cols('issue_id', 'seq:int'))}
    where m.issue_id = v.issue_id and m.seq = v.seq`,
  advanceTimerStart: `update timer_start set last_fired_at = $1, next_at = $2, fired = $3, locked_by = null, locked_until = null
    where app_id = $4 and node = $5 and locked_by = $6`,
  notify: `select pg_notify('${JOBS_CHANNEL}', '')`,
};

type SqlName = keyof typeof SQL;

/**
 * One batch's connection. Statements without parameters whose answer the program does not
 * need (BEGIN, SAVEPOINT, RELEASE, ROLLBACK TO, COMMIT) are held back and sent together,
 * as one simple query, in front of the next statement that needs an answer: an S1 batch is
 * then 4 round trips instead of 7. The parameterised statements are prepared once per
 * connection, by name.
 */
class Session {
  readonly client: pg.PoolClient;
  #held: string[] = [];

  constructor(client: pg.PoolClient) {
    this.client = client;
  }

  hold(text: string): void {
    this.#held.push(text);
  }

  async flush(): Promise<void> {
    if (this.#held.length === 0) return;
    const text = this.#held.join('; ');
    this.#held = [];
    await this.client.query(text);
  }

  async query<R extends pg.QueryResultRow>(name: SqlName, values: unknown[]): Promise<pg.QueryResult<R>> {
    await this.flush();
    return this.client.query<R>({ name: `nagare_${name}`, text: SQL[name], values });
  }
}

export class PostgresBatchRunner {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async run(program: BatchProgram): Promise<BatchResult> {
    const client = await this.#pool.connect();
    const session = new Session(client);
    let broken = false;
    try {
      session.hold('begin');
      try {
        let step = program.next();
        while (!step.done) step = program.next(await this.#exec(session, step.value));
        session.hold(step.value.kind === 'needApps' ? 'rollback' : 'commit');
        await session.flush();
        return step.value;
      } catch (error) {
        await client.query('rollback').catch(() => {
          broken = true;
        });
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  async #exec(session: Session, op: BatchOp): Promise<unknown> {
    switch (op.op) {
      case 'load':
        return (await session.query<LoadedIssue>('load', [op.ids])).rows;
      case 'countTasks':
        return (await session.query<{ n: number }>('countTasks', [op.issueId, op.seq])).rows[0]?.n ?? 0;
      case 'write':
        return this.#write(session, op.writes);
      case 'savepoint':
        session.hold(`savepoint ${op.name}`);
        return undefined;
      case 'release':
        session.hold(`release savepoint ${op.name}`);
        return undefined;
      case 'rollbackTo':
        session.hold(`rollback to savepoint ${op.name}`);
        return undefined;
    }
  }

  async #write(session: Session, w: WriteSet): Promise<WriteResult> {
    const q = (name: SqlName, values: unknown[]) => session.query(name, values);
    try {
      if (w.issueInserts.size > 0) await q('insertIssue', arrays(ISSUE, [...w.issueInserts.values()]));
      if (w.issueUpdates.size > 0) {
        // Sorted by id: concurrent batches then lock shared rows in the same order.
        const rows = [...w.issueUpdates.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
        const r = await q('updateIssue', [
          rows.map((x) => x.id),
          rows.map((x) => x.expect_version),
          rows.map((x) => x.version),
          rows.map((x) => x.status),
          rows.map((x) => x.state),
          rows.map((x) => x.events),
          rows.map((x) => x.ended_at),
          rows.map((x) => x.updated_at),
        ]);
        if (r.rowCount !== rows.length) return { ok: false, reason: 'conflict' };
      }
      if (w.history.length > 0) await q('insertHistory', arrays(HISTORY, w.history));
      if (w.taskInserts.length > 0) await q('insertTask', arrays(TASK, w.taskInserts));
      if (w.candidateInserts.length > 0) {
        await q('insertCandidate', arrays(CANDIDATE, w.candidateInserts));
      }
      if (w.jobInserts.length > 0) await q('insertJob', arrays(JOB, w.jobInserts));
      if (w.incidentInserts.length > 0) await q('insertIncident', arrays(INCIDENT, w.incidentInserts));
      if (w.subscriptionInserts.length > 0) {
        await q('insertSubscription', arrays(SUBSCRIPTION, w.subscriptionInserts));
      }
      if (w.jobFences.length > 0) {
        const f = w.jobFences;
        const r = await q('fenceJobs', [
          f.map((x) => x.issue_id),
          f.map((x) => x.seq),
          f.map((x) => x.locked_by),
          f.map((x) => x.attempts),
        ]);
        if (r.rowCount !== f.length) return { ok: false, reason: 'lease' };
      }
      if (w.taskCompletions.length > 0) {
        const c = w.taskCompletions;
        const r = await q('completeTasks', [
          c.map((x) => x.id),
          c.map((x) => x.operator),
          c.map((x) => x.at),
        ]);
        if (r.rowCount !== c.length) {
          // Still open after the update: someone who may not complete it tried.
          const open = await q('openTasks', [c.map((x) => x.id)]);
          return { ok: false, reason: (open.rows[0] as { n: number }).n > 0 ? 'forbidden' : 'conflict' };
        }
      }
      if (w.taskCloses.length > 0) {
        const c = w.taskCloses;
        await q('closeTasks', [
          c.map((x) => x.issue_id),
          c.map((x) => x.seq),
          c.map((x) => x.status),
          c.map((x) => x.at),
        ]);
      }
      if (w.jobDeletes.length > 0) {
        await q('deleteJobs', [w.jobDeletes.map((x) => x.issue_id), w.jobDeletes.map((x) => x.seq)]);
      }
      if (w.incidentResolves.length > 0) {
        const r = w.incidentResolves;
        await q('resolveIncidents', [r.map((x) => x.issue_id), r.map((x) => x.seq), r.map((x) => x.at)]);
      }
      if (w.subscriptionDeletes.length > 0) {
        const d = w.subscriptionDeletes;
        await q('deleteSubscriptions', [d.map((x) => x.issue_id), d.map((x) => x.seq)]);
      }
      for (const a of w.timerStartAdvances) {
        const r = await q('advanceTimerStart', [
          a.last_fired_at,
          a.next_at,
          a.fired,
          a.app_id,
          a.node,
          a.locked_by,
        ]);
        if (r.rowCount !== 1) return { ok: false, reason: 'lease' };
      }
      // Delivered at COMMIT, and only then: a rolled-back batch wakes nobody.
      if (w.wake) await q('notify', []);
      return { ok: true };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '23505') return { ok: false, reason: 'duplicate', error };
      // Deadlock or serialization failure: the savepoint is rolled back and the command retried.
      if (code === '40P01' || code === '40001') return { ok: false, reason: 'conflict', error };
      return { ok: false, reason: 'error', error };
    }
  }
}
