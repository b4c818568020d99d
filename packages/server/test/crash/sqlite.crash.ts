/**
 * Crash safety on SQLite: one `nagare serve --role all` process, SIGKILLed at 5 seeded random
 * moments and started again while 2,000 issues with an HTTP step run (docs/runtime.md,
 * "Crash safety"). `npm run test:crash`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { crashSeed, ServeNode } from './harness.js';
import { checkCrashSafe, runCrashScenario } from './scenario.js';

const ISSUES = 2_000;
const KILLS = 5;

it(`SQLite: ${ISSUES} issues, one node SIGKILLed ${KILLS} times: each ends once, none lost or stuck, duplicates carry known keys`, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nagare-crash-'));
  const store = await openStore(resolveStoreConfig({ dataDir }));
  try {
    await migrateToLatest(store);
    const report = await runCrashScenario({
      label: 'sqlite',
      store,
      nodes: [new ServeNode('node', ['--data-dir', dataDir], {})],
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
    await rm(dataDir, { recursive: true, force: true });
  }
});
