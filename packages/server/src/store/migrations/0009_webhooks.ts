import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * Outgoing webhooks (docs/webhooks.md).
 *
 * - `webhook`: per App, a URL, the events it wants and its signing secret (sealed).
 * - `webhook_delivery`: one row per notification, leased and retried like a job; unique per
 *   (webhook, history row, event), so scanning the history twice never queues one twice.
 * - `webhook_cursor`: how far the history scan has got.
 * - `task_draft`: a task form saved but not finished (the Workflow API's "save"), per task and
 *   user; it lives here because the form routes landed with the webhooks (issue 6).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_pkey', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('webhook_app_idx').on('webhook').columns(['app_id', 'active']).execute();

  await db.schema
    .createTable('webhook_delivery')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('event_index', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addPrimaryKeyConstraint('webhook_delivery_pkey', ['workspace_id', 'id'])
    .addUniqueConstraint('webhook_delivery_event_key', ['webhook_id', 'issue_id', 'ordinal', 'event_index'])
    .execute();
  await db.schema
    .createIndex('webhook_delivery_due_idx')
    .on('webhook_delivery')
    .columns(['status', 'run_at'])
    .execute();

  await db.schema
    .createTable('webhook_cursor')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('task_draft')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('button', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_draft_pkey', ['workspace_id', 'task_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['task_draft', 'webhook_cursor', 'webhook_delivery', 'webhook']) {
    await db.schema.dropTable(table).execute();
  }
}
