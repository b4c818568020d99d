import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * Files, storage usage per Workspace and options masters (docs/files.md, docs/data-items.md).
 *
 * - `file`: metadata of stored files; the content lives on disk (or another FileStore). Keyed
 *   by (workspace_id, id), so an id only resolves inside its own Workspace.
 * - `workspace_storage`: bytes used (kept exact in the transaction that adds or removes a
 *   file) and the quota (null: the server's default).
 * - `options_master`: one row per master and Workspace; `items` is the JSON array of
 *   [value, display] pairs, replaced whole on import, `version` bumped each time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('file')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_pkey', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('workspace_storage')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('quota_bytes', 'bigint')
    .addColumn('used_bytes', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('options_master')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('options_master_pkey', ['workspace_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['options_master', 'workspace_storage', 'file']) {
    await db.schema.dropTable(table).execute();
  }
}
