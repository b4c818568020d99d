/**
 * Times a throughput scenario the way the peer's `measureModes` does: per mode, a warm-up batch
 * at the same concurrency, `gc()`, then the measured batch; every batch on a fresh backend and
 * verified before its figures count.
 */
import type { CompiledApp } from '@nagare/engine';
import type { Backend } from './backends/backend.ts';
import { log } from './fail.ts';
import { fullGc } from './gc.ts';
import type { ThroughputLine } from './lines.ts';
import { runPool } from './pool.ts';
import type { Size, ThroughputScenario } from './scenarios/scenario.ts';
import { latencyStats, round } from './stats.ts';

/** The peer's modes: one issue at a time, and 50 in flight. */
export const MODES = [1, 50] as const;
/**
 * Durable backends add 200 in flight (where group commit fills its transactions; the durable
 * targets are read there) and run the sequential mode with a fiftieth of the issues: one commit per
 * issue is slow on purpose, and a full N would take minutes on PostgreSQL.
 */
export const DURABLE_MODES = [1, 50, 200] as const;
export const DURABLE_TARGET_MODE = 'concurrent-200';

export function modeName(concurrency: number): string {
  return concurrency === 1 ? 'sequential' : `concurrent-${concurrency}`;
}

export async function measureThroughput(
  scenario: ThroughputScenario,
  app: CompiledApp,
  makeBackend: (app: CompiledApp) => Promise<Backend>,
  fullSize: Size,
  modes: readonly number[] = MODES,
): Promise<ThroughputLine[]> {
  const lines: ThroughputLine[] = [];
  let batchNo = 0;
  for (const concurrency of modes) {
    const mode = modeName(concurrency);
    const size =
      concurrency === 1 && modes !== MODES
        ? {
            n: Math.max(1, Math.round(fullSize.n / 50)),
            warmup: Math.max(1, Math.round(fullSize.warmup / 50)),
          }
        : fullSize;
    {
      const backend = await makeBackend(app);
      const warm = scenario.batch(backend, batchNo++);
      await runPool(size.warmup, concurrency, (i) => warm.run(i));
      warm.verify(size.warmup);
      await backend.close();
    }
    fullGc();

    const backend = await makeBackend(app);
    const batch = scenario.batch(backend, batchNo++);
    log(`nagare ${scenario.id} ${mode}: N=${size.n} ...`);
    const { elapsedMs, cpuMs, latencies } = await runPool(size.n, concurrency, (i) => batch.run(i));
    batch.verify(size.n);
    const line: ThroughputLine = {
      scenario: scenario.id,
      name: scenario.name,
      mode,
      concurrency,
      n: size.n,
      warmup: size.warmup,
      backend: backend.name,
      elapsedMs: round(elapsedMs, 1),
      cpuMs: round(cpuMs, 1),
      instancesPerSec: round((size.n / elapsedMs) * 1000, 1),
      latencyMs: latencyStats(latencies),
    };
    await backend.close();
    lines.push(line);
    log(
      `nagare ${scenario.id} ${mode}: ${line.instancesPerSec} issues/s, p50 ${line.latencyMs.p50} ms, p99 ${line.latencyMs.p99} ms`,
    );
    fullGc();
  }
  return lines;
}
