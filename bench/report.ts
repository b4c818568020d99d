/**
 * Turns the collected lines of all runs into the comparison: per scenario and mode, min / median /
 * max over the runs on each side, the ratio of the medians, and the target. As Markdown tables
 * (for people and docs/performance.md) or as JSON summary lines (--json).
 */
import {
  type Collected,
  isLookupLine,
  isThroughputLine,
  isWaitingLine,
  type LookupLine,
  type Side,
  type ThroughputLine,
  type WaitingLine,
} from './lines.ts';
import type { Machine } from './machine.ts';
import type { Revision } from './revision.ts';
import { type Spread, spread } from './stats.ts';
import {
  ASYNC_STEP_TARGET,
  SEARCH_SELECT_TARGET,
  STATE_BYTES_TARGET,
  type Status,
  type ThroughputTarget,
  targetFor,
  throughputStatus,
} from './targets.ts';

/** The peer's S3/S4 figures from its RESULTS.md (medians of 3 runs); not re-measured here (the peer runs S1, S2, S5). */
export const PEER_REFERENCE = { stateBytes: 7_406, heapUsedPerInstanceBytes: 469_255 } as const;

interface SideSummary {
  readonly runs: number;
  readonly n: number;
  readonly warmup: number;
  readonly perSec: Spread;
  readonly p50: Spread;
  readonly p99: Spread;
  /** Process CPU time / wall time, median: well below 1 means the process waited for a core. */
  readonly cpuPerWall: number;
}

export interface ThroughputSummary {
  readonly type: 'summary';
  readonly scenario: string;
  readonly name: string;
  readonly mode: string;
  readonly backend: string;
  readonly nagare: SideSummary | null;
  readonly peer: SideSummary | null;
  /** Nagare median / peer median. */
  readonly ratio: number | null;
  readonly target: ThroughputTarget | null;
  readonly status: Status;
  readonly note: string;
}

/** T7: S1 straight-through / S1J (one step as a job), same backend and mode, ratio of medians. */
export interface AsyncStepSummary {
  readonly type: 'summary';
  readonly scenario: 'T7';
  readonly mode: string;
  readonly backend: string;
  readonly straightPerSec: number;
  readonly asyncPerSec: number;
  /** straight / async: how many times the asynchronous version costs. */
  readonly costRatio: number;
  readonly status: Status;
}

/** SS (T10): server-side search-select lookups, Nagare only (the peer has no such feature). */
export interface LookupSummary {
  readonly type: 'summary';
  readonly scenario: string;
  readonly name: string;
  readonly mode: 'lookup';
  readonly backend: string;
  readonly runs: number;
  readonly n: number;
  readonly items: number;
  readonly importMs: Spread;
  readonly firstLookupMs: Spread;
  readonly p50: Spread;
  readonly p99: Spread;
  readonly max: Spread;
  readonly lookupsPerSec: Spread;
  readonly cpuP99: Spread;
  readonly loadAvg1: Spread;
  readonly status: Status;
}

export type Summary = ThroughputSummary | WaitingSummary | AsyncStepSummary | LookupSummary;

export interface WaitingSummary {
  readonly type: 'summary';
  readonly scenario: string;
  readonly mode: 'waiting';
  readonly hold: 'object' | 'json';
  readonly runs: number;
  readonly n: number;
  readonly heapUsedPerInstanceBytes: Spread;
  readonly stateBytesMean: Spread;
  readonly stateBytesMax: number;
  readonly status: Status;
}

function sideSummary(lines: readonly ThroughputLine[]): SideSummary | null {
  const first = lines[0];
  if (!first) return null;
  return {
    runs: lines.length,
    n: first.n,
    warmup: first.warmup,
    perSec: spread(lines.map((l) => l.instancesPerSec)),
    p50: spread(lines.map((l) => l.latencyMs.p50)),
    p99: spread(lines.map((l) => l.latencyMs.p99)),
    cpuPerWall: spread(lines.map((l) => l.cpuMs / l.elapsedMs)).median,
  };
}

