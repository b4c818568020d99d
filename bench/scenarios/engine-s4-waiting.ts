/**
 * S4 waiting: N issues of the S2 model started and left waiting at the user task, like the
 * peer's S4. Measures the heap per waiting issue twice: held as the state objects `decide`
 * returned, and held as their JSON text (what a store row holds); and the stored state size
 * (UTF-8 bytes of the JSON; TARGETS.md T8 ≤ 1 KB). Then every issue is completed, to prove they
 * were live, and the heap must come back down.
 */
import type { CompiledApp } from '@nagare/engine';
import type { Backend } from '../backends/backend.ts';
import { memoryBackend } from '../backends/memory.ts';
import { assertEqual, fail, log } from '../fail.ts';
import { fullGc } from '../gc.ts';
import type { WaitingLine } from '../lines.ts';
import { round } from '../stats.ts';
import { accepted, completedAt, issueId, openedTask } from './checks.ts';
import type { Size, WaitingScenario } from './scenario.ts';

interface Bytes {
  sum: number;
  min: number;
  max: number;
}

async function fill(
  backend: Backend,
  batchNo: number,
  n: number,
  seqs: Int32Array,
  bytes: Bytes,
): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = issueId(batchNo, i);
    const result = await backend.apply(id, { type: 'StartIssue', issueId: id, data: { instanceNo: i } });
    const state = accepted(result, `S4 issue ${id} start`);
    if (state.status !== 'active') fail(`S4 issue ${id}: ${state.status} after start, expected active`);
    seqs[i] = openedTask(result, 'userTask', `S4 issue ${id} start`).seq;
    const size = Buffer.byteLength(JSON.stringify(state), 'utf8');
    bytes.sum += size;
    if (size < bytes.min) bytes.min = size;
    if (size > bytes.max) bytes.max = size;
  }
}

async function completeAll(backend: Backend, batchNo: number, n: number, seqs: Int32Array): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = issueId(batchNo, i);
    const result = await backend.apply(id, { type: 'CompleteTask', seq: seqs[i]!, operator: 'bench' });
    const state = completedAt(result, 'end', `S4 issue ${id} complete`);
    if (state.data.instanceNo !== i)
      fail(`S4 issue ${id}: instanceNo is ${String(state.data.instanceNo)}, expected ${i}`);
  }
}

async function waitingRun(app: CompiledApp, hold: 'object' | 'json', size: Size): Promise<WaitingLine> {
  const { n, warmup } = size;
  // warm-up in its own scope, so that nothing of it survives into the measurement
  {
    const backend = memoryBackend(app, { hold });
    const seqs = new Int32Array(warmup);
    await fill(backend, 0, warmup, seqs, { sum: 0, min: Infinity, max: 0 });
    await completeAll(backend, 0, warmup, seqs);
    assertEqual(backend.size(), 0, `S4 (${hold}) warm-up issues left active`);
  }
  // allocated before the baseline: the harness's own arrays are not counted per issue
  const seqs = new Int32Array(n);
  const bytes: Bytes = { sum: 0, min: Infinity, max: 0 };
  let backend: Backend | null = memoryBackend(app, { hold });
  fullGc();
  const before = process.memoryUsage();
  log(`S4 waiting (${hold}): starting N=${n} issues ...`);
  const t0 = performance.now();
  await fill(backend, 1, n, seqs, bytes);
  const startMs = performance.now() - t0;
  assertEqual(backend.size(), n, `S4 (${hold}) issues waiting at the user task`);
  fullGc();
  const during = process.memoryUsage();

  await completeAll(backend, 1, n, seqs);
  assertEqual(backend.size(), 0, `S4 (${hold}) issues left active after completing them all`);
  backend = null;
  fullGc();
  const after = process.memoryUsage();

  const line: WaitingLine = {
    scenario: 'S4',
    name: 'waiting at the user task',
    mode: 'waiting',
    n,
    warmup,
    hold,
    backend: 'memory',
    heapUsedPerInstanceBytes: Math.round((during.heapUsed - before.heapUsed) / n),
    rssPerInstanceBytes: Math.round((during.rss - before.rss) / n),
    heapUsedBeforeMB: round(before.heapUsed / 2 ** 20, 1),
    heapUsedWaitingMB: round(during.heapUsed / 2 ** 20, 1),
    heapUsedAfterCompletionMB: round(after.heapUsed / 2 ** 20, 1),
    // includes one JSON.stringify per issue for the size check
    startInstancesPerSec: round((n / startMs) * 1000, 1),
    stateBytes: { mean: round(bytes.sum / n, 1), min: bytes.min, max: bytes.max },
  };
  log(
    `S4 waiting (${hold}): ${line.heapUsedPerInstanceBytes} heap bytes per waiting issue, state ${line.stateBytes.mean} bytes`,
  );
  return line;
}

export const s4: WaitingScenario = {
  kind: 'waiting',
  id: 'S4',
  name: 'waiting at the user task',
  model: 's2-user-task.bpmn',
  size: { n: 100_000, warmup: 10_000 },
  async measure(app, size) {
    return [await waitingRun(app, 'object', size), await waitingRun(app, 'json', size)];
  },
};
