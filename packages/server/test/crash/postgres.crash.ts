/**
 * Crash safety on PostgreSQL: two `nagare serve --role all` processes on a fresh database;
 * one of them (seeded random choice) is SIGKILLed at 5 random moments and started again
 * while the other keeps working (docs/runtime.md, "Crash safety"). With CI=true PostgreSQL
 * is mandatory.
 */
import { expect, it } from 'vitest';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createTestDatabase, postgresRequired, probePostgres } from '../support/postgres.js';
import { crashSeed, ServeNode } from './harness.js';
import { checkCrashSafe, runCrashScenario } from './scenario.js';

const ISSUES = 2_000;
const KILLS = 5;
const probe = await probePostgres();
if (!probe.available && !postgresRequired) {
  console.warn(`[crash] PostgreSQL crash test skipped: ${probe.reason} (with CI=true it fails instead)`);
}

it.skipIf(!probe.available && !postgresRequired)(
  `PostgreSQL: ${ISSUES} issues on two nodes, one SIGKILLed ${KILLS} times while the other works: each ends once, none lost or stuck`,
  async () => {
    if (!probe.available)
      throw new Error(`${probe.reason}. Start it (see .ci/run) or set NAGARE_TEST_PG_URL.`);
    const database = await createTestDatabase();
    const store = await openStore(resolveStoreConfig({ databaseUrl: database.url }));
    try {
      await migrateToLatest(store);
      const env = { DATABASE_URL: database.url };
      const report = await runCrashScenario({
        label: 'postgres',
        store,
        nodes: [new ServeNode('node-a', [], env), new ServeNode('node-b', [], env)],
        seed: crashSeed(),
        issues: ISSUES,
        kills: KILLS,
        startWindowMs: 35_000,
        killGapMs: [800, 2_500],
        settleWithinMs: 90_000,
      });
      expect(checkCrashSafe(report, ISSUES, KILLS)).toEqual([]);
    } finally {
      await store.close();
      await database.drop();
    }
  },
);
