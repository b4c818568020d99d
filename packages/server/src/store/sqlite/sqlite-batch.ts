/**
 * Runs a command batch (runtime/batch-program.ts) on SQLite: synchronously, inside one
 * BEGIN IMMEDIATE transaction, with prepared better-sqlite3 statements (Kysely's per-query
 * compile would cost more than the insert itself on this path: T2). Nothing awaits between
 * BEGIN and COMMIT, so no other code of this process runs inside the transaction.
 *
 * Issue, history, task and job rows, the bulk of every batch, go in as multi-row VALUES with positional
 * parameters (measured: about twice as fast as one named-parameter statement per row); the
 * rarer rows one statement each.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type {
  BatchOp,
  BatchProgram,
  BatchResult,
  LoadedIssue,
  WriteResult,
} from '../../runtime/batch-program.js';
import type { WriteSet } from '../../runtime/write-set.js';

type Statement = BetterSqlite3.Statement;

/** Rows per multi-row statement (SQLite allows 32,766 parameters; 16 columns × 64 rows is far below). */
const CHUNK = 64;
const ISSUE_COLUMNS = [
  'id',
  'workspace_id',
  'app_id',
  'app_version_id',
  'status',
  'mode',
  'state',
  'version',
  'events',
  'started_at',
  'ended_at',
  'updated_at',
] as const;
const TASK_COLUMNS = [
  'id',
  'workspace_id',
  'issue_id',
  'seq',
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
] as const;
const CANDIDATE_COLUMNS = ['task_id', 'user_id', 'workspace_id'] as const;
const JOB_COLUMNS = [
  'issue_id',
  'seq',
  'workspace_id',
  'kind',
  'node',
  'payload',
  'run_at',
  'attempts',
  'locked_by',
  'locked_until',
  'max_attempts',
  'idempotency_key',
  'created_at',
] as const;
const HISTORY_COLUMNS = ['issue_id', 'ordinal', 'count', 'workspace_id', 'events', 'at'] as const;

/** Issue updates: the new columns where the row still has the version the command read. */
const UPDATE_COLUMNS = [
  'id',
  'status',
  'state',
  'version',
  'events',
  'ended_at',
  'updated_at',
  'expect_version',
] as const;
const updateIssues = (values: string) =>
  `update issue set status = v.column2, state = v.column3, version = v.column4, events = v.column5,
     ended_at = v.column6, updated_at = v.column7
   from (values ${values}) as v where issue.id = v.column1 and issue.version = v.column8`;
/** A job result is committed only by the worker that holds the job's lease. */
const FENCE_COLUMNS = ['issue_id', 'seq', 'locked_by', 'attempts'] as const;
const fenceJobs = (values: string) =>
  `delete from job where (issue_id, seq, locked_by, attempts) in (values ${values})`;