export function summarize(collected: readonly Collected[], scenarios: readonly string[]): Summary[] {
  const out: Summary[] = [];
  for (const scenario of scenarios) {
    const throughput = collected.filter((c) => c.line.scenario === scenario && isThroughputLine(c.line));
    const modes = [...new Set(throughput.map((c) => c.line.mode))];
    const backendOf = (c: Collected): string => (c.line as ThroughputLine).backend ?? 'memory';
    const backends = [...new Set(throughput.filter((c) => c.side === 'nagare').map(backendOf))];
    for (const backend of backends.length > 0 ? backends : ['memory']) {
      for (const mode of modes) {
        const of = (side: Side): ThroughputLine[] =>
          throughput
            .filter(
              (c) => c.side === side && c.line.mode === mode && (side === 'peer' || backendOf(c) === backend),
            )
            .map((c) => c.line as ThroughputLine);
        const nagare = sideSummary(of('nagare'));
        const peer = sideSummary(of('peer'));
        if (!nagare && !peer) continue;
        const target = targetFor(scenario, backend) ?? null;
        const { status, note } = nagare
          ? throughputStatus(target ?? undefined, backend, mode, nagare.perSec.median)
          : { status: 'n/a' as const, note: 'not run' };
        out.push({
          type: 'summary',
          scenario,
          name: of('nagare')[0]?.name ?? of('peer')[0]?.name ?? '',
          mode,
          backend,
          nagare,
          peer,
          ratio: nagare && peer ? nagare.perSec.median / peer.perSec.median : null,
          target,
          status,
          note,
        });
      }
    }
    const waiting = collected.filter(
      (c) => c.side === 'nagare' && c.line.scenario === scenario && isWaitingLine(c.line),
    );
    for (const hold of ['object', 'json'] as const) {
      const lines = waiting.map((c) => c.line as WaitingLine).filter((l) => l.hold === hold);
      const first = lines[0];
      if (!first) continue;
      const stateBytesMax = Math.max(...lines.map((l) => l.stateBytes.max));
      out.push({
        type: 'summary',
        scenario,
        mode: 'waiting',
        hold,
        runs: lines.length,
        n: first.n,
        heapUsedPerInstanceBytes: spread(lines.map((l) => l.heapUsedPerInstanceBytes)),
        stateBytesMean: spread(lines.map((l) => l.stateBytes.mean)),
        stateBytesMax,
        status: stateBytesMax <= STATE_BYTES_TARGET.maxBytes ? 'pass' : 'FAIL',
      });
    }
  }
  out.push(...lookups(collected, scenarios));
  out.push(...asyncStep(out));
  return out;
}

function lookups(collected: readonly Collected[], scenarios: readonly string[]): LookupSummary[] {
  const out: LookupSummary[] = [];
  for (const scenario of scenarios) {
    const lines = collected
      .filter((c) => c.side === 'nagare' && c.line.scenario === scenario && isLookupLine(c.line))
      .map((c) => c.line as LookupLine);
    for (const backend of [...new Set(lines.map((l) => l.backend))]) {
      const of = lines.filter((l) => l.backend === backend);
      const first = of[0]!;
      const p99 = spread(of.map((l) => l.latencyMs.p99));
      out.push({
        type: 'summary',
        scenario,
        name: first.name,
        mode: 'lookup',
        backend,
        runs: of.length,
        n: first.n,
        items: first.items,
        importMs: spread(of.map((l) => l.importMs)),
        firstLookupMs: spread(of.map((l) => l.firstLookupMs)),
        p50: spread(of.map((l) => l.latencyMs.p50)),
        p99,
        max: spread(of.map((l) => l.latencyMs.max)),
        lookupsPerSec: spread(of.map((l) => l.lookupsPerSec)),
        cpuP99: spread(of.map((l) => l.cpuMs.p99)),
        loadAvg1: spread(of.map((l) => l.loadAvg1)),
        status: p99.median <= SEARCH_SELECT_TARGET.maxP99Ms ? 'pass' : 'FAIL',
      });
    }
  }
  return out;
}

