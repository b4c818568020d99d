/**
 * A worker: claims due jobs in batches with a lease, runs each through its connector and
 * reports the result to the engine through the command executor (group commit).
 *
 * - Lease: a claim sets `locked_by` and `locked_until` and counts the attempt. The result is
 *   committed only if the job row still carries this worker and this attempt (the fence in
 *   the batch), so a worker whose lease ran out — and the job was claimed again — cannot
 *   commit; its seq is also stale once the other worker's result is in.
 * - Retries: a retryable failure with attempts left puts the job back with exponential
 *   back-off (base × 2^(attempt-1), ×0.75–1.25 jitter from the injected random source,
 *   capped); the engine sees only the final `JobFailed` (an incident, or an error boundary).
 * - Timers are jobs of kind `timer`: running one submits `TimerFired`. A timer does no I/O, so
 *   timers are claimed apart from connector jobs (in the same statement), in batches of
 *   `timerBatchSize`, and do not count against `concurrency`; at most two timer batches are
 *   in flight, so the next batch is claimed while the previous one's `TimerFired` commit runs.
 *   Each timer is still leased and fenced like any job.
 * - Wake-ups: a commit that scheduled a job due now wakes idle workers (in process; on
 *   PostgreSQL also other nodes by NOTIFY); otherwise they poll every `pollMs`, or sooner
 *   when the next job (a timer) falls due before that.
 * - `stop()`: stops claiming, lets running jobs finish for `graceMs`, then aborts them and
 *   gives their leases back (the attempt is not counted).
 */
import type { AutomationSpec, Command } from '@nagare/engine';
import type { ConnectorRegistry, ConnectorResult, JobIssue } from '../connectors/connector.js';
import type { ClaimedJob } from '../store/job-rows.js';
import type { CommandOutcome, ItemResult } from './batch-program.js';
import { type Clock, iso } from './clock.js';
import type { EagerSink } from './eager-jobs.js';
import { LeaseSignals } from './lease-signals.js';

export interface BackoffOptions {
  readonly baseMs: number;
  readonly factor: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, factor: 2, maxMs: 15 * 60_000 };

/** The delay before attempt `attempt + 1`; `random` in [0, 1) gives ±25% jitter. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number): number {
  const raw = options.baseMs * options.factor ** Math.max(0, attempt - 1);
  return Math.round(Math.min(options.maxMs, raw) * (0.75 + 0.5 * random));
}

export type WorkerEvent =
  | { readonly type: 'job:start'; readonly job: ClaimedJob }
  /** `outcome`: the committed result of the job's command (the issue's new state). */
  | { readonly type: 'job:success'; readonly job: ClaimedJob; readonly outcome: CommandOutcome | null }
  | { readonly type: 'job:retry'; readonly job: ClaimedJob; readonly error: string; readonly runAt: string }
  | { readonly type: 'job:failed'; readonly job: ClaimedJob; readonly error: string }
  | {
      readonly type: 'job:refused';
      readonly job: ClaimedJob;
      readonly code: string;
      readonly message: string;
    }
  | {
      readonly type: 'timerStart:round';
      readonly app: string;
      readonly node: string;
      readonly started: number;
    }
  | { readonly type: 'error'; readonly error: unknown };

export interface WorkerOptions {
  /** Unique per worker; written to `locked_by`. Default: a random id. */
  readonly id?: string;
  /** Jobs claimed per query. */
  readonly batchSize?: number;
  /** Connector jobs running at once (timers do not count). */
  readonly concurrency?: number;
  /** Timers claimed per query (apart from connector jobs); at most twice as many in flight. */
  readonly timerBatchSize?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly graceMs?: number;
  readonly backoff?: BackoffOptions;
  /** Jitter source, [0, 1). */
  readonly random?: () => number;
  /** Also fire Timer Starts (default true). */
  readonly timerStarts?: boolean;
  /**
   * Take jobs straight from the commits of this process that schedule them, without a claim
   * query (default true; eager-jobs.ts). Jobs from other nodes are still claimed.
   */
  readonly eager?: boolean;
  readonly onEvent?: (event: WorkerEvent) => void;
}