export class SqliteBatchRunner {
  readonly #db: BetterSqlite3.Database;
  readonly #stmts: Record<string, Statement>;
  readonly #loadCache = new Map<number, Statement>();
  readonly #multi = new Map<string, Statement>();

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    const p = (text: string) => db.prepare(text);
    this.#stmts = {
      countTasks: p('select count(*) as n from task where issue_id = ? and seq = ?'),
      // Only the assignee, or while the task is offered one of its candidates (or anyone when it has none).
      completeTask: p(
        `update task set status = 'done', completed_by = @operator, ended_at = @at
         where id = @id and status in ('offered', 'allocated')
           and (assignee = @operator or (assignee is null and (candidates is null
             or exists (select 1 from task_candidate c where c.task_id = task.id and c.user_id = @operator))))`,
      ),
      taskOpen: p(`select 1 from task where id = ? and status in ('offered', 'allocated')`),
      closeTasks: p(
        `update task set status = ?, ended_at = ? where issue_id = ? and seq = ? and status in ('offered', 'allocated')`,
      ),
      deleteJob: p('delete from job where issue_id = ? and seq = ?'),
      insertIncident: p(
        `insert into incident (issue_id, seq, workspace_id, app_id, node, code, message, status, created_at)
         values (@issue_id, @seq, @workspace_id, @app_id, @node, @code, @message, 'open', @created_at)`,
      ),
      resolveIncident: p(
        `update incident set status = 'resolved', resolved_at = ? where issue_id = ? and seq = ? and status = 'open'`,
      ),
      insertSubscription: p(
        `insert into message_subscription (issue_id, seq, workspace_id, app_id, node, key, created_at)
         values (@issue_id, @seq, @workspace_id, @app_id, @node, @key, @created_at)`,
      ),
      deleteSubscription: p('delete from message_subscription where issue_id = ? and seq = ?'),
      insertAddonStartItem: p(
        `insert into addon_start_item (workspace_id, app_id, node, item_id, issue_id, item_at, created_at)
         values (@workspace_id, @app_id, @node, @item_id, @issue_id, @item_at, @created_at)`,
      ),
      advanceTimerStart: p(
        `update timer_start set last_fired_at = @last_fired_at, next_at = @next_at, fired = @fired, locked_by = null, locked_until = null, last_error = null
         where app_id = @app_id and node = @node and locked_by = @locked_by`,
      ),
    };
  }

  /** True while another transaction (e.g. one through Kysely) holds the connection. */
  get busy(): boolean {
    return this.#db.inTransaction;
  }

  run(program: BatchProgram): BatchResult {
    const db = this.#db;
    db.exec('begin immediate');
    try {
      let step = program.next();
      while (!step.done) step = program.next(this.#exec(step.value));
      if (step.value.kind === 'needApps') db.exec('rollback');
      else db.exec('commit');
      return step.value;
    } catch (error) {
      if (db.inTransaction) db.exec('rollback');
      throw error;
    }
  }

  #exec(op: BatchOp): unknown {
    switch (op.op) {
      case 'load':
        return this.#load(op.ids);
      case 'countTasks':
        return (this.#stmts.countTasks!.get(op.issueId, op.seq) as { n: number }).n;
      case 'write':
        return this.#write(op.writes);
      case 'savepoint':
        this.#db.exec(`savepoint ${op.name}`);
        return undefined;
      case 'release':
        this.#db.exec(`release ${op.name}`);
        return undefined;
      case 'rollbackTo':
        this.#db.exec(`rollback to ${op.name}`);
        return undefined;
    }
  }

  #load(ids: readonly string[]): LoadedIssue[] {
    const out: LoadedIssue[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      let stmt = this.#loadCache.get(chunk.length);
      if (stmt === undefined) {
        stmt = this.#db.prepare(
          `select id, workspace_id, app_id, app_version_id, state, version, events from issue where id in (${chunk.map(() => '?').join(',')})`,
        );
        if (this.#loadCache.size < 64) this.#loadCache.set(chunk.length, stmt);
      }
      out.push(...(stmt.all(...chunk) as LoadedIssue[]));
    }
    return out;
  }

  /** Multi-row insert in chunks of CHUNK rows. */
  #insertMany(table: string, columns: readonly string[], rows: readonly object[]): void {
    this.#runMany(
      `insert:${table}`,
      columns,
      rows,
      (values) => `insert into ${table} (${columns.join(', ')}) values ${values}`,
    );
  }

  /**
   * One statement per chunk of CHUNK rows, the rows as a VALUES list of `columns`; one prepared
   * statement per (name, row count). Answers the rows changed in all: an update or delete that
   * must hit every row compares it with `rows.length` (a miss sends the batch to its fallback,
   * which finds the command that missed).
   */
  #runMany(
    name: string,
    columns: readonly string[],
    rows: readonly object[],
    text: (values: string) => string,
  ): number {
    let changes = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const key = `${name}:${chunk.length}`;
      let stmt = this.#multi.get(key);
      if (stmt === undefined) {
        const one = `(${columns.map(() => '?').join(',')})`;
        stmt = this.#db.prepare(text(Array.from({ length: chunk.length }, () => one).join(',')));
        if (this.#multi.size < 512) this.#multi.set(key, stmt);
      }
      const values: unknown[] = [];
      for (const row of chunk) for (const c of columns) values.push((row as Record<string, unknown>)[c]);
      changes += stmt.run(values).changes;
    }
    return changes;
  }

  #write(w: WriteSet): WriteResult {
    const s = this.#stmts;
    try {
      if (w.issueInserts.size > 0) this.#insertMany('issue', ISSUE_COLUMNS, [...w.issueInserts.values()]);
      if (w.issueUpdates.size > 0) {
        const rows = [...w.issueUpdates.values()];
        if (this.#runMany('update:issue', UPDATE_COLUMNS, rows, updateIssues) !== rows.length) {
          return { ok: false, reason: 'conflict' };
        }
      }
      if (w.history.length > 0) this.#insertMany('history', HISTORY_COLUMNS, w.history);
      if (w.taskInserts.length > 0) this.#insertMany('task', TASK_COLUMNS, w.taskInserts);
      if (w.candidateInserts.length > 0) {
        this.#insertMany('task_candidate', CANDIDATE_COLUMNS, w.candidateInserts);
      }
      if (w.jobInserts.length > 0) this.#insertMany('job', JOB_COLUMNS, w.jobInserts);
      for (const row of w.incidentInserts) s.insertIncident!.run(row);
      for (const row of w.subscriptionInserts) s.insertSubscription!.run(row);
      if (
        w.jobFences.length > 0 &&
        this.#runMany('fence:job', FENCE_COLUMNS, w.jobFences, fenceJobs) !== w.jobFences.length
      ) {
        return { ok: false, reason: 'lease' };
      }
      for (const row of w.taskCompletions) {
        if (s.completeTask!.run(row).changes !== 1) {
          return { ok: false, reason: s.taskOpen!.get(row.id) ? 'forbidden' : 'conflict' };
        }
      }
      for (const row of w.taskCloses) s.closeTasks!.run(row.status, row.at, row.issue_id, row.seq);
      for (const row of w.jobDeletes) s.deleteJob!.run(row.issue_id, row.seq);
      for (const row of w.incidentResolves) s.resolveIncident!.run(row.at, row.issue_id, row.seq);
      for (const row of w.subscriptionDeletes) s.deleteSubscription!.run(row.issue_id, row.seq);
      for (const row of w.addonStartItems) s.insertAddonStartItem!.run(row);
      for (const row of w.timerStartAdvances) {
        if (s.advanceTimerStart!.run(row).changes !== 1) return { ok: false, reason: 'lease' };
      }
      return { ok: true };
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        return { ok: false, reason: 'duplicate', error };
      }
      return { ok: false, reason: 'error', error };
    }
  }
}
