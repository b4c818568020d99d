/**
 * Runs the executable corpus (`bpmn-corpus/executable/`): each file is compiled; a refused file
 * is reported with the exact elements the compiler names; a compiled one is run by the scenario
 * driver once per expectation (execution-scenarios.ts) and compared with it. The corpus
 * execution test and the conformance report both use this, so they cannot disagree.
 */
import {
  BpmnError,
  type CompiledApp,
  CompileError,
  type CompileProblem,
  compile,
} from '../../packages/engine/src/index.js';
import { corpusFiles, readCorpusFile } from './corpus.js';
import { type Expectation, expectations } from './execution-scenarios.js';
import { replays, runScenario, type ScenarioRun } from './scenario-driver.js';

export const EXECUTABLE_PREFIX = 'executable/';

export interface ScenarioResult {
  readonly expectation: Expectation;
  readonly run: ScenarioRun;
  /** What differs from the expectation; empty when the run is as expected. */
  readonly mismatches: readonly string[];
}

export type FileResult =
  | { readonly path: string; readonly status: 'refused'; readonly problems: readonly CompileProblem[] }
  | { readonly path: string; readonly status: 'unreadable'; readonly error: string }
  | { readonly path: string; readonly status: 'run'; readonly scenarios: readonly ScenarioResult[] };

/** The executable corpus files, relative to `executable/`. */
export function executableFiles(): string[] {
  return corpusFiles()
    .filter((p) => p.startsWith(EXECUTABLE_PREFIX))
    .map((p) => p.slice(EXECUTABLE_PREFIX.length));
}

export async function executeFile(path: string): Promise<FileResult> {
  let app: CompiledApp;
  try {
    app = await compile(readCorpusFile(EXECUTABLE_PREFIX + path));
  } catch (e) {
    if (e instanceof CompileError) return { path, status: 'refused', problems: e.problems };
    if (e instanceof BpmnError) return { path, status: 'unreadable', error: e.message };
    throw e;
  }
  const list = expectations[path] ?? [
    { name: 'no expectation written', outcome: 'completed', visited: [] } satisfies Expectation,
  ];
  return { path, status: 'run', scenarios: list.map((x) => runExpectation(app, x)) };
}

export async function executeCorpus(): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const path of executableFiles()) out.push(await executeFile(path));
  return out;
}

function runExpectation(app: CompiledApp, x: Expectation): ScenarioResult {
  const startEvent = x.startEvent ?? (app.defaultStart ? undefined : app.startEvents[0]);
  const run = runScenario(app, startEvent !== undefined ? { ...x, startEvent } : x);
  const mismatches: string[] = [];
  if (run.outcome !== x.outcome)
    mismatches.push(`ended ${run.outcome}${run.problem ? ` (${run.problem})` : ''}, expected ${x.outcome}`);
  if (run.visited.join(' ') !== x.visited.join(' '))
    mismatches.push(`visited ${run.visited.join(' ')}; expected ${x.visited.join(' ')}`);
  const incidents = x.incidents ?? [];
  if (run.incidents.join(' ') !== incidents.join(' '))
    mismatches.push(`incidents [${run.incidents.join(', ')}], expected [${incidents.join(', ')}]`);
  if (!replays(run)) mismatches.push('replaying the events does not rebuild the state');
  return { expectation: x, run, mismatches };
}
