/**
 * One-off measurement (not part of the suite): N issues, then the issue search (first page,
 * a title filter, a data filter) and the CSV export, on SQLite or PostgreSQL (DATABASE_URL).
 * `npx tsx --conditions=source packages/server/test/api/workflow/measure-search.ts [issues]`
 */
import { performance } from 'node:perf_hooks';
import { resolveStoreConfig } from '../../../src/store/config.js';
import { buildWorkflowApp, REVIEW_BPMN } from './support.js';

const n = Number(process.argv[2] ?? 10_000);
const url = process.env.DATABASE_URL;
const t = await buildWorkflowApp(url ? resolveStoreConfig({ databaseUrl: url }) : undefined);
const alice = { ...(t.ws.users.alice?.headers ?? {}) };
const appId = (
  await t.app.inject({ method: 'POST', url: '/api/apps', headers: alice, payload: { bpmn: REVIEW_BPMN } })
).json().appId;
await t.app.inject({
  method: 'POST',
  url: `/api/apps/${appId}/versions/1/release`,
  headers: alice,
  payload: {},
});
const by = t.ws.users.alice?.id ?? '';
let started = performance.now();
const batch = 500;
for (let i = 0; i < n; i += batch) {
  await Promise.all(
    Array.from({ length: Math.min(batch, n - i) }, (_, j) =>
      t.runtime.startIssue({ appId, by, data: { title: `Issue ${i + j}`, amount: (i + j) % 100 } }),
    ),
  );
}
console.log(`${n} issues started in ${Math.round(performance.now() - started)} ms`);
async function time(label: string, path: string, runs = 5) {
  const ms: number[] = [];
  let size = 0;
  for (let r = 0; r < runs; r++) {
    started = performance.now();
    const res = await t.app.inject({ url: path, headers: alice });
    ms.push(performance.now() - started);
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    size = res.rawPayload.length;
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label}: median ${Math.round(ms[Math.floor(runs / 2)] ?? 0)} ms (min ${Math.round(ms[0] ?? 0)}), ${size} bytes`,
  );
}
await time('first page (50)', '/api/issues');
await time('title contains', '/api/issues?title=Issue%20123');
await time('data amount=42', '/api/issues?data=amount%3D42');
await time('startedBy=me page', '/api/issues?startedBy=me');
await time('my tasks page (50)', '/api/tasks');
await time(`CSV (${Math.min(n, 10_000)} rows)`, '/api/issues.csv', 3);
await t.close();
