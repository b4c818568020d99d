/**
 * Runs a command batch (runtime/batch-program.ts) on PostgreSQL: one pooled connection, one
 * transaction, one statement per table for the whole batch. A statement's rows go in as one
 * JSON parameter, read by `json_to_recordset`, so a batch of 200 starts is a handful of round
 * trips instead of a thousand. JSON, not one array parameter per column (`unnest`): node-postgres
 * escapes every array element in JavaScript, which cost more than the rest of the command on this
 * path (S1: main-thread CPU per issue 55 → 27–41 µs, docs/performance.md), where
 * `JSON.stringify` of the row objects is native. Version checks and job-lease fences compare the
 * affected row count with the rows sent.
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
const ADDON_START_ITEM = cols(
  'workspace_id',
  'app_id',
  'node',
  'item_id',
  'issue_id',
  'item_at',
  'created_at',
);

/** The rows of parameter $1 (a JSON array of objects keyed by column name) as the relation `v`. */
function recordset(columns: readonly Column[]): string {
  return `json_to_recordset($1::json) as v(${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`;
}

/** Parameter $1 of a statement reading `recordset`: objects with (at least) its columns' keys. */
function rowsParam(rows: readonly object[]): [string] {
  return [JSON.stringify(rows)];
}

function insertSql(table: string, columns: readonly Column[], extra = ''): string {
  const names = columns.map(([name]) => name).join(', ');
  const [extraCols, extraVals] = extra === '' ? ['', ''] : extra.split('|');
  return `insert into ${table} (${names}${extraCols}) select ${columns.map(([name]) => `v.${name}`).join(', ')}${extraVals} from ${recordset(columns)}`;
}

const SQL = {
  load: 'select id, workspace_id, app_id, app_version_id, state, version, events from issue where id = any($1::text[])',
  countTasks: 'select count(*)::int as n from task where issue_id = $1 and seq = $2',
  insertIssue: insertSql('issue', ISSUE),
  updateIssue: `update issue i set status = v.status, state = v.state, version = v.version, events = v.events,
    ended_at = v.ended_at, updated_at = v.updated_at
    from ${recordset(cols('id', 'expect_version:int', 'version:int', 'status', 'state', 'events:int', 'ended_at', 'updated_at'))}
    where i.id = v.id and i.version = v.expect_version`,
  insertHistory: insertSql('history', HISTORY),
  insertTask: insertSql('task', TASK),
  insertCandidate: insertSql('task_candidate', CANDIDATE),
  insertJob: insertSql('job', JOB),
  insertIncident: insertSql('incident', INCIDENT, ", status|, 'open'"),
  insertSubscription: insertSql('message_subscription', SUBSCRIPTION),
  insertAddonStartItems: insertSql('addon_start_item', ADDON_START_ITEM),
  fenceJobs: `delete from job j using ${recordset(cols('issue_id', 'seq:int', 'locked_by', 'attempts:int'))}
    where j.issue_id = v.issue_id and j.seq = v.seq and j.locked_by = v.locked_by and j.attempts = v.attempts`,
  // Only the assignee, or while the task is offered one of its candidates (or anyone when it has none).
  completeTasks: `update task t set status = 'done', completed_by = v.operator, ended_at = v.at
    from ${recordset(cols('id', 'operator', 'at'))} where t.id = v.id and t.status in ('offered', 'allocated')
      and (t.assignee = v.operator or (t.assignee is null and (t.candidates is null
        or exists (select 1 from task_candidate c where c.task_id = t.id and c.user_id = v.operator))))`,
  openTasks: `select count(*)::int as n from task where id = any($1::text[]) and status in ('offered', 'allocated')`,
  closeTasks: `update task t set status = v.status, ended_at = v.at
    from ${recordset(cols('issue_id', 'seq:int', 'status', 'at'))}
    where t.issue_id = v.issue_id and t.seq = v.seq and t.status in ('offered', 'allocated')`,
  deleteJobs: `delete from job j using ${recordset(cols('issue_id', 'seq:int'))} where j.issue_id = v.issue_id and j.seq = v.seq`,
  resolveIncidents: `update incident x set status = 'resolved', resolved_at = v.at
    from ${recordset(cols('issue_id', 'seq:int', 'at'))} where x.issue_id = v.issue_id and x.seq = v.seq and x.status = 'open'`,
  deleteSubscriptions: `delete from message_subscription m using ${recordset(cols('issue_id', 'seq:int'))}
    where m.issue_id = v.issue_id and m.seq = v.seq`,
  advanceTimerStart: `update timer_start set last_fired_at = $1, next_at = $2, fired = $3, locked_by = null, locked_until = null, last_error = null
    where app_id = $4 and node = $5 and locked_by = $6`,
  notify: `select pg_notify('${JOBS_CHANNEL}', '')`,
};

