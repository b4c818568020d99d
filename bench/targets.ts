/**
 * Nagare's targets from docs TARGETS.md, per scenario and backend. A target holds only where
 * it was set: T1 is for `decide` in memory; T2–T4 and T6 are for durable stores, read at
 * `concurrent-200` (group commit); on the memory backend a durable target can only show that
 * the ceiling is above it. T7 compares two scenarios (S1 / S1J) and is computed in report.ts.
 */
import { DURABLE_TARGET_MODE } from './measure.ts';

export type TargetBackend = 'memory' | 'sqlite' | 'postgres';

export interface ThroughputTarget {
  readonly id: string;
  readonly text: string;
  readonly minPerSec: number;
  /** The backend the target is about. */
  readonly backend: TargetBackend;
}

export const THROUGHPUT_TARGETS: Readonly<Record<string, readonly ThroughputTarget[]>> = {
  S1: [
    { id: 'T1', text: '≥ 100,000/s in memory', minPerSec: 100_000, backend: 'memory' },
    { id: 'T2', text: '≥ 20,000/s durable (SQLite)', minPerSec: 20_000, backend: 'sqlite' },
    { id: 'T3', text: '≥ 10,000/s durable (PostgreSQL)', minPerSec: 10_000, backend: 'postgres' },
  ],
  S2: [
    { id: 'T4', text: '≥ 8,000/s durable (SQLite)', minPerSec: 8_000, backend: 'sqlite' },
    { id: 'T4', text: '≥ 4,000/s durable (PostgreSQL)', minPerSec: 4_000, backend: 'postgres' },
  ],
  S5: [{ id: 'T6', text: '≥ 5,000/s durable (SQLite)', minPerSec: 5_000, backend: 'sqlite' }],
};

/** T7: S1 with one step as a job costs at most this many times straight-through S1. */
export const ASYNC_STEP_TARGET = { id: 'T7', text: '≤ 2× the straight-through cost', maxRatio: 2 } as const;

/** T8: stored state of an issue waiting in S2. */
export const STATE_BYTES_TARGET = { id: 'T8', text: '≤ 1 KB', maxBytes: 1024 } as const;

/** T10: search-select over the postal-code master, per lookup on the server. */
export const SEARCH_SELECT_TARGET = {
  id: 'T10',
  text: 'p99 ≤ 5 ms per lookup on the server',
  maxP99Ms: 5,
} as const;

export type Status = 'pass' | 'FAIL' | 'n/a';

/** The target of a scenario on a backend: its own, or (memory) the durable one it is a ceiling for. */
export function targetFor(scenario: string, backend: string): ThroughputTarget | undefined {
  const targets = THROUGHPUT_TARGETS[scenario] ?? [];
  return targets.find((t) => t.backend === backend) ?? (backend === 'memory' ? targets[0] : undefined);
}

/** pass/FAIL where the target applies to the backend (and, durable, the mode) measured; otherwise n/a (with a note). */
export function throughputStatus(
  target: ThroughputTarget | undefined,
  backend: string,
  mode: string,
  median: number,
): { status: Status; note: string } {
  if (!target) return { status: 'n/a', note: 'no target' };
  if (target.backend === backend) {
    if (backend !== 'memory' && mode !== DURABLE_TARGET_MODE)
      return { status: 'n/a', note: `read at ${DURABLE_TARGET_MODE}` };
    return { status: median >= target.minPerSec ? 'pass' : 'FAIL', note: '' };
  }
  const ceiling = median >= target.minPerSec ? 'in-memory ceiling above it' : 'in-memory ceiling BELOW it';
  return { status: 'n/a', note: `${target.backend} target; ${ceiling}` };
}
