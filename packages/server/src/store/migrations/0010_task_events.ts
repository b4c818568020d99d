import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * The allocation history of tasks, append-only (issue 5, process log): accepted, declined,
 * reassigned. Task rows show who holds a task now; these rows say who held it when. Opening and
 * completing a task are in the history already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('task_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('by', 'text')
    .addColumn('previous', 'text')
    .addColumn('assignee', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('task_event_issue_idx')
    .on('task_event')
    .columns(['workspace_id', 'issue_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('task_event').execute();
}