function asyncStep(summaries: readonly Summary[]): AsyncStepSummary[] {
  const throughput = summaries.filter((s): s is ThroughputSummary => 'nagare' in s);
  const out: AsyncStepSummary[] = [];
  for (const job of throughput.filter((s) => s.scenario === 'S1J' && s.nagare)) {
    const straight = throughput.find(
      (s) => s.scenario === 'S1' && s.backend === job.backend && s.mode === job.mode && s.nagare,
    );
    if (!straight?.nagare || !job.nagare) continue;
    const costRatio = straight.nagare.perSec.median / job.nagare.perSec.median;
    out.push({
      type: 'summary',
      scenario: 'T7',
      mode: job.mode,
      backend: job.backend,
      straightPerSec: straight.nagare.perSec.median,
      asyncPerSec: job.nagare.perSec.median,
      costRatio,
      status: costRatio <= ASYNC_STEP_TARGET.maxRatio ? 'pass' : 'FAIL',
    });
  }
  return out;
}

// ---------------------------------------------------------------- Markdown

const int = (x: number): string => Math.round(x).toLocaleString('en-US');

function num(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 100) return int(x);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

const cell = (s: Spread | undefined, f: (x: number) => string = num): string =>
  s ? `${f(s.min)} / **${f(s.median)}** / ${f(s.max)}` : '—';

function ratio(r: number | null): string {
  if (r === null) return '—';
  return `${r >= 100 ? int(r) : r.toFixed(1)}×`;
}

export interface ReportContext {
  readonly machine: Machine;
  readonly revision: Revision;
  readonly command: string;
  readonly runs: number;
  readonly scale: number;
  readonly peerVersions: Readonly<Record<string, string>> | null;
  readonly wallSeconds: number;
  readonly backends: readonly string[];
}

