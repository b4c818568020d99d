/**
 * S1 durable (TARGETS.md T2/T3): start → update data → exclusive gateway → end, each issue
 * committed (issue row + history) before its caller is answered, `inFlight` callers at once.
 *
 *   npx tsx --conditions=source packages/server/test/runtime/s1-durable.ts [issues] [inFlight]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/nagare_bench npx tsx ... (PostgreSQL)
 *
 * Also S2 (start, then complete the task: T4) with S2=1. MAX_IN_FLIGHT / MAX_BATCH override the
 * runtime's transactions in flight and commands per transaction.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../../src/runtime/runtime.js';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { S1, S2 } from '../support/runtime.js';

const issues = Number(process.argv[2] ?? 20_000);
const inFlight = Number(process.argv[3] ?? 200);
const s2 = process.env.S2 === '1';

const dataDir = await mkdtemp(join(tmpdir(), 'nagare-s1-'));
const store = await openStore(resolveStoreConfig({ databaseUrl: process.env.DATABASE_URL, dataDir }));
await migrateToLatest(store);
const runtime = createRuntime(store, {
  ...(process.env.MAX_IN_FLIGHT ? { maxInFlight: Number(process.env.MAX_IN_FLIGHT) } : {}),
  ...(process.env.MAX_BATCH ? { maxBatch: Number(process.env.MAX_BATCH) } : {}),
});
const { appId } = await runtime.deploy({ bpmn: s2 ? S2 : S1 });

async function one(): Promise<void> {
  const { issueId } = await runtime.startIssue({ appId });
  if (s2) await runtime.completeTask({ taskId: `${issueId}:1`, operator: 'bench' });
}

async function round(n: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        next += 1;
        await one();
      }
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

await round(Math.min(2_000, issues)); // warm-up
const rates: number[] = [];
for (let i = 0; i < 3; i++) rates.push(await round(issues));
const sorted = [...rates].sort((a, b) => a - b);
const { transactions, commands } = runtime.stats;
console.log(
  `${s2 ? 'S2' : 'S1'} durable, ${store.dialect}: ${issues} issues x3, ${inFlight} in flight: ` +
    `min ${sorted[0]!.toFixed(0)} / median ${sorted[1]!.toFixed(0)} / max ${sorted[2]!.toFixed(0)} issues/s ` +
    `(${(commands / transactions).toFixed(1)} commands per transaction)`,
);
await runtime.close();
await store.close();
await rm(dataDir, { recursive: true, force: true });
