/**
 * Timers at volume, on SQLite and the real clock (docs/runtime.md, "Timers"):
 * - 10,000 timer catch events due within one second fire within 1 s of their due time (p99
 *   lateness, from the due time to the moment the worker's TimerFired commit resolved), each
 *   exactly once;
 * - timers that fell due while no worker ran fire once after the worker is back.
 * The runtime and worker are configured as `nagare serve --role all` configures them
 * (cli/runtime-node.ts): the default connectors and a worker with default options.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConnectors } from '../../src/connectors/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import type { WorkerEvent } from '../../src/runtime/worker.js';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { bpmn, flows } from '../support/runtime.js';

const TIMERS = Number(process.env.NAGARE_TIMERS ?? 10_000);
const OVERDUE = Number(process.env.NAGARE_OVERDUE_TIMERS ?? 2_000);

/** start → timer catch event due at the `due` data item (a datetime) → end. */
const TIMER_APP = bpmn(
  `<bpmn:startEvent id="start"/>
   <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDate>due</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
   <bpmn:endEvent id="end"/>${flows('start>wait', 'wait>end')}`,
  { items: '<nagare:dataItem fieldName="due" type="datetime"/>' },
);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A runtime as `nagare serve` builds it; with a worker (default options) unless `worker: false`. */
function serveRuntime(store: Store, onEvent?: (event: WorkerEvent) => void, worker = true): Runtime {
  const runtime = createRuntime(store, { connectors: defaultConnectors() });
  if (worker) runtime.createWorker(onEvent ? { onEvent } : {}).start();
  return runtime;
}

/** Starts `count` issues whose timers fall due evenly over [base, base + 1 s); returns id → due ms. */
async function startTimers(runtime: Runtime, appId: string, count: number, base: number) {
  const due = new Map<string, number>();
  for (let i = 0; i < count; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, async (_, j) => {
        const at = base + Math.floor(((i + j) * 1_000) / count);
        const { issueId } = await runtime.startIssue({ appId, data: { due: new Date(at).toISOString() } });
        due.set(issueId, at);
      }),
    );
  }
  return due;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Every issue: one TimerFired, one IssueEnded, completed; and no job left. */
async function expectFiredOnce(runtime: Runtime, ids: readonly string[]): Promise<void> {
  let firedOnce = 0;
  let endedOnce = 0;
  let completed = 0;
  for (let i = 0; i < ids.length; i += 200) {
    const views = await Promise.all(ids.slice(i, i + 200).map((id) => runtime.getIssue(id)));
    for (const view of views) {
      if (view.history.filter((e) => e.type === 'TimerFired').length === 1) firedOnce += 1;
      if (view.history.filter((e) => e.type === 'IssueEnded').length === 1) endedOnce += 1;
      if (view.status === 'completed') completed += 1;
    }
  }
  expect({ firedOnce, endedOnce, completed }).toEqual({
    firedOnce: ids.length,
    endedOnce: ids.length,
    completed: ids.length,
  });
  const jobs = await runtime.store.db
    .selectFrom('job')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(jobs.n)).toBe(0);
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done() && Date.now() < until) await sleep(20);
}

describe('timers on SQLite, real clock', () => {
  let dataDir = '';
  let store: Store;
  let appId = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nagare-timers-'));
    store = await openStore(resolveStoreConfig({ dataDir }));
    await migrateToLatest(store);
    const runtime = createRuntime(store);
    appId = (await runtime.deploy({ bpmn: TIMER_APP })).appId;
    await runtime.close();
  });
  afterAll(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`${TIMERS} timers due within one second fire within 1 s of their due time (p99), each once`, async () => {
    const fired = new Map<string, number>();
    let firings = 0;
    const runtime = serveRuntime(store, (event) => {
      if (event.type === 'job:success' && event.job.kind === 'timer') {
        firings += 1;
        fired.set(event.job.issue_id, Date.now());
      }
    });
    try {
      const t0 = Date.now();
      // Due from 6 s after now: time enough to start them all first (they must be started
      // before they fall due for the lateness to mean anything).
      const base = Math.ceil((t0 + 6_000) / 1_000) * 1_000;
      const due = await startTimers(runtime, appId, TIMERS, base);
      const startedIn = Date.now() - t0;
      expect(Date.now(), `starting ${TIMERS} issues took ${startedIn} ms`).toBeLessThan(base);
      await waitFor(() => fired.size >= TIMERS, base + 30_000 - Date.now());
      const lateness = [...due].map(([id, at]) => (fired.get(id) ?? Number.POSITIVE_INFINITY) - at);
      lateness.sort((a, b) => a - b);
      const p50 = percentile(lateness, 50);
      const p99 = percentile(lateness, 99);
      const max = lateness.at(-1)!;
      console.log(
        `[timers] ${TIMERS} started in ${startedIn} ms; fired ${fired.size} (${firings} firings); lateness p50 ${p50} ms, p99 ${p99} ms, max ${max} ms; ${runtime.stats.transactions} transactions`,
      );
      if (process.env.NAGARE_TIMERS_DEBUG) {
        const entries = [...due];
        const rows = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99].map((q) => {
          const [id, at] = entries[Math.floor(q * (entries.length - 1))]!;
          return `${q}: due +${at - base} fired +${(fired.get(id) ?? 0) - base}`;
        });
        const firedTimes = [...fired.values()].sort((a, b) => a - b);
        console.log(
          `[timers] ${rows.join('; ')}; first firing +${firedTimes[0]! - base}, last +${firedTimes.at(-1)! - base}`,
        );
      }
      expect(fired.size).toBe(TIMERS);
      expect(firings).toBe(TIMERS);
      expect(p99).toBeLessThanOrEqual(1_000);
      await expectFiredOnce(runtime, [...due.keys()]);
    } finally {
      await runtime.close();
    }
  });

  it(`${OVERDUE} timers that fell due while no worker ran fire once when it is back`, async () => {
    // An API-only node starts them; no worker runs while they fall due and stay overdue.
    const api = serveRuntime(store, undefined, false);
    const base = Date.now() + 1_000;
    const due = await startTimers(api, appId, OVERDUE, base);
    await api.close();
    await sleep(Math.max(0, base + 3_000 - Date.now()));

    const fired = new Map<string, number>();
    let firings = 0;
    const restartedAt = Date.now();
    const runtime = serveRuntime(store, (event) => {
      if (event.type === 'job:success' && event.job.kind === 'timer') {
        firings += 1;
        fired.set(event.job.issue_id, Date.now());
      }
    });
    try {
      await waitFor(() => fired.size >= OVERDUE, 30_000);
      const allIn = Math.max(...fired.values()) - restartedAt;
      console.log(
        `[timers] ${OVERDUE} overdue timers (due ${restartedAt - base - 1_000}–${restartedAt - base} ms before the restart) all fired ${allIn} ms after it; ${firings} firings`,
      );
      expect(fired.size).toBe(OVERDUE);
      expect(firings).toBe(OVERDUE);
      await expectFiredOnce(runtime, [...due.keys()]);
      // Another pass of the worker finds nothing more to fire.
      await sleep(1_500);
      expect(firings).toBe(OVERDUE);
    } finally {
      await runtime.close();
    }
  });
});
