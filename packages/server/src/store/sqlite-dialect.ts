import { mkdirSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import { describeCause, StoreError } from './store-error.js';

/** How long a writer waits for another writer (another process on the same file) before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens `<dataDir>/nagare.db` (creating the folder) with the settings an embedded server wants:
 * WAL so readers never block the writer, synchronous=NORMAL (durable at checkpoints, safe
 * against corruption, much faster than FULL in WAL mode), a busy timeout, foreign keys on.
 */
export function openSqliteFile(dataDir: string, file: string): BetterSqlite3.Database {
  let database: BetterSqlite3.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    database = new BetterSqlite3(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new StoreError('config', `cannot open the SQLite database ${file}: ${describeCause(error)}`, {
      cause: error,
    });
  }
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw new StoreError('unavailable', `cannot use the SQLite database ${file}: ${describeCause(error)}`, {
      cause: error,
    });
  }
  return database;
}

/**
 * Kysely's SQLite dialect with two changes:
 * - transactions start with BEGIN IMMEDIATE, so a transaction takes the write lock up front
 *   and waits (busy timeout) for another process, instead of failing with SQLITE_BUSY when a
 *   deferred read transaction tries to become a writer;
 * - DDL runs inside transactions (SQLite supports it; Kysely's adapter says it does not), so
 *   each migration run is atomic and concurrent migrators on one file serialize.
 */
export function createSqliteDialect(database: BetterSqlite3.Database): Dialect {
  const base = new SqliteDialect({ database });
  return {
    createDriver: () => new ImmediateSqliteDriver({ database }),
    createQueryCompiler: () => base.createQueryCompiler(),
    createAdapter: () => new TransactionalSqliteAdapter(),
    createIntrospector: (db) => base.createIntrospector(db),
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
