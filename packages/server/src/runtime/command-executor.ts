/**
 * The group-commit batcher. Every command goes through `submit`; commands that arrive in the
 * same tick, or while a commit is in flight, are committed together in one transaction
 * (batch-program.ts: a savepoint per command when one of them conflicts). Each caller's
 * promise settles only after the transaction holding its command has committed (or failed).
 *
 * Why: one transaction per command leaves most of the store's capacity unused — on this
 * machine SQLite writes ~16,000 issues/s one per transaction and ~117,000/s a hundred per
 * transaction (shared/docs/TARGETS.md). Batching costs a caller at most one commit of waiting.
 */
import type { AppCache } from './app-cache.js';
import {
  type BatchContext,
  type BatchItem,
  type BatchProgram,
  type BatchResult,
  batchProgram,
  type ItemResult,
  issueIdsOf,
  type OperatorQuery,
} from './batch-program.js';
import { type Clock, iso } from './clock.js';
import { type EagerSink, eagerJobs } from './eager-jobs.js';
import { RuntimeError } from './errors.js';
import type { IssueCache } from './issue-cache.js';
import type { WriteSet } from './write-set.js';

export interface BatchRunner {
  run(program: BatchProgram): BatchResult | Promise<BatchResult>;
  /** SQLite: another transaction holds the connection; try again shortly. */
  readonly busy?: boolean;
}

export interface ExecutorOptions {
  readonly runner: BatchRunner;
  readonly apps: AppCache;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly defaultMaxAttempts: number;
  readonly operators: (query: OperatorQuery) => readonly string[] | null | undefined;
  /** Loads what `operators` answered undefined for (lane rules of versions, people of workspaces). */
  readonly prepare?: (versionIds: readonly string[], workspaceIds: readonly string[]) => Promise<void>;
  /** Most commands in one transaction. */
  readonly maxBatch: number;
  /** Transactions in flight at once (1 on SQLite: one writer; a few on PostgreSQL). */
  readonly maxInFlight: number;
  /** Called after each commit with what it wrote (wakes workers). */
  readonly onCommit?: (writes: readonly WriteSet[]) => void;
  /** Each workspace's time zone, to decide its commands in (workspace-zones.ts); else `timeZone`. */
  readonly zones?: {
    get(workspaceId: string): string | undefined;
    load(workspaceIds: readonly string[]): Promise<void>;
  };
  /** Issues as this process last committed them (issue-cache.ts). */
  readonly cache?: IssueCache;
  /** The local worker that takes jobs due now straight from their commit, if any (eager-jobs.ts). */
  readonly eager?: () => EagerSink | undefined;
}

export interface ExecutorStats {
  /** Transactions committed (or attempted). */
  transactions: number;
  /** Items submitted. */
  commands: number;
  /** Transactions that fell back to one savepoint per command. */
  fallbacks: number;
}

/** The smallest half worth a transaction of its own (see `#take`). */
const MIN_SPLIT = 16;

interface Pending {
  readonly item: BatchItem;
  readonly resolve: (result: ItemResult) => void;
}

export class CommandExecutor {
  readonly #o: ExecutorOptions;
  readonly #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #closed = false;
  #idle: (() => void)[] = [];
  readonly stats: ExecutorStats = { transactions: 0, commands: 0, fallbacks: 0 };

  constructor(options: ExecutorOptions) {
    this.#o = options;
  }

  /** Queues one item; resolves with its result after its transaction committed. Never rejects. */
  submit(item: BatchItem): Promise<ItemResult> {
    if (this.#closed) {
      return Promise.resolve({
        ok: false,
        error: new RuntimeError('CLOSED', 'the runtime is shutting down'),
      });
    }
    this.stats.commands += 1;
    return new Promise((resolve) => {
      this.#queue.push({ item, resolve });
      this.#schedule();
    });
  }

