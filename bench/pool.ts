/**
 * Runs `n` issues through `fn(i)`, keeping `concurrency` of them in flight, as the peer's `runPool`
 * does. With concurrency > 1 the issues interleave at every `await` of `fn` (one per command), so
 * an issue's latency includes the turns of the others: mostly queueing, about concurrency / throughput.
 */
export interface PoolResult {
  readonly elapsedMs: number;
  readonly cpuMs: number;
  /** Per issue, from just before its first command until it has ended. */
  readonly latencies: Float64Array;
}

export async function runPool(
  n: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<PoolResult> {
  const latencies = new Float64Array(n);
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t = performance.now();
      await fn(i);
      latencies[i] = performance.now() - t;
    }
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, latencies };
}
