/**
 * Nagare's targets from docs TARGETS.md, per scenario. A target holds only where it was set:
 * T1 is for `decide` in memory; T4 and T6 are for durable stores (issue 4), so an in-memory
 * figure can only show that the ceiling is above them, not meet them.
 */
export interface ThroughputTarget {
  readonly id: string;
  readonly text: string;
  readonly minPerSec: number;
  /** The backend the target is about. */
  readonly backend: 'memory' | 'sqlite';
}

export const THROUGHPUT_TARGETS: Readonly<Record<string, ThroughputTarget>> = {
  S1: { id: 'T1', text: '≥ 100,000/s in memory', minPerSec: 100_000, backend: 'memory' },
  S2: { id: 'T4', text: '≥ 8,000/s durable (SQLite)', minPerSec: 8_000, backend: 'sqlite' },
  S5: { id: 'T6', text: '≥ 5,000/s durable (SQLite)', minPerSec: 5_000, backend: 'sqlite' },
};

/** T8: stored state of an issue waiting in S2. */
export const STATE_BYTES_TARGET = { id: 'T8', text: '≤ 1 KB', maxBytes: 1024 } as const;

export type Status = 'pass' | 'FAIL' | 'n/a';

/** pass/FAIL where the target applies to the backend measured; otherwise n/a (with a note). */
export function throughputStatus(
  target: ThroughputTarget | undefined,
  backend: string,
  median: number,
): { status: Status; note: string } {
  if (!target) return { status: 'n/a', note: 'no target' };
  if (target.backend === backend) return { status: median >= target.minPerSec ? 'pass' : 'FAIL', note: '' };
  const ceiling = median >= target.minPerSec ? 'in-memory ceiling above it' : 'in-memory ceiling BELOW it';
  return { status: 'n/a', note: `${target.backend} target; ${ceiling}` };
}
