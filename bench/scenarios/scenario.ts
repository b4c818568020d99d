/**
 * What a Nagare scenario is. A throughput scenario drives single issues through a Backend and
 * checks every one; `measure.ts` times them. Scenario ids are the peer's (S1, S2, S5), so lines
 * of both sides pair up by `scenario` and `mode`.
 */
import type { CompiledApp } from '@nagare/engine';
import type { Backend } from '../backends/backend.ts';
import type { LookupLine, WaitingLine } from '../lines.ts';

export interface Size {
  /** Issues per mode at --scale 1. */
  readonly n: number;
  readonly warmup: number;
}

/** One batch of issues on one backend: `run(i)` drives issue i to its end and throws on anything wrong. */
export interface IssueBatch {
  run(i: number): Promise<void>;
  /** After the batch: exactly `expected` issues ended the right way, none left behind. */
  verify(expected: number): void;
}

export interface ThroughputScenario {
  readonly kind: 'throughput';
  readonly id: string;
  readonly name: string;
  /** File in bench/models/. */
  readonly model: string;
  readonly size: Size;
  /** Runs only on durable backends (it needs a worker). */
  readonly durableOnly?: boolean;
  /** `batchNo` keeps the issue ids of the warm-up and the measured batches apart. */
  batch(backend: Backend, batchNo: number): IssueBatch;
}

/** A scenario that measures memory rather than time; it runs its own phases. */
export interface WaitingScenario {
  readonly kind: 'waiting';
  readonly id: string;
  readonly name: string;
  readonly model: string;
  readonly size: Size;
  measure(app: CompiledApp, size: Size): Promise<WaitingLine[]>;
}

/** A scenario that times one server-side operation over stored data (no BPMN model); runs on sqlite / postgres. */
export interface LookupScenario {
  readonly kind: 'lookup';
  readonly id: string;
  readonly name: string;
  /** `n`: operations timed; `warmup`: before them. */
  readonly size: Size;
  measure(backend: string, size: Size): Promise<LookupLine[]>;
}

export type Scenario = ThroughputScenario | WaitingScenario | LookupScenario;
