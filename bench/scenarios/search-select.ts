/**
 * SS: search-select over the 142,871-row postal-code master (TARGETS.md T10: p99 ≤ 5 ms per
 * lookup on the server). Nagare only: the peer (bpmn-engine) has no options masters or search
 * select. On a fresh store of the backend the master is imported through `OptionsService` (the
 * service behind `PUT /api/options/{master}`), then lookups go through `OptionsService.choices`,
 * what `GET /api/options/{master}/choices` runs after authentication: the revision check against
 * the store (one primary-key read, at most once a second per master, and for a cursor of another
 * revision), the in-memory index, the page and its cursor. The first lookup loads
 * and indexes the master and is reported apart; the rest are timed one by one, awaited in turn.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ChoicesQuery,
  migrateToLatest,
  OptionsService,
  openStore,
  resolveStoreConfig,
  type Store,
} from '@nagare/server';
import { sharedDir } from '../../scripts/shared-dir.ts';
import { DEFAULT_PG_ADMIN_URL } from '../backends/durable.ts';
import { fail } from '../fail.ts';
import { fullGc } from '../gc.ts';
import type { LookupLine } from '../lines.ts';
import { latencyStats, round } from '../stats.ts';
import type { LookupScenario, Size } from './scenario.ts';

const MASTER = 'jp-postal-codes.xml';
const WORKSPACE = 'bench';

/** A fresh store: SQLite in a temp folder, or a new PostgreSQL database dropped by `close`. */
async function freshStore(backend: 'sqlite' | 'postgres'): Promise<{ store: Store; close(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'nagare-bench-ss-'));
    const store = await openStore(resolveStoreConfig({ dataDir: dir }));
    await migrateToLatest(store);
    return {
      store,
      async close() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.BENCH_PG_URL ?? DEFAULT_PG_ADMIN_URL;
  const name = `nagare_bench_ss_${process.pid}`;
  const admin = await openStore(resolveStoreConfig({ databaseUrl: adminUrl }));
  if (admin.native.dialect !== 'postgres') fail('BENCH_PG_URL is not a PostgreSQL URL');
  await admin.native.pool.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openStore(resolveStoreConfig({ databaseUrl: url.toString() }));
  await migrateToLatest(store);
  return {
    store,
    async close() {
      await store.close();
      if (admin.native.dialect === 'postgres')
        await admin.native.pool.query(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}

interface Query {
  readonly kind: string;
  readonly q: ChoicesQuery;
  /** Ask this page first and time the next one (paging with the cursor). */
  readonly secondPage?: boolean;
}

/** Realistic lookups, seeded: pieces of real labels, 1-character queries, code prefixes, dependent (parent) lookups, the next page, misses. */
function queries(items: readonly { value: string; display: string }[], n: number): Query[] {
  let seed = 42;
  const rnd = (k: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 8) % k;
  };
  const pick = () => items[rnd(items.length)]!;
  const makers: (() => Query)[] = [
    () => {
      const label = pick().display.split(' ').pop()!;
      const len = 1 + rnd(Math.min(6, label.length));
      const start = rnd(Math.max(1, label.length - len + 1));
      return { kind: `label ${len}ch`, q: { q: label.slice(start, start + len) } };
    },
    () => ({ kind: '1 char', q: { q: ['北', '区', '町', '市', '村', '東', '1', '0', 'ー'][rnd(9)]! } }),
    () => ({ kind: 'code prefix', q: { q: pick().value.slice(0, 1 + rnd(7)) } }),
    () => ({ kind: 'parent', q: { parentId: pick().value.slice(0, 3) } }),
    () => ({ kind: 'parent+query', q: { parentId: pick().value.slice(0, 3), q: '町' } }),
    () => ({ kind: 'next page', q: { q: ['町', '市', '北'][rnd(3)]! }, secondPage: true }),
    () => ({ kind: 'miss', q: { q: ['存在しない地名', 'zzz', '9999999', '北海道沖縄'][rnd(4)]! } }),
  ];
  // Weights: label fragments are what people type most.
  const weights = [10, 2, 4, 2, 2, 2, 1];
  const bag = weights.flatMap((w, i) => Array.from({ length: w }, () => makers[i]!));
  return Array.from({ length: n }, () => bag[rnd(bag.length)]!());
}

async function measure(backend: string, size: Size): Promise<LookupLine[]> {
  if (backend !== 'sqlite' && backend !== 'postgres') fail(`SS runs on sqlite or postgres, not ${backend}`);
  const xml = readFileSync(join(sharedDir(), 'addon-corpus', 'options-xml', MASTER), 'utf8');
  const { store, close } = await freshStore(backend);
  try {
    const service = new OptionsService(store);
    let t = performance.now();
    const info = await service.import(WORKSPACE, MASTER, xml);
    const importMs = performance.now() - t;
    t = performance.now();
    const { index } = await service.index(WORKSPACE, MASTER);
    const firstLookupMs = performance.now() - t;
    if (info.itemCount !== 142_871 || index.size !== info.itemCount)
      fail(`SS: imported ${info.itemCount} items, indexed ${index.size}; expected 142,871`);

    const all = queries(index.items, size.warmup + size.n);
    const times = new Float64Array(size.n);
    // CPU time of this process per lookup: what the lookup itself cost, whatever else the machine ran
    const cpu = new Float64Array(size.n);
    const byKind = new Map<string, number[]>();
    let found = 0;
    for (let i = 0; i < all.length; i++) {
      if (i === size.warmup) fullGc();
      const { kind, q, secondPage } = all[i]!;
      let query = q;
      if (secondPage) {
        const first = await service.choices(WORKSPACE, MASTER, q);
        if (!first.nextCursor) fail(`SS: "${q.q}" should have more than one page`);
        query = { ...q, cursor: first.nextCursor };
      }
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      const page = await service.choices(WORKSPACE, MASTER, query);
      const ms = performance.now() - started;
      const cpuUsed = process.cpuUsage(cpuStart);
      // Every answer is checked: it must hold only matches, in master order.
      for (const c of page.choices) {
        const ok =
          (query.q === undefined ||
            c.label.normalize('NFKC').toLowerCase().includes(query.q.normalize('NFKC').toLowerCase()) ||
            c.id.startsWith(query.q)) &&
          (query.parentId === undefined || c.id.startsWith(query.parentId));
        if (!ok) fail(`SS: ${JSON.stringify(query)} answered ${JSON.stringify(c)}`);
      }
      if (kind === 'miss' && page.choices.length > 0) fail(`SS: the miss ${query.q} found something`);
      if (i < size.warmup) continue;
      found += page.choices.length;
      times[i - size.warmup] = ms;
      cpu[i - size.warmup] = (cpuUsed.user + cpuUsed.system) / 1000;
      const list = byKind.get(kind) ?? [];
      list.push(ms);
      byKind.set(kind, list);
    }
    const stats = latencyStats(times);
    let total = 0;
    for (const x of times) total += x;
    return [
      {
        scenario: 'SS',
        name: 'search-select, postal-code master',
        mode: 'lookup',
        backend,
        n: size.n,
        warmup: size.warmup,
        items: info.itemCount,
        importMs: round(importMs, 1),
        firstLookupMs: round(firstLookupMs, 1),
        latencyMs: stats,
        cpuMs: latencyStats(cpu),
        loadAvg1: round(loadavg()[0] ?? 0, 2),
        lookupsPerSec: round(size.n / (total / 1000), 1),
        meanChoices: round(found / size.n, 1),
        byKind: Object.fromEntries(
          [...byKind].map(([kind, xs]) => [kind, { n: xs.length, ...latencyStats(Float64Array.from(xs)) }]),
        ),
      },
    ];
  } finally {
    await close();
  }
}

export const searchSelect: LookupScenario = {
  kind: 'lookup',
  id: 'SS',
  name: 'search-select, postal-code master',
  size: { n: 5_000, warmup: 500 },
  measure,
};
