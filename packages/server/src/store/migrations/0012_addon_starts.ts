import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * Start-event add-ons (docs/addons.md, "Start-event add-ons"):
 * - `addon_start_item`: every item a polling add-on's `list()` started an issue for, keyed by
 *   (workspace, app, start event, the item's id), written in the same transaction as the issue
 *   start: an id never starts two issues, whichever node polls, and `engine.isProcessStarted(id)`
 *   asks it. `item_at` is the item's `timestamp`: the newest one is the next poll's lower limit.
 * - `timer_start.last_error`: why the last round of a start event's add-on failed (null after a
 *   round that succeeded), for the operator; polled and timer add-on starts use the timer_start rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('addon_start_item')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('item_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('addon_start_item_pkey', ['workspace_id', 'app_id', 'node', 'item_id'])
    .execute();
  await db.schema
    .createIndex('addon_start_item_at_idx')
    .on('addon_start_item')
    .columns(['workspace_id', 'app_id', 'node', 'item_at'])
    .execute();
  await db.schema.alterTable('timer_start').addColumn('last_error', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('timer_start').dropColumn('last_error').execute();
  await db.schema.dropTable('addon_start_item').execute();
}
