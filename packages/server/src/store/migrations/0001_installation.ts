import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

// A type alias, not an interface: withTables needs an index signature.
type Tables = {
  installation: { id: string; created_at: string };
};

/** One row that identifies this installation (shown by /api/health). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('installation')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db
    .withTables<Tables>()
    .insertInto('installation')
    .values({ id: randomUUID(), created_at: new Date().toISOString() })
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('installation').execute();
}
