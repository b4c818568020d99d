import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * Indexes for the lists that scanned a workspace's rows:
 * - `issue (workspace_id, started_at, id)`: the issue search and CSV (`GET /api/issues`, newest
 *   or oldest first, the cursor is `(started_at, id)`) and the process log's choice of issues
 *   (`started_at < to`) read the workspace's issues in start order instead of sorting them all.
 * - `incident (workspace_id, status, created_at)`: the incident list (`listIncidents`) of one
 *   workspace, open ones oldest first; the old `(status, created_at)` index mixed workspaces.
 *
 * No `history (workspace_id, at)`: nothing reads history by time (the process log goes through
 * the issues), and every command's history row would pay for one more index entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('issue_workspace_started_idx')
    .on('issue')
    .columns(['workspace_id', 'started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('incident_workspace_status_idx')
    .on('incident')
    .columns(['workspace_id', 'status', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incident_workspace_status_idx').execute();
  await db.schema.dropIndex('issue_workspace_started_idx').execute();
}
