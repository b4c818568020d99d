/**
 * Durable backends (TARGETS.md T2–T7): every `apply` goes through Nagare's runtime
 * (`@nagare/server` createRuntime: group commit, optimistic version check) and resolves only
 * after the transaction holding the command has committed. `sqlite`: a fresh database file in
 * a temp folder; `postgres`: a fresh database on the server of BENCH_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped by `close()`.
 *
 * Steps that run as jobs (scenario S1J, T7) are run by a worker of the same runtime with the
 * in-process connector `bench` (returns `amount = 42`); `settle(issueId)` resolves once the
 * worker's result is committed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, DecideResult, IssueState } from '@nagare/engine';
import {
  type CommandOutcome,
  createConnectorRegistry,
  createRuntime,
  migrateToLatest,
  openStore,
  type Runtime,
  resolveStoreConfig,
  type Store,
} from '@nagare/server';
import { fail } from '../fail.ts';
import type { Backend } from './backend.ts';

export type DurableKind = 'sqlite' | 'postgres';

export const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

let databases = 0;

/** Runs one statement on the server's maintenance database (CREATE / DROP DATABASE). */
async function admin(url: string, statement: string): Promise<void> {
  let store: Store;
  try {
    store = await openStore(resolveStoreConfig({ databaseUrl: url }));
  } catch (error) {
    fail(`cannot reach PostgreSQL at ${url} (set BENCH_PG_URL): ${String(error)}`);
  }
  try {
    if (store.native.dialect !== 'postgres') fail('BENCH_PG_URL is not a PostgreSQL URL');
    await store.native.pool.query(statement);
  } finally {
    await store.close();
  }
}

function toResult(outcome: CommandOutcome): DecideResult {
  return {
    state: outcome.state,
    events: outcome.events,
    effects: outcome.effects,
  } as unknown as DecideResult;
}

export async function durableBackend(kind: DurableKind, bpmn: string): Promise<Backend> {
  let dir: string | undefined;
  let dbName: string | undefined;
  let databaseUrl: string | undefined;
  const adminUrl = process.env.BENCH_PG_URL ?? DEFAULT_PG_ADMIN_URL;
  if (kind === 'sqlite') dir = await mkdtemp(join(tmpdir(), 'nagare-bench-'));
  else {
    dbName = `nagare_bench_${process.pid}_${++databases}`;
    await admin(adminUrl, `create database ${dbName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const store: Store = await openStore(resolveStoreConfig({ databaseUrl, dataDir: dir }));
  await migrateToLatest(store);

  type Settled = { ok: true; outcome: CommandOutcome } | { ok: false; error: Error };
  // an issue's job result, by issue: awaited (waiting) or arrived before settle() was called (early)
  const waiting = new Map<string, (s: Settled) => void>();
  const early = new Map<string, Settled>();
  const runtime: Runtime = createRuntime(store, {
    connectors: createConnectorRegistry([
      { type: 'bench', run: async () => ({ ok: true, data: { amount: 42 } }) },
    ]),
  });
  const worker = runtime.createWorker({
    id: `bench-${process.pid}`,
    batchSize: 200,
    concurrency: 400,
    // pollMs: the server's default. Jobs of this runtime's own commits reach the worker at once
    // (eager dispatch, or a wake-up when none was leased); polling only finds other nodes' jobs.
    onEvent: (event) => {
      if (event.type !== 'job:success' && event.type !== 'job:failed' && event.type !== 'job:refused') return;
      const id = event.job.issue_id;
      const settled: Settled =
        event.type === 'job:success' && event.outcome
          ? { ok: true, outcome: event.outcome }
          : { ok: false, error: new Error(`the job of issue ${id}: ${event.type}`) };
      const w = waiting.get(id);
      if (w === undefined) early.set(id, settled);
      else {
        waiting.delete(id);
        w(settled);
      }
    },
  });
  worker.start();
  const { appId } = await runtime.deploy({ bpmn });
  const active = new Set<string>();

  function keep(issueId: string, state: IssueState): void {
    if (state.status === 'active') active.add(issueId);
    else active.delete(issueId);
  }

  return {
    name: kind,
    async apply(issueId: string, command: Command): Promise<DecideResult> {
      let outcome: CommandOutcome;
      if (command.type === 'StartIssue') {
        outcome = await runtime.startIssue({
          appId,
          issueId,
          ...(command.data ? { data: command.data } : {}),
        });
      } else if (command.type === 'CompleteTask') {
        outcome = await runtime.completeTask({
          taskId: `${issueId}:${command.seq}`,
          operator: command.operator,
          ...(command.data ? { data: command.data } : {}),
        });
      } else outcome = await runtime.submit(issueId, command);
      keep(issueId, outcome.state);
      return toResult(outcome);
    },
    async settle(issueId: string): Promise<DecideResult> {
      let settled = early.get(issueId);
      early.delete(issueId);
      settled ??= await new Promise<Settled>((resolve) => waiting.set(issueId, resolve));
      if (!settled.ok) throw settled.error;
      keep(issueId, settled.outcome.state);
      return toResult(settled.outcome);
    },
    size: () => active.size,
    async close(): Promise<void> {
      await runtime.close();
      await store.close();
      if (dir) await rm(dir, { recursive: true, force: true });
      if (dbName) await admin(adminUrl, `drop database if exists ${dbName} with (force)`);
    },
  };
}
