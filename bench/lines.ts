/**
 * The JSON lines both sides print, one per scenario and mode. Field names are the peer's
 * (bench.mjs: `scenario`, `mode`, `n`, `instancesPerSec`, `latencyMs.p50/p99`,
 * `heapUsedPerInstanceBytes`), so one reader handles both and the peer's summarize.mjs can read ours.
 */
import type { LatencyStats } from './stats.ts';

export type Side = 'nagare' | 'peer';

export interface ThroughputLine {
  readonly scenario: string;
  readonly name: string;
  /** `sequential` or `concurrent-50`. */
  readonly mode: string;
  readonly concurrency: number;
  readonly n: number;
  readonly warmup: number;
  readonly elapsedMs: number;
  readonly cpuMs: number;
  /** Issues (peer: instances) that ran start to end, per second of wall time. */
  readonly instancesPerSec: number;
  readonly latencyMs: LatencyStats;
  /** Nagare only: where the states were kept (`memory` now; issue 4 adds durable stores). */
  readonly backend?: string;
}

/** Issues left waiting at the S2 user task: heap per waiting issue and stored state size. */
export interface WaitingLine {
  readonly scenario: string;
  readonly name: string;
  readonly mode: 'waiting';
  readonly n: number;
  readonly warmup: number;
  /** How the waiting issues were held: the state objects `decide` returned, or their JSON text. */
  readonly hold: 'object' | 'json';
  readonly heapUsedPerInstanceBytes: number;
  readonly rssPerInstanceBytes: number;
  readonly heapUsedBeforeMB: number;
  readonly heapUsedWaitingMB: number;
  readonly heapUsedAfterCompletionMB: number;
  readonly startInstancesPerSec: number;
  /** UTF-8 bytes of `JSON.stringify(state)` of one waiting issue. */
  readonly stateBytes: { readonly mean: number; readonly min: number; readonly max: number };
  readonly backend?: string;
}

/** A timed server-side operation over stored data (SS: search-select lookups), Nagare only. */
export interface LookupLine {
  readonly scenario: string;
  readonly name: string;
  readonly mode: 'lookup';
  readonly backend: string;
  readonly n: number;
  readonly warmup: number;
  /** Rows in the master looked up. */
  readonly items: number;
  /** Importing the master into the store (read, check, write). */
  readonly importMs: number;
  /** The first lookup: load from the store and build the index. */
  readonly firstLookupMs: number;
  /** Per lookup, after the first: wall time. */
  readonly latencyMs: LatencyStats;
  /** Per lookup: CPU time of the process (user + system), which a busy machine does not inflate. */
  readonly cpuMs: LatencyStats;
  /** Load average (1 min) when the lookups ended: how much else the machine ran. */
  readonly loadAvg1: number;
  readonly lookupsPerSec: number;
  readonly meanChoices: number;
  readonly byKind: Readonly<Record<string, LatencyStats & { readonly n: number }>>;
}

export type ResultLine = ThroughputLine | WaitingLine | LookupLine;

/** One line as the parent collected it: which side printed it, in which repeat. */
export interface Collected {
  readonly side: Side;
  readonly run: number;
  readonly line: ResultLine;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

export function isThroughputLine(x: unknown): x is ThroughputLine {
  return (
    isObject(x) &&
    typeof x.scenario === 'string' &&
    typeof x.mode === 'string' &&
    typeof x.n === 'number' &&
    typeof x.instancesPerSec === 'number' &&
    isObject(x.latencyMs) &&
    typeof x.latencyMs.p50 === 'number' &&
    typeof x.latencyMs.p99 === 'number'
  );
}

export function isWaitingLine(x: unknown): x is WaitingLine {
  return (
    isObject(x) &&
    x.mode === 'waiting' &&
    typeof x.scenario === 'string' &&
    typeof x.heapUsedPerInstanceBytes === 'number' &&
    isObject(x.stateBytes)
  );
}

export function isLookupLine(x: unknown): x is LookupLine {
  return (
    isObject(x) &&
    x.mode === 'lookup' &&
    typeof x.scenario === 'string' &&
    typeof x.importMs === 'number' &&
    isObject(x.latencyMs) &&
    typeof x.latencyMs.p99 === 'number'
  );
}

export function isMetaLine(x: unknown): x is { readonly type: 'meta' } & Record<string, unknown> {
  return isObject(x) && x.type === 'meta';
}
