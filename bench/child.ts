/**
 * One Nagare scenario in its own fresh process (spawned by run.ts), so that the heap and JIT
 * state of one scenario cannot affect another, as on the peer's side. Prints one JSON line per
 * result on stdout; progress on stderr; exits 1 with `BENCHMARK FAILED: ...` on any wrong result.
 */

import { readFileSync } from 'node:fs';
import { parseArgs, scaled } from './args.ts';
import { durableBackend } from './backends/durable.ts';
import { memoryBackend } from './backends/memory.ts';
import { exitOnFailure, fail } from './fail.ts';
import { DURABLE_MODES, measureThroughput } from './measure.ts';
import { loadApp } from './models.ts';
import { SCENARIOS } from './scenarios/index.ts';

async function main(): Promise<void> {
  // without --conditions=source the engine resolves to packages/engine/dist, which may be stale
  const engine = import.meta.resolve('@nagare/engine');
  if (!engine.endsWith('/src/index.ts'))
    fail(`@nagare/engine resolved to ${engine}; run with node --conditions=source`);
  const args = parseArgs(process.argv.slice(2));
  const scenario = args.scenario ? SCENARIOS[args.scenario] : undefined;
  if (!scenario) fail(`unknown scenario ${args.scenario}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const size = scaled(scenario.size, args.scale);
  const backend = args.backends[0] ?? 'memory';
  if (scenario.kind === 'lookup') {
    for (const line of await scenario.measure(backend, size))
      process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  const app = await loadApp(scenario.model);
  let lines: unknown[];
  if (scenario.kind === 'waiting') {
    if (backend !== 'memory')
      fail(`${scenario.id} measures memory in process; it runs on the memory backend only`);
    lines = await scenario.measure(app, size);
  } else if (backend === 'memory') {
    if (scenario.durableOnly) fail(`${scenario.id} runs on durable backends only`);
    lines = await measureThroughput(scenario, app, async (a) => memoryBackend(a), size);
  } else if (backend === 'sqlite' || backend === 'postgres') {
    const bpmn = readFileSync(new URL(`./models/${scenario.model}`, import.meta.url), 'utf8');
    lines = await measureThroughput(scenario, app, () => durableBackend(backend, bpmn), size, DURABLE_MODES);
  } else fail(`unknown backend ${backend}; known: memory, sqlite, postgres`);
  for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
}

process.on('unhandledRejection', exitOnFailure);
main().catch(exitOnFailure);
