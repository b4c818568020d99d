import { type Kysely, sql } from 'kysely';
import { hasAppAuthority } from '../../../identity/authorities.js';
import type { Database } from '../../../store/schema.js';
import type { Principal } from '../../auth/principal.js';
import { Forbidden } from '../../auth/principal.js';
import { NotFound } from '../../errors.js';

/**
 * Workspace-scoped lookups: an id from another workspace is "not found", exactly like an id
 * that does not exist, so one workspace cannot probe another's ids.
 */
export async function findApp(db: Kysely<Database>, workspaceId: string, appId: string) {
  const row = await db
    .selectFrom('app')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', appId)
    .executeTakeFirst();
  if (!row) throw new NotFound('App', appId);
  return row;
}

export async function findIssue(db: Kysely<Database>, workspaceId: string, issueId: string) {
  const row = await db
    .selectFrom('issue')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', issueId)
    .executeTakeFirst();
  if (!row) throw new NotFound('issue', issueId);
  return row;
}

export async function findTask(db: Kysely<Database>, workspaceId: string, taskId: string) {
  const row = await db
    .selectFrom('task')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', taskId)
    .executeTakeFirst();
  if (!row) throw new NotFound('task', taskId);
  return row;
}

/** Who started the issue (from its first history row; null after a retention purge or when no one did). */
export async function issueStarter(db: Kysely<Database>, issueId: string): Promise<string | null> {
  const row = await db
    .selectFrom('history')
    .select('events')
    .where('issue_id', '=', issueId)
    .orderBy('ordinal')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const first = (JSON.parse(row.events) as { type: string; by?: string }[])[0];
  return first?.type === 'IssueStarted' && typeof first.by === 'string' ? first.by : null;
}

/** May the caller act on this open task: allocated to them, or offered to them (or to anyone). */
export function isTaskFor(
  task: { status: string; assignee: string | null; candidates: readonly string[] | null },
  userId: string,
): boolean {
  if (task.status === 'allocated') return task.assignee === userId;
  if (task.status === 'offered') return task.candidates === null || task.candidates.includes(userId);
  return false;
}

/** Any of the App authorities that let one see every issue of the App. */
export async function seesAllIssues(
  db: Kysely<Database>,
  principal: Principal,
  appId: string,
): Promise<boolean> {
  for (const authority of ['appAdministrator', 'processManager', 'dataViewer'] as const) {
    if (await hasAppAuthority(db, principal, appId, authority)) return true;
  }
  return false;
}

/**
 * Who may view an issue: its starter, anyone who has or had a task on it, and App
 * administrators, process managers and data viewers of its App. Others get 404 (the
 * issue's existence is not revealed).
 */
export async function requireIssueView(
  db: Kysely<Database>,
  principal: Principal,
  issue: { id: string; app_id: string },
): Promise<void> {
  if (await seesAllIssues(db, principal, issue.app_id)) return;
  if ((await issueStarter(db, issue.id)) === principal.userId) return;
  const task = await db
    .selectFrom('task')
    .select('id')
    .where('workspace_id', '=', principal.workspaceId)
    .where('issue_id', '=', issue.id)
    .where((eb) =>
      eb.or([
        eb('assignee', '=', principal.userId),
        eb('completed_by', '=', principal.userId),
        eb.and([eb('status', '=', 'offered'), eb('candidates', 'is', null)]),
        eb.exists(
          eb
            .selectFrom('task_candidate')
            .select(sql`1`.as('one'))
            .whereRef('task_candidate.task_id', '=', 'task.id')
            .where('task_candidate.user_id', '=', principal.userId),
        ),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  if (task) return;
  throw new NotFound('issue', issue.id);
}

export async function requireAppAdmin(
  db: Kysely<Database>,
  principal: Principal,
  appId: string,
): Promise<void> {
  if (!(await hasAppAuthority(db, principal, appId, 'appAdministrator'))) {
    throw new Forbidden(`Only an App administrator of App "${appId}" may do this`);
  }
}

/** Apps the caller sees every issue of (for the issue search). */
export async function appsSeenWhole(db: Kysely<Database>, principal: Principal): Promise<string[]> {
  // Only Apps with a grant at all can be seen whole: check those, not every App.
  const granted = await db
    .selectFrom('app_authority')
    .select('app_id')
    .distinct()
    .where('workspace_id', '=', principal.workspaceId)
    .execute();
  const out: string[] = [];
  for (const { app_id } of granted) if (await seesAllIssues(db, principal, app_id)) out.push(app_id);
  return out;
}
