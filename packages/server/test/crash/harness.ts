/**
 * The crash suite's pieces: a seeded random source, an HTTP receiver that counts calls per
 * Idempotency-Key, `nagare serve` child processes that can be SIGKILLed and restarted, and
 * the end-state checks (docs/runtime.md, "Crash safety").
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Runtime } from '../../src/runtime/runtime.js';
import type { Store } from '../../src/store/database.js';
import { startCli } from '../support/cli.js';

/** mulberry32: a small seeded PRNG, [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** NAGARE_CRASH_SEED replays a run; otherwise a fresh seed (printed by the caller). */
export function crashSeed(): number {
  const given = process.env.NAGARE_CRASH_SEED;
  if (given !== undefined && given.trim() !== '') return Number(given) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Counts calls per Idempotency-Key (at arrival, before answering) and answers 200 after a
 * random delay, so a SIGKILL usually finds calls that were made but not yet committed.
 */
export class Receiver {
  readonly calls = new Map<string, number>();
  missingKey = 0;
  #server: Server | undefined;
  url = '';

  async start(delayMs: () => number): Promise<void> {
    this.#server = createServer((req, res) => {
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string') this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
      else this.missingKey += 1;
      res.on('error', () => {});
      req.resume();
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, delayMs());
    });
    this.#server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  /** Calls beyond the first per key. */
  get duplicates(): number {
    let n = 0;
    for (const count of this.calls.values()) n += count - 1;
    return n;
  }

  get total(): number {
    let n = 0;
    for (const count of this.calls.values()) n += count;
    return n;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** One `nagare serve --role all` process that the test starts, SIGKILLs and starts again. */
export class ServeNode {
  readonly name: string;
  readonly #args: readonly string[];
  readonly #env: NodeJS.ProcessEnv;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  starts = 0;
  kills = 0;
  /** Warnings and errors the processes logged (pino JSON lines at warn and above), and stderr. */
  readonly problems: string[] = [];

  constructor(name: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.name = name;
    this.#args = args;
    this.#env = env;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Spawns the process and resolves once it printed its ready line (it has migrated and its worker runs). */
  async start(timeoutMs = 60_000): Promise<number> {
    const t0 = Date.now();
    const child = startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--role', 'all', ...this.#args], {
      env: this.#env,
    });
    this.#child = child;
    this.starts += 1;
    this.#exited = new Promise((resolve) => child.once('close', () => resolve()));
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: not ready within ${timeoutMs} ms: ${out}`)),
        timeoutMs,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        for (;;) {
          const nl = out.indexOf('\n');
          if (nl < 0) break;
          const line = out.slice(0, nl);
          out = out.slice(nl + 1);
          if (/ready at/.test(line)) {
            clearTimeout(timer);
            resolve();
          } else if (line.startsWith('{')) this.problems.push(line);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        this.problems.push(chunk.toString());
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) before it was ready: ${out}`));
      });
    });
    await ready;
    return Date.now() - t0;
  }

  /** SIGKILL: no shutdown, no lease given back, no queued command committed. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.kill('SIGKILL');
    await this.#exited;
    this.#child = undefined;
    this.kills += 1;
  }

  /** A graceful stop (SIGTERM) at the end of the test. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await this.#exited;
    clearTimeout(forced);
    this.#child = undefined;
  }
}

export interface EndState {
  readonly issues: number;
  readonly byStatus: Record<string, number>;
  /** Issues with exactly one IssueEnded event. */
  readonly endedOnce: number;
  /** Issues with more than one IssueEnded event. */
  readonly endedTwice: number;
  /** Issues with exactly one JobSucceeded event. */
  readonly succeededOnce: number;
  readonly jobs: number;
  readonly openTasks: number;
  readonly incidents: number;
  /** `issueId:seq` of every JobScheduled event of `node`. */
  readonly jobKeys: ReadonlySet<string>;
}

/**
 * What the database says about an app's issues once the work is over. The process log is
 * read through `runtime.getIssue` (its storage is the runtime's business); jobs, tasks and
 * incidents are counted in their tables.
 */
export async function readEndState(runtime: Runtime, appId: string, node: string): Promise<EndState> {
  const db = runtime.store.db;
  const issues = await db.selectFrom('issue').select(['id', 'status']).where('app_id', '=', appId).execute();
  const byStatus: Record<string, number> = {};
  for (const row of issues) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  let endedOnce = 0;
  let endedTwice = 0;
  let succeededOnce = 0;
  const jobKeys = new Set<string>();
  for (let i = 0; i < issues.length; i += 50) {
    const views = await Promise.all(issues.slice(i, i + 50).map((row) => runtime.getIssue(row.id)));
    for (const view of views) {
      const ended = view.history.filter((e) => e.type === 'IssueEnded').length;
      if (ended === 1) endedOnce += 1;
      if (ended > 1) endedTwice += 1;
      if (view.history.filter((e) => e.type === 'JobSucceeded').length === 1) succeededOnce += 1;
      for (const e of view.history) {
        if (e.type === 'JobScheduled' && e.node === node) jobKeys.add(`${view.id}:${e.seq}`);
      }
    }
  }
  const one = async (query: ReturnType<typeof sql<{ n: string | number }>>) =>
    Number((await query.execute(db)).rows[0]?.n ?? 0);
  const jobs = await one(
    sql`select count(*) as n from job j join issue i on i.id = j.issue_id where i.app_id = ${appId}`,
  );
  const openTasks = await one(
    sql`select count(*) as n from task where app_id = ${appId} and status in ('offered', 'allocated')`,
  );
  const incidents = await one(sql`select count(*) as n from incident where app_id = ${appId}`);
  return {
    issues: issues.length,
    byStatus,
    endedOnce,
    endedTwice,
    succeededOnce,
    jobs,
    openTasks,
    incidents,
    jobKeys,
  };
}

export async function countCompleted(store: Store, appId: string): Promise<number> {
  const row = await store.db
    .selectFrom('issue')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('app_id', '=', appId)
    .where('status', '=', 'completed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
