/** Statistics with the peer's definitions (bench.mjs), so both sides' figures mean the same thing. */

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** Nearest-rank percentile of an ascending array (`p` in 0..1). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencyStats {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

export function latencyStats(latencies: Float64Array): LatencyStats {
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    mean: round(sum / sorted.length),
    max: round(sorted[sorted.length - 1]!),
  };
}

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** Min / median / max over repeated runs (the median of an even count is the lower middle, an observed value). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0]!,
    median: sorted[Math.floor((sorted.length - 1) / 2)]!,
    max: sorted[sorted.length - 1]!,
  };
}
