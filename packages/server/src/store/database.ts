import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import type pg from 'pg';
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
  /**
   * The driver under Kysely, for the runtime's hot path (store/sqlite, store/postgres): one
   * synchronous better-sqlite3 transaction per command batch, or pg with hand-written
   * multi-row SQL. Everything else goes through `db`.
   */
  readonly native: NativeDatabase;
  close(): Promise<void>;
}

export type NativeDatabase =
  | { readonly dialect: 'sqlite'; readonly database: BetterSqlite3.Database }
  | { readonly dialect: 'postgres'; readonly pool: pg.Pool; readonly url: string };

/**
 * Opens the store and proves it answers (`select 1`), so a wrong host or password fails here
 * with a clear StoreError rather than on the first request.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const location = describeLocation(config);
  let native: NativeDatabase;
  let db: Kysely<Database>;
  if (config.dialect === 'sqlite') {
    const database = openSqliteFile(config.dataDir, config.file);
    native = { dialect: 'sqlite', database };
    db = new Kysely<Database>({ dialect: createSqliteDialect(database) });
  } else {
    const pool = createPostgresPool(config.url);
    native = { dialect: 'postgres', pool, url: config.url };
    db = new Kysely<Database>({ dialect: createPostgresDialect(pool) });
  }
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
    native,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