  /** Stops accepting commands and waits for the queued ones to commit. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#queue.length === 0 && this.#inFlight === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0 || this.#inFlight >= this.#o.maxInFlight) {
      if (this.#queue.length === 0 && this.#inFlight === 0) for (const f of this.#idle.splice(0)) f();
      return;
    }
    this.#scheduled = true;
    // setImmediate, not a microtask: callers answered by the last commit get to queue their
    // next command first, so it joins this batch.
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#o.runner.busy) {
        this.#scheduled = true;
        setTimeout(() => {
          this.#scheduled = false;
          this.#schedule();
        }, 1);
        return;
      }
      const batch = this.#queue.splice(0, this.#take());
      if (batch.length === 0) return;
      this.#inFlight += 1;
      void this.#commit(batch).finally(() => {
        this.#inFlight -= 1;
        this.#schedule();
      });
      this.#schedule();
    });
  }

  /**
   * How many queued commands the next transaction takes. When none is in flight and another may
   * be, a long queue goes out as two transactions, one right after the other: the database
   * then works on the first while this process decides and encodes the second. Otherwise every
   * caller waits for the same commit and comes back at once, and the process and the database
   * take turns instead of working at the same time (PostgreSQL, 200 in flight: S1 +40%, S2 +23%,
   * S1J +15% issues/s; docs/performance.md). One writer (SQLite) has nothing to overlap.
   */
  #take(): number {
    const queued = this.#queue.length;
    if (this.#inFlight === 0 && this.#o.maxInFlight > 1 && queued >= 2 * MIN_SPLIT) {
      return Math.min(this.#o.maxBatch, Math.ceil(queued / 2));
    }
    return this.#o.maxBatch;
  }

  async #commit(batch: readonly Pending[]): Promise<void> {
    const items = batch.map((p) => p.item);
    const sink = this.#o.eager?.();
    const zones = this.#o.zones;
    let reserved = 0;
    try {
      for (let round = 0; ; round++) {
        const now = this.#o.clock.now();
        const ctx: BatchContext = {
          now,
          nowIso: iso(now),
          timeZone: this.#o.timeZone,
          app: (id) => this.#o.apps.get(id),
          defaultMaxAttempts: this.#o.defaultMaxAttempts,
          operators: this.#o.operators,
          ...(zones && { zoneOf: (id: string) => zones.get(id) }),
          ...(this.#o.cache && { cache: this.#o.cache }),
          ...(sink && {
            eagerLease: () => {
              if (!sink.reserve()) return undefined;
              reserved += 1;
              return { lockedBy: sink.workerId, lockedUntil: iso(now + sink.leaseMs) };
            },
          }),
        };
        this.stats.transactions += 1;
        const result = await this.#o.runner.run(batchProgram(items, ctx));
        if (result.kind === 'needApps') {
          // An app version, then a workspace's zone, then lane rules or people: a round each at most.
          if (round > 3) throw new Error(`app versions could not be loaded: ${result.versionIds.join(', ')}`);
          await Promise.all([
            ...result.versionIds.map((id) => this.#o.apps.load(id)),
            ...(result.zones ? [this.#o.zones?.load(result.zones)] : []),
          ]);
          if (result.workspaceIds) await this.#o.prepare?.(result.versionIds, result.workspaceIds);
          continue;
        }
        if (result.fallback) this.stats.fallbacks += 1;
        const cache = this.#o.cache;
        if (cache) {
          // After a fallback some cached issues proved stale: forget the batch's, keep what committed.
          if (result.fallback) for (const id of issueIdsOf(items)) cache.delete(id);
          for (const issue of result.issues) cache.put(issue);
        }
        if (sink) {
          sink.settle(
            reserved,
            result.writes.flatMap((w) => eagerJobs(w.jobInserts, sink.workerId)),
          );
          reserved = 0;
        }
        this.#o.onCommit?.(result.writes);
        batch.forEach((p, i) => {
          p.resolve(result.results[i]!);
        });
        return;
      }
    } catch (error) {
      sink?.settle(reserved, []);
      const failure =
        error instanceof RuntimeError
          ? error
          : new RuntimeError('STORE', `the store failed; nothing was written: ${String(error)}`, {
              cause: error,
            });
      for (const p of batch) p.resolve({ ok: false, error: failure });
    }
  }
}
