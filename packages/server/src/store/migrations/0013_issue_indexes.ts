import { type Kysely, sql } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * The issue row's indexes no longer hold a column that changes while the issue runs, so a
 * command that moves an issue on rewrites its row and touches no index entry (SQLite updates
 * every index holding a column it sets; PostgreSQL can then make the update HOT):
 * - `issue (app_id, status)` becomes `issue (app_id, started_at, id)`: one App's issues in start
 *   order, as the workspace index lists a workspace's. A status filter reads along it.
 * - `issue (ended_at)` becomes partial, ended issues only: an issue gets its entry once, when
 *   it ends. The purge reads it (`ended_at < cutoff`, oldest first).
 *
 * Measured (docs/performance.md, session 4): the index work of an issue whose job step ends it
 * (S1J) was 8 entries written or moved (an entry for `(app, 'active')` and `ended_at` null at
 * the start, both moved at the end), now 4; an issue that ends in its first command still writes 4.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('issue_app_status_idx').execute();
  await db.schema.dropIndex('issue_ended_at_idx').execute();
  await db.schema
    .createIndex('issue_app_started_idx')
    .on('issue')
    .columns(['app_id', 'started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('issue_ended_idx')
    .on('issue')
    .column('ended_at')
    .where(sql.ref('ended_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('issue_ended_idx').execute();
  await db.schema.dropIndex('issue_app_started_idx').execute();
  await db.schema.createIndex('issue_ended_at_idx').on('issue').column('ended_at').execute();
  await db.schema.createIndex('issue_app_status_idx').on('issue').columns(['app_id', 'status']).execute();
}