/** What a worker needs from the runtime (runtime.ts provides it). */
export interface WorkerHost {
  readonly clock: Clock;
  readonly connectors: ConnectorRegistry;
  /**
   * With `timerLimit`: up to `limit` connector jobs and up to `timerLimit` timers; without
   * it, up to `limit` jobs of either kind.
   */
  claimJobs(workerId: string, limit: number, leaseMs: number, timerLimit?: number): Promise<ClaimedJob[]>;
  submit(job: ClaimedJob, workerId: string, command: Command): Promise<ItemResult>;
  retryLater(job: ClaimedJob, workerId: string, runAt: string, error: string): Promise<boolean>;
  release(job: ClaimedJob, workerId: string): Promise<void>;
  /** The issue a job belongs to, as connectors see it (`JobRun.issue()`). */
  loadIssue(issueId: string): Promise<JobIssue>;
  runTimerStarts(workerId: string, leaseMs: number, onEvent?: (event: WorkerEvent) => void): Promise<number>;
  /** Registers a wake-up callback; returns the unregister function. */
  onWake(listener: () => void): () => void;
  /** When the next unclaimed job falls due (epoch ms), if any: an idle worker wakes then. */
  nextDue?(kind?: 'job' | 'timer'): Promise<number | undefined>;
  /** Offers this worker jobs straight from the commits that schedule them; returns the detach function. */
  attachEager?(sink: EagerSink): () => void;
}

export class Worker {
  readonly id: string;
  /** Jobs this worker ran, by how it got them: a claim query, or straight from a commit (eager). */
  readonly stats = { claimed: 0, eager: 0 };
  readonly #host: WorkerHost;
  readonly #o: Required<Omit<WorkerOptions, 'id' | 'onEvent'>> & Pick<WorkerOptions, 'onEvent'>;
  readonly #running = new Set<Promise<void>>();
  /** Of `#running`, the timers (the rest are connector jobs). */
  #runningTimers = 0;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #woken = false;
  /** The last claim took as many as there was room for: more may be due. */
  #starved = false;
  #unlisten: (() => void) | undefined;
  /** Slots promised to commits in flight for eager jobs (eager-jobs.ts). */
  #reservedEager = 0;
  #detachEager: (() => void) | undefined;

