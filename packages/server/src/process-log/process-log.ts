import type { HistoryEvent } from '@nagare/engine';
import type { Store } from '../store/database.js';
import { deriveEntries, type TaskAllocation } from './derive-entries.js';
import type { ProcessLogEntry } from './process-log-entry.js';
import { ProcessLogError } from './process-log-error.js';

export interface ProcessLogFilter {
  /** Inclusive, ISO 8601 (a date alone means its 00:00 UTC). */
  readonly from?: string | undefined;
  /** Exclusive. */
  readonly to?: string | undefined;
  readonly issueId?: string | undefined;
  readonly appId?: string | undefined;
  /** At most this many entries, oldest first (default 1,000, at most 10,000 like the product's CSV). */
  readonly limit?: number | undefined;
}

export interface ProcessLogPage {
  readonly entries: readonly ProcessLogEntry[];
  /** More entries matched than `limit`: narrow the window to see the rest. */
  readonly truncated: boolean;
}

export const DEFAULT_LOG_LIMIT = 1_000;
export const MAX_LOG_LIMIT = 10_000;
/** Issues one request may read (each one's whole history: before-values need it). */
export const DEFAULT_MAX_LOG_ISSUES = 20_000;
const CHUNK = 500;

/**
 * The process log of a Workspace, read from the history and task tables. Issues are chosen
 * first (the Workspace's, overlapping the window, of the App or the one Issue asked for), then
 * their history is read per issue in ordinal order and turned into entries; entries outside the
 * window are dropped. Nothing here writes: the log is as append-only as the history it reads.
 */
export class ProcessLog {
  readonly #store: Store;
  readonly #maxIssues: number;

  constructor(store: Store, options: { maxIssues?: number } = {}) {
    this.#store = store;
    this.#maxIssues = options.maxIssues ?? DEFAULT_MAX_LOG_ISSUES;
  }

  async query(workspaceId: string, filter: ProcessLogFilter = {}): Promise<ProcessLogPage> {
    const from = instant('from', filter.from);
    const to = instant('to', filter.to);
    if (from !== undefined && to !== undefined && from >= to) {
      throw new ProcessLogError('BAD_FILTER', `from (${from}) must be before to (${to})`);
    }
    const limit = filter.limit ?? DEFAULT_LOG_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_LIMIT) {
      throw new ProcessLogError(
        'BAD_FILTER',
        `limit must be an integer from 1 to ${MAX_LOG_LIMIT}; got ${limit}`,
      );
    }

