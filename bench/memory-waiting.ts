/**
 * T9: server memory vs waiting issues. Fills a fresh PostgreSQL database with `--issues` S2
 * issues waiting at their user task — started THROUGH THE RUNTIME (createRuntime, group commit,
 * each start committed: issue row, history row, task row), `--in-flight` at once, for at most
 * `--fill-seconds` — then starts `nagare serve --role all` (from source, as a child) against it,
 * warms it up and runs a few API and worker cycles (GET /api/health and /; a batch of HTTP jobs
 * the server's worker claims, calls and commits; its poll loop), and reads the child's RSS
 * (/proc/<pid>/status VmRSS; the median of 5 samples, 1 s apart). The same against a database
 * with 0 waiting issues. Target: within 10%.
 *
 *   node --conditions=source --import tsx memory-waiting.ts [--issues 1000000] [--fill-seconds 300]
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres (the maintenance database; default)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createRuntime,
  defaultConnectors,
  migrateToLatest,
  openStore,
  resolveStoreConfig,
  type Store,
} from '@nagare/server';
import { DEFAULT_PG_ADMIN_URL } from './backends/durable.ts';

const { values } = parseArgs({
  options: {
    issues: { type: 'string', default: '1000000' },
    'fill-seconds': { type: 'string', default: '300' },
    'in-flight': { type: 'string', default: '1000' },
  },
});
const wanted = Number(values.issues);
const fillSeconds = Number(values['fill-seconds']);
const inFlight = Number(values['in-flight']);
const adminUrl = process.env.BENCH_PG_URL ?? DEFAULT_PG_ADMIN_URL;
const CLI = fileURLToPath(new URL('../packages/server/src/cli/main.ts', import.meta.url));
const S2 = readFileSync(new URL('./models/s2-user-task.bpmn', import.meta.url), 'utf8');
const JOB = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="J" targetNamespace="urn:nagare-bench:t9">
  <process id="T9_Job" isExecutable="true">
    <startEvent id="start"/><sequenceFlow id="a" sourceRef="start" targetRef="call"/>
    <serviceTask id="call"><extensionElements><nagare:automation type="http"><nagare:config name="url">URL</nagare:config></nagare:automation></extensionElements></serviceTask>
    <sequenceFlow id="b" sourceRef="call" targetRef="end"/><endEvent id="end"/>
  </process>
</definitions>`;

const log = (m: string): void => void process.stderr.write(`[t9] ${m}\n`);

async function admin(statement: string): Promise<void> {
  const store = await openStore(resolveStoreConfig({ databaseUrl: adminUrl }));
  try {
    if (store.native.dialect === 'postgres') await store.native.pool.query(statement);
  } finally {
    await store.close();
  }
}

function dbUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function fill(store: Store, n: number): Promise<{ issues: number; seconds: number }> {
  if (n === 0) return { issues: 0, seconds: 0 };
  const runtime = createRuntime(store, { maxBatch: 1_000 });
  const { appId } = await runtime.deploy({ bpmn: S2 });
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + fillSeconds * 1000;
  let last = t0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (started < n && performance.now() < deadline) {
        started++;
        await runtime.startIssue({ appId, data: { instanceNo: started } });
        if (performance.now() - last > 10_000) {
          last = performance.now();
          log(`${started} started, ${Math.round(started / ((last - t0) / 1000))}/s`);
        }
      }
    }),
  );
  await runtime.close();
  return { issues: started, seconds: (performance.now() - t0) / 1000 };
}

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measureServer(databaseUrl: string, store: Store, target: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      CLI,
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--role',
      'all',
    ],
    { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.on('close', resolve));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /ready at (\S+)/.exec(out);
        if (m) resolve(m[1]!.replace(/\/$/, ''));
      });
      child.on('close', () => reject(new Error(`serve exited before it was ready: ${out}`)));
    });
    // warm-up and API cycles
    for (let i = 0; i < 300; i++) {
      await (await fetch(`${base}/api/health`)).text();
      await (await fetch(`${base}/`)).text();
    }
    // worker cycles: 500 HTTP jobs the server's worker claims, runs and commits
    const runtime = createRuntime(store, { connectors: defaultConnectors() });
    const { appId } = await runtime.deploy({ bpmn: JOB.replace('URL', target) });
    const ids = await Promise.all(
      Array.from({ length: 500 }, async () => (await runtime.startIssue({ appId })).issueId),
    );
    for (let round = 0; round < 600; round++) {
      const open = await store.db
        .selectFrom('job')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('issue_id', 'in', ids)
        .executeTakeFirst();
      if (Number(open?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await runtime.close();
    for (let i = 0; i < 100; i++) await (await fetch(`${base}/api/health`)).text();
    await new Promise((r) => setTimeout(r, 3_000)); // a few idle poll rounds of the worker
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(rssKiB(child.pid!));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return median(samples);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const target = createServer((_req, res) => res.writeHead(200).end('{}'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
  const results: Record<string, unknown>[] = [];
  for (const n of [0, wanted]) {
    const name = `nagare_t9_${process.pid}_${n}`;
    await admin(`create database ${name}`);
    const url = dbUrl(name);
    try {
      const store = await openStore(resolveStoreConfig({ databaseUrl: url }));
      await migrateToLatest(store);
      log(`filling ${name} with ${n} waiting S2 issues (at most ${fillSeconds} s) ...`);
      const filled = await fill(store, n);
      const waiting = await store.db
        .selectFrom('task')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['offered', 'allocated'])
        .executeTakeFirst();
      log(`${Number(waiting?.n ?? 0)} waiting; starting nagare serve --role all ...`);
      const rss = await measureServer(url, store, targetUrl);
      const size =
        store.native.dialect === 'postgres'
          ? await store.native.pool.query<{ b: string }>('select pg_database_size(current_database()) as b')
          : undefined;
      results.push({
        waitingIssues: Number(waiting?.n ?? 0),
        fillSeconds: Math.round(filled.seconds),
        fillPerSec: filled.seconds > 0 ? Math.round(filled.issues / filled.seconds) : 0,
        databaseMiB: Math.round(Number(size?.rows?.[0]?.b ?? 0) / 2 ** 20),
        rssMiB: Math.round((rss / 1024) * 10) / 10,
      });
      log(JSON.stringify(results.at(-1)));
      await store.close();
    } finally {
      await admin(`drop database if exists ${name} with (force)`);
    }
  }
  target.close();
  const [none, full] = results as { rssMiB: number }[];
  const change = (full!.rssMiB / none!.rssMiB - 1) * 100;
  process.stdout.write(
    `${JSON.stringify({ type: 't9', results, rssChangePercent: Math.round(change * 10) / 10, pass: Math.abs(change) <= 10 })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`T9 FAILED: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
