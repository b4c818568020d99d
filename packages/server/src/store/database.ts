import { Kysely, sql } from 'kysely';
import { type Dialect, describeLocation, type StoreConfig } from './config.js';
import { createPostgresDialect, createPostgresPool } from './postgres-dialect.js';
import type { Database } from './schema.js';
import { createSqliteDialect, openSqliteFile } from './sqlite-dialect.js';
import { describeCause, StoreError } from './store-error.js';

/** An open database: the only way the server reaches SQLite or PostgreSQL. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The SQLite file path or the masked PostgreSQL URL: safe to show and log. */
  readonly location: string;
  close(): Promise<void>;
}

/**
 * Opens the store and proves it answers (`select 1`), so a wrong host or password fails here
 * with a clear StoreError rather than on the first request.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const location = describeLocation(config);
  const db =
    config.dialect === 'sqlite'
      ? new Kysely<Database>({ dialect: createSqliteDialect(openSqliteFile(config.dataDir, config.file)) })
      : new Kysely<Database>({ dialect: createPostgresDialect(createPostgresPool(config.url)) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    const what = config.dialect === 'sqlite' ? 'SQLite database' : 'PostgreSQL';
    throw new StoreError('unavailable', `cannot connect to ${what} at ${location}: ${describeCause(error)}`, {
      cause: error,
    });
  }
  let closed = false;
  return {
    db,
    dialect: config.dialect,
    location,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
