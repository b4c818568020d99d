import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/** Imported Add-on XML definitions, per Workspace and version (docs/addons.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('addon')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('addon_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('addon_type', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('xml', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('addon_pkey', ['workspace_id', 'addon_id', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('addon').execute();
}