type SqlName = keyof typeof SQL;

/**
 * One batch's connection. Statements without parameters whose answer the program does not
 * need (BEGIN, SAVEPOINT, RELEASE, ROLLBACK TO, COMMIT) are held back and sent together,
 * as one simple query, in front of the next statement. On a pipelined connection
 * (`pipeline: true`, see `createBatchPool`) nothing waits for them, and a batch's writes go
 * out together: an S1 batch is then 2 round trips (begin and the writes; commit) instead of 4.
 * The parameterised statements are prepared once per connection, by name.
 */
class Session {
  readonly client: pg.PoolClient;
  readonly pipelined: boolean;
  #held: string[] = [];
  /** Held statements sent without waiting (pipelined): their failure surfaces here. */
  #sent: Promise<unknown> | undefined;

  constructor(client: pg.PoolClient, pipelined: boolean) {
    this.client = client;
    this.pipelined = pipelined;
  }

  hold(text: string): void {
    this.#held.push(text);
  }

  async flush(): Promise<void> {
    this.#send();
    const sent = this.#sent;
    this.#sent = undefined;
    await sent;
  }

  #send(): void {
    if (this.#held.length === 0) return;
    const text = this.#held.join('; ');
    this.#held = [];
    const sent = this.client.query(text);
    // Pipelined: the next statement goes out behind it at once; whoever awaits next sees its error.
    sent.catch(() => {});
    this.#sent = this.#sent ? Promise.all([this.#sent, sent]) : sent;
  }

  async query<R extends pg.QueryResultRow>(name: SqlName, values: unknown[]): Promise<pg.QueryResult<R>> {
    if (!this.pipelined) await this.flush();
    else this.#send();
    const result = this.client.query<R>({ name: `nagare_${name}`, text: SQL[name], values });
    if (this.pipelined) {
      const before = this.#sent;
      this.#sent = undefined;
      if (before)
        await before.catch(async (error: unknown) => {
          await result.catch(() => {});
          throw error;
        });
    }
    return result;
  }

  /**
   * Sends statements together (pipelined) or one by one (stopping at the first failure), and
   * answers each one's outcome in order: a statement that failed because an earlier one
   * already went wrong is then read after that earlier one.
   */
  async all(
    statements: readonly (() => Promise<pg.QueryResult>)[],
  ): Promise<PromiseSettledResult<pg.QueryResult>[]> {
    if (this.pipelined) return Promise.allSettled(statements.map((run) => run()));
    const settled: PromiseSettledResult<pg.QueryResult>[] = [];
    for (const run of statements) {
      try {
        settled.push({ status: 'fulfilled', value: await run() });
      } catch (reason) {
        settled.push({ status: 'rejected', reason });
        break;
      }
    }
    return settled;
  }
}

export class PostgresBatchRunner {
  readonly #pool: pg.Pool;
  readonly #pipelined: boolean;

  constructor(pool: pg.Pool, options: { pipelined?: boolean } = {}) {
    this.#pool = pool;
    this.#pipelined = options.pipelined ?? false;
  }