  constructor(host: WorkerHost, options: WorkerOptions = {}) {
    this.#host = host;
    this.id = options.id ?? `worker-${Math.random().toString(36).slice(2, 10)}`;
    this.#o = {
      batchSize: options.batchSize ?? 50,
      concurrency: options.concurrency ?? 50,
      timerBatchSize: options.timerBatchSize ?? 500,
      leaseMs: options.leaseMs ?? 60_000,
      pollMs: options.pollMs ?? 1_000,
      graceMs: options.graceMs ?? 10_000,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: options.random ?? Math.random,
      timerStarts: options.timerStarts ?? true,
      eager: options.eager ?? true,
      onEvent: options.onEvent,
    };
    this.#leaseSignals = new LeaseSignals(this.#o.leaseMs);
  }

  /** Connector jobs this worker can still take: concurrency less running and promised ones. */
  #jobRoom(): number {
    return this.#o.concurrency - (this.#running.size - this.#runningTimers) - this.#reservedEager;
  }

  #launch(job: ClaimedJob): void {
    const timer = job.kind === 'timer';
    if (timer) this.#runningTimers += 1;
    const run = this.#execute(job).finally(() => {
      this.#running.delete(run);
      if (timer) this.#runningTimers -= 1;
      // Room for a job the last claim had to leave: claim again now. Otherwise there is nothing
      // due to claim (a claim per finished job cost two queries per job, bench S1J sequential).
      if (this.#starved) this.#wake?.();
    });
    this.#running.add(run);
  }

  get running(): number {
    return this.#running.size;
  }

  /** One pass, for tests and scripts: fire due Timer Starts, claim one batch of due jobs, run them to the end. */
  async runOnce(): Promise<{ jobs: number; timerStarts: number }> {
    const timerStarts = this.#o.timerStarts
      ? await this.#host.runTimerStarts(this.id, this.#o.leaseMs, this.#o.onEvent)
      : 0;
    const jobs = await this.#host.claimJobs(this.id, this.#o.batchSize, this.#o.leaseMs);
    await Promise.all(jobs.map((job) => this.#execute(job)));
    return { jobs: jobs.length, timerStarts };
  }

  /** Runs until `stop()`. */
  start(): void {
    if (this.#loop) return;
    this.#unlisten = this.#host.onWake(() => {
      this.#woken = true;
      this.#wake?.();
    });
    if (this.#o.eager && this.#host.attachEager) {
      this.#detachEager = this.#host.attachEager({
        workerId: this.id,
        leaseMs: this.#o.leaseMs,
        reserve: () => {
          if (this.#stop.signal.aborted || this.#jobRoom() <= 0) return false;
          this.#reservedEager += 1;
          return true;
        },
        settle: (reserved, jobs) => {
          this.#reservedEager -= reserved;
          for (const job of jobs) {
            // Committed while stopping: give the lease back at once rather than start it late.
            if (this.#stop.signal.aborted) void this.#host.release(job, this.id).catch(() => {});
            else {
              this.stats.eager += 1;
              this.#launch(job);
            }
          }
        },
      });
    }
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    if (!this.#stop.signal.aborted) {
      this.#stop.abort();
      this.#wake?.();
    }
    this.#detachEager?.();
    this.#unlisten?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    let lastTimerCheck = 0;
    while (!this.#stop.signal.aborted) {
      try {
        const now = this.#host.clock.now();
        if (this.#o.timerStarts && now - lastTimerCheck >= this.#o.pollMs) {
          lastTimerCheck = now;
          await this.#host.runTimerStarts(this.id, this.#o.leaseMs, this.#o.onEvent);
        }
        const jobLimit = Math.max(0, Math.min(this.#jobRoom(), this.#o.batchSize));
        const timerLimit = Math.max(
          0,
          Math.min(2 * this.#o.timerBatchSize - this.#runningTimers, this.#o.timerBatchSize),
        );
        let jobs = 0;
        let timers = 0;
        if (jobLimit > 0 || timerLimit > 0) {
          this.#woken = false;
          const claimed = await this.#host.claimJobs(this.id, jobLimit, this.#o.leaseMs, timerLimit);
          for (const job of claimed) {
            if (job.kind === 'timer') timers += 1;
            else jobs += 1;
            this.stats.claimed += 1;
            this.#launch(job);
          }
        }
        if (this.#stop.signal.aborted) break;
        // A claim that came back full (or could not run for lack of room) may have left due
        // jobs behind: a finished one makes room to claim them. One that came back short found
        // all there was.
        this.#starved = jobs === jobLimit || timers === timerLimit;
        // A full batch of either kind, with room for more of it: claim again at once (for
        // timers, while the previous batch commits). Otherwise sleep until woken (a job
        // finished, or a commit scheduled one), until the next job of a kind with room
        // falls due, or the poll interval.
        const jobRoom = this.#jobRoom() > 0;
        const timerRoom = this.#runningTimers < 2 * this.#o.timerBatchSize;
        const more =
          (jobLimit > 0 && jobs === jobLimit && jobRoom) ||
          (timerLimit > 0 && timers === timerLimit && timerRoom);
        if (!more) {
          const ms =
            jobRoom || timerRoom
              ? await this.#idleWait(jobRoom && timerRoom ? undefined : jobRoom ? 'job' : 'timer')
              : this.#o.pollMs;
          if (this.#stop.signal.aborted) break;
          await this.#sleep(ms);
        }
      } catch (error) {
        this.#o.onEvent?.({ type: 'error', error });
        await this.#sleep(this.#o.pollMs);
      }
    }
    await this.#drain();
  }

  /** Nothing to claim: sleep `pollMs`, or until the next job (a timer) falls due if sooner. */
  async #idleWait(kind?: 'job' | 'timer'): Promise<number> {
    const next = await this.#host.nextDue?.(kind);
    if (next === undefined) return this.#o.pollMs;
    return Math.min(this.#o.pollMs, Math.max(5, next - this.#host.clock.now() + 1));
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  async #drain(): Promise<void> {
    if (this.#running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#o.graceMs);
    });
    await Promise.race([Promise.all(this.#running), grace]);
    clearTimeout(timer);
    this.#abortRunning.abort();
    this.#leaseSignals.abortAll(this.#abortRunning.signal.reason);
    await Promise.all(this.#running);
  }

  /** Aborted when the grace period after stop() is over: running connectors give up. */
  readonly #abortRunning = new AbortController();
  readonly #leaseSignals: LeaseSignals;

  async #execute(job: ClaimedJob): Promise<void> {
    const host = this.#host;
    const emit = this.#o.onEvent;
    emit?.({ type: 'job:start', job });
    try {
      if (job.kind === 'timer') {
        this.#report(job, await host.submit(job, this.id, { type: 'TimerFired', seq: job.seq }));
        return;
      }
      const automation = JSON.parse(job.payload ?? '{}') as AutomationSpec;
      const connector = host.connectors.get(automation.type);
      let result: ConnectorResult;
      if (connector === undefined) {
        result = {
          ok: false,
          error: { code: 'NO_CONNECTOR', message: `no connector runs automation type "${automation.type}"` },
          retryable: false,
        };
      } else {
        // Give up before the lease ends: after it, the result could not be committed anyway.
        const signal = this.#leaseSignals.signal();
        result = await connector
          .run(
            {
              workspaceId: job.workspace_id,
              issueId: job.issue_id,
              seq: job.seq,
              node: job.node,
              attempt: job.attempts,
              maxAttempts: job.max_attempts,
              idempotencyKey: job.idempotency_key,
              automation,
              issue: once(() => host.loadIssue(job.issue_id)),
            },
            signal,
          )
          .catch(
            (error: unknown): ConnectorResult => ({
              ok: false,
              error: {
                code: 'CONNECTOR_ERROR',
                message: error instanceof Error ? error.message : String(error),
              },
              retryable: true,
            }),
          );
        if (this.#abortRunning.signal.aborted) {
          await host.release(job, this.id);
          return;
        }
      }
      if (result.ok) {
        this.#report(
          job,
          await host.submit(job, this.id, {
            type: 'JobSucceeded',
            seq: job.seq,
            ...(result.data ? { data: result.data } : {}),
          }),
        );
        return;
      }
      const message = result.error.code
        ? `${result.error.code}: ${result.error.message}`
        : result.error.message;
      if (result.retryable && job.attempts < job.max_attempts) {
        const runAt = iso(host.clock.now() + backoffDelay(job.attempts, this.#o.backoff, this.#o.random()));
        if (await host.retryLater(job, this.id, runAt, message)) {
          emit?.({ type: 'job:retry', job, error: message, runAt });
          this.#wake?.(); // the idle loop's next due time may now be the retry's
        } else
          emit?.({
            type: 'job:refused',
            job,
            code: 'LEASE_LOST',
            message: 'the lease ran out before the retry was recorded',
          });
        return;
      }
      this.#report(
        job,
        await host.submit(job, this.id, {
          type: 'JobFailed',
          seq: job.seq,
          error: { ...(result.error.code ? { code: result.error.code } : {}), message: result.error.message },
          retryable: result.retryable || job.attempts >= job.max_attempts,
        }),
        message,
      );
    } catch (error) {
      emit?.({ type: 'error', error });
    }
  }

  #report(job: ClaimedJob, result: ItemResult, failure?: string): void {
    const emit = this.#o.onEvent;
    if (!emit) return;
    if (!result.ok) {
      emit({
        type: 'job:refused',
        job,
        code: result.error.rejection ?? result.error.code,
        message: result.error.message,
      });
    } else if (failure !== undefined) emit({ type: 'job:failed', job, error: failure });
    else emit({ type: 'job:success', job, outcome: result.outcome });
  }
}

/** Calls `load` at most once; later calls get the same promise. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}
