import { type Kysely, type MigrationResult, Migrator, sql } from 'kysely';
import type { Store } from './database.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { describeCause, StoreError } from './store-error.js';

export interface MigrationReport {
  /** Names of the migrations this call applied, in order; empty when already up to date. */
  readonly applied: readonly string[];
}

/**
 * Our own advisory lock key on PostgreSQL (any constant bigint; "nagare" in ASCII). Kysely's
 * Migrator locks only around applying migrations, and survives races on creating its own
 * bookkeeping tables by catching the errors and looking again. Holding this lock on a separate
 * connection for the whole call makes nodes that start together run strictly one after the
 * other instead of relying on those retries.
 */
const PG_MIGRATION_LOCK = 0x6e6167617265n;

/** Applies every pending migration. Idempotent: a second call applies nothing. */
export async function migrateToLatest(store: Store): Promise<MigrationReport> {
  if (store.dialect !== 'postgres') return runMigrator(store.db);
  return store.db.connection().execute(async (lockConnection) => {
    await sql`select pg_advisory_lock(${PG_MIGRATION_LOCK})`.execute(lockConnection);
    try {
      return await runMigrator(store.db);
    } finally {
      await sql`select pg_advisory_unlock(${PG_MIGRATION_LOCK})`.execute(lockConnection);
    }
  });
}

async function runMigrator(db: Kysely<Database>): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result: MigrationResult) => result.status === 'Error');
    const where = failed ? `migration ${failed.migrationName} failed` : 'migrations failed';
    throw new StoreError('migration', `${where}: ${describeCause(error)}`, { cause: error });
  }
  return {
    applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName),
  };
}

/** Names of the migrations recorded as applied, in order. */
export async function appliedMigrations(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
  const all = await migrator.getMigrations();
  return all.filter((info) => info.executedAt !== undefined).map((info) => info.name);
}
