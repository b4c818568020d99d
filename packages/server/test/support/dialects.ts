import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { resolveStoreConfig, type StoreConfig } from '../../src/store/config.js';
import {
  createTestDatabase,
  postgresRequired,
  probePostgres,
  resetDatabase,
  type TestDatabase,
} from './postgres.js';

/** What a store test gets: a config for an empty database of one dialect. */
export interface DialectContext {
  readonly dialect: 'sqlite' | 'postgres';
  /** A config for an empty database, fresh for each test. */
  config(): StoreConfig;
}

const probe = await probePostgres();
if (!probe.available && !postgresRequired) {
  console.warn(`[store tests] PostgreSQL tests skipped: ${probe.reason} (with CI=true they fail instead)`);
}

/**
 * Runs the same suite against SQLite (a temp dir per test) and PostgreSQL (one database per
 * test file, emptied before each test), like Kysely's `for (const dialect of DIALECTS)`.
 */
export function describeEachDialect(title: string, suite: (context: DialectContext) => void): void {
  describe(`${title} [sqlite]`, () => {
    let dataDir = '';
    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'nagare-store-'));
      return () => rm(dataDir, { recursive: true, force: true });
    });
    suite({ dialect: 'sqlite', config: () => resolveStoreConfig({ dataDir }) });
  });

  if (!probe.available && postgresRequired) {
    describe(`${title} [postgres]`, () => {
      it('needs PostgreSQL (CI=true makes the PostgreSQL store tests mandatory)', () => {
        throw new Error(`${probe.reason}. Start it (see .ci/run) or set NAGARE_TEST_PG_URL.`);
      });
    });
    return;
  }
  describe.skipIf(!probe.available)(`${title} [postgres]`, () => {
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await database?.drop();
    });
    beforeEach(async () => {
      if (database) await resetDatabase(database.url);
    });
    suite({
      dialect: 'postgres',
      config: () => resolveStoreConfig({ databaseUrl: database?.url ?? 'postgres://unset' }),
    });
  });
}