    let issuesQuery = this.#store.db
      .selectFrom('issue')
      .select(['id', 'app_id'])
      .where('workspace_id', '=', workspaceId);
    if (filter.issueId !== undefined) issuesQuery = issuesQuery.where('id', '=', filter.issueId);
    if (filter.appId !== undefined) issuesQuery = issuesQuery.where('app_id', '=', filter.appId);
    if (to !== undefined) issuesQuery = issuesQuery.where('started_at', '<', to);
    if (from !== undefined) {
      issuesQuery = issuesQuery.where((eb) =>
        eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', from)]),
      );
    }
    const issues = await issuesQuery
      .orderBy('started_at')
      .orderBy('id')
      .limit(this.#maxIssues + 1)
      .execute();
    if (issues.length > this.#maxIssues) {
      throw new ProcessLogError(
        'TOO_BROAD',
        `more than ${this.#maxIssues} issues fall in this window: narrow from/to or filter by appId or issueId`,
      );
    }

    const entries: ProcessLogEntry[] = [];
    for (let i = 0; i < issues.length; i += CHUNK) {
      const chunk = issues.slice(i, i + CHUNK);
      const ids = chunk.map((issue) => issue.id);
      const [rows, tasks, moves] = await Promise.all([
        this.#store.db
          .selectFrom('history')
          .select(['issue_id', 'ordinal', 'at', 'events'])
          .where('workspace_id', '=', workspaceId)
          .where('issue_id', 'in', ids)
          .orderBy('issue_id')
          .orderBy('ordinal')
          .execute(),
        this.#store.db
          .selectFrom('task')
          .select(['id', 'issue_id', 'seq', 'node', 'assignee', 'candidates', 'created_at'])
          .where('workspace_id', '=', workspaceId)
          .where('issue_id', 'in', ids)
          .execute(),
        this.#store.db
          .selectFrom('task_event')
          .select(['issue_id', 'task_id', 'node', 'kind', 'by', 'previous', 'assignee', 'at'])
          .where('workspace_id', '=', workspaceId)
          .where('issue_id', 'in', ids)
          .orderBy('at')
          .execute(),
      ]);
      const movesOf = groupBy(moves, (m) => m.issue_id);
      const rowsOf = groupBy(rows, (r) => r.issue_id);
      const tasksOf = groupBy(tasks, (t) => t.issue_id);
      for (const issue of chunk) {
        const history = (rowsOf.get(issue.id) ?? []).map((r) => ({
          ordinal: Number(r.ordinal),
          at: r.at,
          events: JSON.parse(r.events) as HistoryEvent[],
        }));
        // The allocation when the task opened: before its first move, if it has moved since.
        const firstMove = new Map<string, string | null>();
        for (const m of movesOf.get(issue.id) ?? [])
          if (!firstMove.has(m.task_id)) firstMove.set(m.task_id, m.previous);
        const opened = (tasksOf.get(issue.id) ?? []).map((t) =>
          firstMove.has(t.id) ? { ...t, assignee: firstMove.get(t.id) ?? null } : t,
        );
        const allocations = uniqueBySeq(opened);
        const derived = deriveEntries({ id: issue.id, appId: issue.app_id }, history, allocations);
        for (const m of movesOf.get(issue.id) ?? []) {
          derived.push({
            at: m.at,
            issueId: issue.id,
            appId: issue.app_id,
            // Between the events committed before it and the next ones.
            ordinal: lastOrdinalAt(history, m.at) + 0.5,
            kind: `task-${m.kind}`,
            step: m.node,
            ...(m.by === null ? {} : { actor: m.by }),
            ...(m.assignee === null ? {} : { detail: `to ${m.assignee}` }),
          });
        }
        for (const entry of derived) {
          if ((from === undefined || entry.at >= from) && (to === undefined || entry.at < to))
            entries.push(entry);
        }
      }
    }
    entries.sort(
      (a, b) =>
        compare(a.at, b.at) ||
        compare(a.issueId, b.issueId) ||
        a.ordinal - b.ordinal ||
        kindOrder(a) - kindOrder(b),
    );
    return { entries: entries.slice(0, limit), truncated: entries.length > limit };
  }
}

/** A team step has one task row per member: one allocation line naming them all. */
function uniqueBySeq(
  rows: readonly {
    seq: number;
    node: string;
    assignee: string | null;
    candidates: string | null;
    created_at: string;
  }[],
): TaskAllocation[] {
  const bySeq = new Map<number, TaskAllocation>();
  for (const row of rows) {
    const seq = Number(row.seq);
    const candidates = row.candidates ? (JSON.parse(row.candidates) as string[]) : null;
    const prev = bySeq.get(seq);
    if (!prev) {
      bySeq.set(seq, { seq, node: row.node, assignee: row.assignee, candidates, createdAt: row.created_at });
    } else if (row.assignee) {
      const assignees = [prev.assignee, row.assignee].filter(Boolean).join(', ');
      bySeq.set(seq, { ...prev, assignee: assignees });
    }
  }
  return [...bySeq.values()];
}

/** Same event: a data edit follows the line that made it (task-completed, issue-started). */
/** The ordinal of the last event committed at or before `at`. */
function lastOrdinalAt(
  history: readonly { ordinal: number; at: string; events: readonly unknown[] }[],
  at: string,
): number {
  let last = 0;
  for (const row of history) if (row.at <= at) last = row.ordinal + row.events.length - 1;
  return last;
}

function kindOrder(entry: ProcessLogEntry): number {
  return entry.kind === 'data-edited' ? 1 : entry.kind === 'task-allocated' ? 2 : 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO 8601 date or date-time with zone, as the UTC text the tables hold. */
function instant(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = ISO.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ProcessLogError(
      'BAD_FILTER',
      `${name} must be an ISO 8601 date (2026-04-01) or date-time with zone (2026-04-01T09:00:00Z); got ${JSON.stringify(value)}`,
    );
  }
  return new Date(ms).toISOString();
}