export function markdownReport(summaries: readonly Summary[], ctx: ReportContext): string {
  const m = ctx.machine;
  const out: string[] = [];
  out.push(
    `Command: \`${ctx.command}\` (${ctx.runs} runs, scale ${ctx.scale}, ${Math.round(ctx.wallSeconds)} s wall)`,
  );
  out.push('');
  out.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memGiB} GiB RAM, ${m.platform}, Node ${m.node} (V8 ${m.v8}); ` +
      `started ${m.date}, load average (1 min) ${m.loadAvg1} at start.`,
  );
  const dirty = ctx.revision.engineDirty ? ', with uncommitted changes in packages/engine/src' : '';
  out.push(
    `Nagare: commit ${ctx.revision.commit}${dirty}; engine from its TypeScript source; backends: ${ctx.backends.join(', ')} ` +
      '(sqlite / postgres: through the runtime, each command committed before it is answered; sequential mode with N/50).',
  );
  if (ctx.peerVersions) {
    out.push(
      `Peer: ${Object.entries(ctx.peerVersions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; its own bench.mjs, unchanged.`,
    );
  }
  out.push('');
  out.push(
    'Each cell: min / **median** / max over the runs. Latency: per issue, from its first command until it has ended.',
  );
  out.push('');

  const throughput = summaries.filter((s): s is ThroughputSummary => 'nagare' in s);
  if (throughput.length > 0) {
    out.push(
      '| Scenario | Mode | N (warm-up) Nagare / peer | Nagare issues/s | peer instances/s | ratio of medians | Nagare p50 / p99 ms (medians) | peer p50 / p99 ms (medians) | CPU/wall Nagare / peer | target | status |',
    );
    out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const s of throughput) {
      const sizes = `${s.nagare ? `${int(s.nagare.n)} (${int(s.nagare.warmup)})` : '—'} / ${s.peer ? `${int(s.peer.n)} (${int(s.peer.warmup)})` : '—'}`;
      const lat = (x: SideSummary | null): string =>
        x ? `${num(x.p50.median)} / ${num(x.p99.median)}` : '—';
      const cpu = `${s.nagare ? s.nagare.cpuPerWall.toFixed(2) : '—'} / ${s.peer ? s.peer.cpuPerWall.toFixed(2) : '—'}`;
      const target = s.target ? `${s.target.id} ${s.target.text}` : '—';
      const status = s.note ? `${s.status} (${s.note})` : s.status;
      out.push(
        `| ${s.scenario} ${s.name} (${s.backend}) | ${s.mode} | ${sizes} | ${cell(s.nagare?.perSec)} | ${cell(s.peer?.perSec)} | ${ratio(s.ratio)} | ${lat(s.nagare)} | ${lat(s.peer)} | ${cpu} | ${target} | ${status} |`,
      );
    }
    out.push('');
  }

  const t7 = summaries.filter((s): s is AsyncStepSummary => s.scenario === 'T7');
  if (t7.length > 0) {
    out.push(
      `${ASYNC_STEP_TARGET.id}, the cost of one asynchronous step: S1 straight-through / S1J (the update-data step as a job run by a worker with an in-process connector), same backend and mode.`,
    );
    out.push('');
    out.push(
      '| Backend | Mode | S1 issues/s (median) | S1J issues/s (median) | cost ratio | target | status |',
    );
    out.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const s of t7) {
      out.push(
        `| ${s.backend} | ${s.mode} | ${int(s.straightPerSec)} | ${int(s.asyncPerSec)} | ${s.costRatio.toFixed(2)}× | ${ASYNC_STEP_TARGET.id} ${ASYNC_STEP_TARGET.text} | ${s.status} |`,
      );
    }
    out.push('');
  }

  const lookup = summaries.filter((s): s is LookupSummary => s.mode === 'lookup');
  if (lookup.length > 0) {
    out.push(
      `SS: search-select lookups over the ${int(lookup[0]!.items)}-row postal-code master, server-side (OptionsService.choices: the master's revision checked in the store at most once a second per master, in-memory index, page and cursor), one at a time. ` +
        'Peer: none (bpmn-engine has no options masters or search select; no published figure to compare).',
    );
    out.push('');
    out.push(
      '| Backend | lookups | import ms | first lookup (load + index) ms | p50 ms | p99 ms | max ms | CPU p99 ms | lookups/s | load avg | peer | target | status |',
    );
    out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const s of lookup) {
      out.push(
        `| ${s.backend} | ${int(s.n)} | ${cell(s.importMs, int)} | ${cell(s.firstLookupMs, int)} | ${cell(s.p50)} | ${cell(s.p99)} | ${cell(s.max)} | ${cell(s.cpuP99)} | ${cell(s.lookupsPerSec, int)} | ${cell(s.loadAvg1)} | — (no such feature) | ${SEARCH_SELECT_TARGET.id} ${SEARCH_SELECT_TARGET.text} | ${s.status} |`,
      );
    }
    out.push('');
  }

  const waiting = summaries.filter((s): s is WaitingSummary => s.mode === 'waiting');
  if (waiting.length > 0) {
    const first = waiting[0]!;
    out.push(`S4: ${int(first.n)} issues of the S2 model waiting at the user task (Nagare, in memory).`);
    out.push('');
    out.push('| Figure | Nagare | peer (its RESULTS.md, not re-measured) | target | status |');
    out.push('| --- | --- | --- | --- | --- |');
    out.push(
      `| stored state of one waiting issue, JSON bytes (mean; max ${int(first.stateBytesMax)}) | ${cell(first.stateBytesMean)} | ${int(PEER_REFERENCE.stateBytes)} (S3, getState JSON) | ${STATE_BYTES_TARGET.id} ${STATE_BYTES_TARGET.text} | ${first.status} |`,
    );
    for (const w of waiting) {
      const held =
        w.hold === 'object'
          ? 'held as the state objects decide returned'
          : 'held as JSON text (as a store row)';
      const peer =
        w.hold === 'object'
          ? `${int(PEER_REFERENCE.heapUsedPerInstanceBytes)} (S4, live Engine objects)`
          : '—';
      out.push(
        `| heap per waiting issue, bytes, ${held} | ${cell(w.heapUsedPerInstanceBytes, int)} | ${peer} | — | — |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
