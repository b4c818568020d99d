import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * Indexes for the lists that scanned a workspace's rows:
 * - `issue (workspace_id, started_at, id)`: the issue search and CSV (`GET /api/issues`, newest
 *   or oldest first, the cursor is `(started_at, id)`) and the process log's choice of issues
 *   (`started_at < to`) read the workspace's issues in start order instead of sorting them all.
 * - `history (workspace_id, at)`: history rows of a workspace by commit time (a process log
 *   window, dashboards of what happened when) without going through every issue.
 * - `incident (workspace_id, status, created_at)`: the incident list (`listIncidents`) of one
 *   workspace, open ones oldest first; the old `(status, created_at)` index mixed workspaces.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('issue_workspace_started_idx')
    .on('issue')
    .columns(['workspace_id', 'started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('history_workspace_at_idx')
    .on('history')
    .columns(['workspace_id', 'at'])
    .execute();
  await db.schema
    .createIndex('incident_workspace_status_idx')
    .on('incident')
    .columns(['workspace_id', 'status', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incident_workspace_status_idx').execute();
  await db.schema.dropIndex('history_workspace_at_idx').execute();
  await db.schema.dropIndex('issue_workspace_started_idx').execute();
}
