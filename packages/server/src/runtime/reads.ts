/**
 * What the runtime reads back besides tasks (tasks.ts): an issue with its process log, the
 * incidents, and the retention purge of ended issues.
 */
import type { HistoryEvent, IssueState } from '@nagare/engine';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.js';
import { iso } from './clock.js';
import { RuntimeError } from './errors.js';

export const DEFAULT_WORKSPACE = 'default';

export interface IssueView {
  readonly id: string;
  readonly workspaceId: string;
  readonly appId: string;
  readonly appVersionId: string;
  readonly status: string;
  readonly mode: string;
  readonly version: number;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly state: IssueState;
  /** The process log, in order (empty after a retention purge). */
  readonly history: readonly HistoryEvent[];
}

export interface IncidentView {
  readonly issueId: string;
  readonly seq: number;
  readonly appId: string;
  readonly node: string;
  readonly code: string;
  readonly message: string;
  readonly status: 'open' | 'resolved';
  readonly createdAt: string;
  readonly resolvedAt: string | null;
}

export interface PurgeResult {
  readonly issues: number;
  readonly events: number;
  readonly tasks: number;
}

/** An issue; `workspaceId` (default: any) makes an issue of another workspace unknown. */
export async function getIssue(
  db: Kysely<Database>,
  issueId: string,
  options: { history?: boolean; workspaceId?: string } = {},
): Promise<IssueView> {
  let query = db.selectFrom('issue').selectAll().where('id', '=', issueId);
  if (options.workspaceId !== undefined) query = query.where('workspace_id', '=', options.workspaceId);
  const row = await query.executeTakeFirst();
  if (row === undefined) throw new RuntimeError('UNKNOWN_ISSUE', `no issue ${issueId}`);
  const history =
    options.history === false
      ? []
      : (
          await db
            .selectFrom('history')
            .select('events')
            .where('issue_id', '=', issueId)
            .orderBy('ordinal')
            .execute()
        ).flatMap((row) => JSON.parse(row.events) as HistoryEvent[]);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    appId: row.app_id,
    appVersionId: row.app_version_id,
    status: row.status,
    mode: row.mode,
    version: row.version,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    state: JSON.parse(row.state) as IssueState,
    history,
  };
}

export interface IncidentFilter {
  status?: 'open' | 'resolved' | 'any';
  issueId?: string;
  appId?: string;
  workspaceId?: string;
}

export async function listIncidents(
  db: Kysely<Database>,
  filter: IncidentFilter = {},
): Promise<IncidentView[]> {
  let q = db
    .selectFrom('incident')
    .selectAll()
    .where('workspace_id', '=', filter.workspaceId ?? DEFAULT_WORKSPACE);
  const status = filter.status ?? 'open';
  if (status !== 'any') q = q.where('status', '=', status);
  if (filter.issueId !== undefined) q = q.where('issue_id', '=', filter.issueId);
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  const rows = await q.orderBy('created_at').orderBy('issue_id').orderBy('seq').execute();
  return rows.map((r) => ({
    issueId: r.issue_id,
    seq: r.seq,
    appId: r.app_id,
    node: r.node,
    code: r.code,
    message: r.message,
    status: r.status,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  }));
}

/**
 * The issues a purge takes next: ended before `cutoff`, oldest end first, along the partial
 * index of ended issues (`issue_ended_idx`, migration 0013). Without `deleteIssues`, only those
 * that still have history to delete.
 */
export function purgeCandidates(db: Kysely<Database>, cutoff: string, limit: number, deleteIssues: boolean) {
  return db
    .selectFrom('issue')
    .select('id')
    .where('ended_at', 'is not', null)
    .where('ended_at', '<', cutoff)
    .where(({ exists, selectFrom }) =>
      deleteIssues
        ? sql<boolean>`true`
        : exists(
            selectFrom('history').select(sql`1`.as('one')).whereRef('history.issue_id', '=', 'issue.id'),
          ),
    )
    .orderBy('ended_at')
    .limit(limit);
}

/**
 * Deletes the history events and closed tasks of issues that ended before `endedBefore`,
 * at most `limit` issues per call (call again until it returns 0 issues). With
 * `deleteIssues` the issue rows and their incidents go too.
 */
export async function purge(
  db: Kysely<Database>,
  options: {
    endedBefore: string | number;
    limit?: number;
    deleteIssues?: boolean;
  },
): Promise<PurgeResult> {
  const cutoff = typeof options.endedBefore === 'number' ? iso(options.endedBefore) : options.endedBefore;
  return db.transaction().execute(async (tx) => {
    const ids = (
      await purgeCandidates(tx, cutoff, options.limit ?? 1_000, options.deleteIssues ?? false).execute()
    ).map((r) => r.id);
    if (ids.length === 0) return { issues: 0, events: 0, tasks: 0 };
    const events = await tx.deleteFrom('history').where('issue_id', 'in', ids).returning('count').execute();
    const tasks = await tx.deleteFrom('task').where('issue_id', 'in', ids).executeTakeFirst();
    if (options.deleteIssues) {
      await tx.deleteFrom('incident').where('issue_id', 'in', ids).execute();
      await tx.deleteFrom('issue').where('id', 'in', ids).execute();
    }
    return {
      issues: ids.length,
      events: events.reduce((sum, row) => sum + row.count, 0),
      tasks: Number(tasks.numDeletedRows),
    };
  });
}
