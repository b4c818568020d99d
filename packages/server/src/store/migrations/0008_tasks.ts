import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * Task allocation and per-user flags (issue 5), and release notes.
 *
 * - `task_candidate`: one row per candidate of an offered task, so "tasks offered to me" is an
 *   indexed lookup instead of a scan of JSON text (`task.candidates` stays as the list shown).
 * - `task_flag`: star and read, per user and task (an offered task has many viewers).
 * - `app_version.note`: what a release changed, written when it is released.
 * - `task (workspace_id, assignee, status)`: "my tasks" per workspace.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('task_candidate')
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_candidate_pkey', ['task_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('task_candidate_user_idx')
    .on('task_candidate')
    .columns(['workspace_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('task_flag')
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('starred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_flag_pkey', ['task_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('task_flag_user_idx')
    .on('task_flag')
    .columns(['workspace_id', 'user_id', 'starred'])
    .execute();
  await db.schema.alterTable('app_version').addColumn('note', 'text').execute();
  await db.schema
    .createIndex('task_workspace_assignee_idx')
    .on('task')
    .columns(['workspace_id', 'assignee', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('task_workspace_assignee_idx').execute();
  await db.schema.alterTable('app_version').dropColumn('note').execute();
  await db.schema.dropTable('task_flag').execute();
  await db.schema.dropTable('task_candidate').execute();
}
