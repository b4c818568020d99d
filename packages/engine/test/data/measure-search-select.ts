/**
 * Search-select figures over the largest options master in the shared corpus (the 142,871-row
 * postal-code master): parse and index build time, heap growth, p50/p99/max per lookup over a
 * few thousand realistic queries (1-character, Japanese place names, postal-code prefixes,
 * dependent `parent` lookups, `values` lookups). Run:
 *   node --expose-gc --import tsx packages/engine/test/data/measure-search-select.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sharedDir } from '../../../../scripts/shared-dir.js';
import { OptionsIndex, parseOptionsXml } from '../../src/index.js';

const dir = join(sharedDir(), 'addon-corpus', 'options-xml');
const largest = readdirSync(dir)
  .filter((f) => f.endsWith('.xml'))
  .map((f) => ({ f, size: statSync(join(dir, f)).size }))
  .sort((a, b) => b.size - a.size)[0]!.f;
const xml = readFileSync(join(dir, largest), 'utf8');
const gc = (globalThis as { gc?: () => void }).gc;

gc?.();
const heap0 = process.memoryUsage().heapUsed;
let t = performance.now();
const parsed = parseOptionsXml(xml);
const parseMs = performance.now() - t;
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
t = performance.now();
const index = new OptionsIndex(parsed.items);
const buildMs = performance.now() - t;
gc?.();
const heap1 = process.memoryUsage().heapUsed;

// Realistic queries: pieces of real labels (1–6 characters, Japanese), code prefixes, misses.
let seed = 42;
const rnd = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return (seed >>> 8) % n;
};
const items = parsed.items;
const queries: { name: string; q: Parameters<OptionsIndex['lookup']>[0] }[] = [];
for (let i = 0; i < 1000; i++) {
  const label = items[rnd(items.length)]!.display.split(' ').pop()!;
  const len = 1 + rnd(Math.min(6, label.length));
  const start = rnd(Math.max(1, label.length - len + 1));
  queries.push({ name: `label ${len}ch`, q: { query: label.slice(start, start + len), limit: 50 } });
}
for (const c of ['北', '区', '町', '市', '村', '東', '1', '0', 'a', 'ー']) {
  for (let i = 0; i < 30; i++) queries.push({ name: '1 char', q: { query: c, limit: 50 } });
}
for (let i = 0; i < 500; i++) {
  const v = items[rnd(items.length)]!.value;
  queries.push({ name: 'code prefix', q: { query: v.slice(0, 1 + rnd(7)), limit: 50 } });
}
for (let i = 0; i < 500; i++) {
  const v = items[rnd(items.length)]!.value;
  queries.push({ name: 'parent', q: { parent: v.slice(0, 3), limit: 50 } });
  queries.push({ name: 'parent+query', q: { parent: v.slice(0, 3), query: '町', limit: 50 } });
}
for (let i = 0; i < 300; i++) {
  queries.push({
    name: 'values',
    q: { values: [items[rnd(items.length)]!.value, items[rnd(items.length)]!.value] },
  });
}
for (const miss of ['存在しない地名', 'zzz', '9999999', '北海道沖縄']) {
  for (let i = 0; i < 20; i++) queries.push({ name: 'miss', q: { query: miss, limit: 50 } });
}
// warm up
for (const { q } of queries.slice(0, 200)) index.lookup(q);
const times: number[] = [];
const byKind = new Map<string, number[]>();
for (const { name, q } of queries) {
  const s = performance.now();
  index.lookup(q);
  const d = performance.now() - s;
  times.push(d);
  const list = byKind.get(name) ?? [];
  list.push(d);
  byKind.set(name, list);
}
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const f = (x: number): string => `${x.toFixed(3)} ms`;
console.log(`master: ${largest}, ${items.length} items, ${(xml.length / 1e6).toFixed(1)}M chars`);
console.log(
  `parse ${parseMs.toFixed(0)} ms, index build ${buildMs.toFixed(0)} ms, heap +${((heap1 - heap0) / 1048576).toFixed(0)} MiB (items + index${gc ? '' : ', no --expose-gc: rough'})`,
);
console.log(
  `${times.length} lookups: p50 ${f(pct(times, 50))}, p99 ${f(pct(times, 99))}, max ${f(Math.max(...times))}`,
);
for (const [name, xs] of byKind)
  console.log(
    `  ${name.padEnd(14)} n=${String(xs.length).padStart(4)} p50 ${f(pct(xs, 50))} p99 ${f(pct(xs, 99))}`,
  );
