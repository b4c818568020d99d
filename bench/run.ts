/**
 * `npm run bench`: Nagare's engine beside bpmn-engine, measured in the same run.
 * Flags go after `--` in bench/ (from the repository root: `npm run bench -w bench -- ...`):
 *
 *   npm run bench                                   # S1, S2, S4, S5; 3 runs; Markdown tables on stdout
 *   npm run bench -- --only S1,S2 --runs 5 --scale 0.5 --json
 *   npm run bench -- --no-peer --out results.jsonl  # Nagare only; JSON lines also saved to a file
 *   npm run bench -- --backend memory,sqlite,postgres   # durable backends (PostgreSQL: BENCH_PG_URL)
 *
 * Every scenario of every run is a fresh child process on each side; within a run the side that
 * goes first alternates, so that a slow phase of a shared machine does not always hit the same
 * side. Any wrong result on either side ends the benchmark with `BENCHMARK FAILED` and exit 1.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.ts';
import { exitOnFailure, fail, log } from './fail.ts';
import {
  type Collected,
  isLookupLine,
  isMetaLine,
  isThroughputLine,
  isWaitingLine,
  type Side,
} from './lines.ts';
import { describeMachine } from './machine.ts';
import { PEER_SCENARIOS, preparePeer, runPeer } from './peer.ts';
import { markdownReport, summarize } from './report.ts';
import { engineRevision } from './revision.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { runChild } from './spawn.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** The child needs gc() and the engine's TypeScript source, whatever flags this process got. */
function childNodeArgs(): string[] {
  const flags = [...process.execArgv];
  if (!flags.includes('--expose-gc')) flags.unshift('--expose-gc');
  if (!flags.includes('--conditions=source')) flags.unshift('--conditions=source');
  return flags;
}

function runNagare(scenario: string, scale: number, backend: string): unknown[] {
  return runChild({
    what: `nagare ${scenario} (${backend})`,
    nodeArgs: [
      ...childNodeArgs(),
      CHILD,
      '--scenario',
      scenario,
      '--scale',
      String(scale),
      '--backend',
      backend,
    ],
    cwd: BENCH_DIR,
  });
}

/** The backends a scenario runs on: S4 (memory figures) in memory only, S1J (jobs) durably only. */
function backendsFor(id: string, backends: readonly string[]): string[] {
  const scenario = SCENARIOS[id]!;
  if (scenario.kind === 'waiting') return backends.includes('memory') ? ['memory'] : [];
  // a lookup over stored data needs a store: sqlite when only memory was asked for
  if (scenario.kind === 'lookup') {
    const durable = backends.filter((b) => b !== 'memory');
    return durable.length > 0 ? durable : ['sqlite'];
  }
  return backends.filter((b) => (scenario.durableOnly ? b !== 'memory' : true));
}

function collect(
  side: Side,
  run: number,
  scenario: string,
  lines: readonly unknown[],
  into: Collected[],
): void {
  let results = 0;
  for (const line of lines) {
    if (isMetaLine(line)) continue;
    if (!isThroughputLine(line) && !isWaitingLine(line) && !isLookupLine(line))
      fail(`${side} ${scenario}: unexpected line ${JSON.stringify(line)}`);
    if (line.scenario !== scenario) fail(`${side} ${scenario}: got a line for ${line.scenario}`);
    into.push({ side, run, line });
    results++;
  }
  if (results === 0) fail(`${side} ${scenario}: no result lines`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  if (args.scenario) fail('--scenario is for child.ts; use --only');
  const selected = args.only ?? Object.keys(SCENARIOS);
  for (const id of selected)
    if (!SCENARIOS[id]) fail(`unknown scenario ${id}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  for (const b of args.backends)
    if (!['memory', 'sqlite', 'postgres'].includes(b))
      fail(`unknown backend ${b}; known: memory, sqlite, postgres`);

  const machine = describeMachine();
  const revision = engineRevision();
  const withPeer = args.peer && selected.some((id) => PEER_SCENARIOS.has(id));
  const peerVersions = withPeer ? preparePeer() : null;
  const t0 = performance.now();
  const collected: Collected[] = [];
  for (let run = 1; run <= args.runs; run++) {
    for (const id of selected) {
      const sides: Side[] = run % 2 === 1 ? ['nagare', 'peer'] : ['peer', 'nagare'];
      for (const side of sides) {
        if (side === 'nagare') {
          for (const backend of backendsFor(id, args.backends))
            collect('nagare', run, id, runNagare(id, args.scale, backend), collected);
        } else if (withPeer && PEER_SCENARIOS.has(id))
          collect('peer', run, id, runPeer(id, args.scale), collected);
      }
    }
    log(`run ${run}/${args.runs} done after ${Math.round((performance.now() - t0) / 1000)} s`);
  }

  const summaries = summarize(collected, selected);
  const wallSeconds = (performance.now() - t0) / 1000;
  const jsonLines = [
    {
      type: 'meta',
      ...machine,
      revision,
      peer: peerVersions,
      runs: args.runs,
      scale: args.scale,
      scenarios: selected,
      backends: args.backends,
      wallSeconds,
    },
    ...collected.map((c) => ({ type: 'result', side: c.side, run: c.run, ...c.line })),
    ...summaries,
  ].map((x) => `${JSON.stringify(x)}\n`);
  if (args.out) writeFileSync(args.out, jsonLines.join(''));
  if (args.json) {
    process.stdout.write(jsonLines.join(''));
  } else {
    // the root script does not pass flags on; with flags, the workspace's script is the one to call
    const command = argv.length ? `npm run bench -w bench -- ${argv.join(' ')}` : 'npm run bench';
    process.stdout.write(
      `${markdownReport(summaries, {
        machine,
        revision,
        command,
        runs: args.runs,
        scale: args.scale,
        peerVersions,
        wallSeconds,
        backends: args.backends,
      })}\n`,
    );
  }
}

process.on('unhandledRejection', exitOnFailure);
main().catch(exitOnFailure);