  async run(program: BatchProgram): Promise<BatchResult> {
    const client = await this.#pool.connect();
    const session = new Session(client, this.#pipelined);
    let broken = false;
    try {
      // Every statement of a batch finds its rows by key: a nested loop over the JSON rows with
      // an index lookup each is always the plan. Left to itself, the planner would scan the
      // whole table on a young one (no ANALYZE yet: a fresh install under load, the bench) — 204
      // scans reading 1,005,000 issue rows in a 10,000-issue S1J run — or cache a generic plan
      // made while the table was small (a hash join over a full index scan), which then reads
      // the whole issue table on every batch (S1J at 50 in flight: 5 ms per update of 20 rows).
      session.hold('begin');
      session.hold('set local enable_seqscan = off');
      session.hold('set local enable_hashjoin = off');
      session.hold('set local enable_mergejoin = off');
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
    const q = (name: SqlName, values: unknown[]) => () => session.query(name, values);
    /** Each statement, and what its row count must be (`check`) or the batch does not hold. */
    const steps: {
      run: () => Promise<pg.QueryResult>;
      check?: (rowCount: number) => boolean;
      fails?: WriteResult;
    }[] = [];
    const add = (run: () => Promise<pg.QueryResult>, expect?: number, fails?: WriteResult) => {
      steps.push(
        expect === undefined ? { run } : { run, check: (n) => n === expect, ...(fails ? { fails } : {}) },
      );
    };
    const conflict: WriteResult = { ok: false, reason: 'conflict' };
    const lease: WriteResult = { ok: false, reason: 'lease' };
    if (w.issueInserts.size > 0) add(q('insertIssue', rowsParam([...w.issueInserts.values()])));
    if (w.issueUpdates.size > 0) {
      // Sorted by id: concurrent batches then lock shared rows in the same order.
      const rows = [...w.issueUpdates.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      add(q('updateIssue', rowsParam(rows)), rows.length, conflict);
    }
    if (w.history.length > 0) add(q('insertHistory', rowsParam(w.history)));
    if (w.taskInserts.length > 0) add(q('insertTask', rowsParam(w.taskInserts)));
    if (w.candidateInserts.length > 0) add(q('insertCandidate', rowsParam(w.candidateInserts)));
    if (w.jobInserts.length > 0) add(q('insertJob', rowsParam(w.jobInserts)));
    if (w.incidentInserts.length > 0) add(q('insertIncident', rowsParam(w.incidentInserts)));
    if (w.subscriptionInserts.length > 0) add(q('insertSubscription', rowsParam(w.subscriptionInserts)));
    if (w.jobFences.length > 0) add(q('fenceJobs', rowsParam(w.jobFences)), w.jobFences.length, lease);
    const completions = w.taskCompletions;
    if (completions.length > 0) {
      add(q('completeTasks', rowsParam(completions)), completions.length);
    }
    if (w.taskCloses.length > 0) add(q('closeTasks', rowsParam(w.taskCloses)));
    if (w.jobDeletes.length > 0) add(q('deleteJobs', rowsParam(w.jobDeletes)));
    if (w.incidentResolves.length > 0) add(q('resolveIncidents', rowsParam(w.incidentResolves)));
    if (w.subscriptionDeletes.length > 0) add(q('deleteSubscriptions', rowsParam(w.subscriptionDeletes)));
    if (w.addonStartItems.length > 0) add(q('insertAddonStartItems', rowsParam(w.addonStartItems)));
    for (const a of w.timerStartAdvances) {
      add(
        q('advanceTimerStart', [a.last_fired_at, a.next_at, a.fired, a.app_id, a.node, a.locked_by]),
        1,
        lease,
      );
    }
    // Delivered at COMMIT, and only then: a rolled-back batch wakes nobody.
    if (w.wake) add(q('notify', []));
    try {
      const settled = await session.all(steps.map((step) => step.run));
      for (const [i, step] of steps.entries()) {
        const outcome = settled[i]!;
        if (outcome.status === 'rejected') throw outcome.reason;
        if (!step.check || step.check(outcome.value.rowCount ?? 0)) continue;
        if (step.fails) return step.fails;
        // A completion that did not happen: still open means someone who may not complete it tried.
        const open = await session.query('openTasks', [completions.map((x) => x.id)]);
        return { ok: false, reason: (open.rows[0] as { n: number }).n > 0 ? 'forbidden' : 'conflict' };
      }
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
