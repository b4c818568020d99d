/**
 * S2 user-task round trip: start (data instanceNo = i) → OpenTask at userTask → CompleteTask with
 * that task's seq → EndIssue. Two commands per issue; with 50 in flight they interleave. Asserts,
 * like the peer: every issue waited at userTask, reached the end, and kept its instanceNo.
 */
import { assertEqual, fail } from '../fail.ts';
import { accepted, completedAt, issueId, openedTask } from './checks.ts';
import type { ThroughputScenario } from './scenario.ts';

export const s2: ThroughputScenario = {
  kind: 'throughput',
  id: 'S2',
  name: 'user task round trip',
  model: 's2-user-task.bpmn',
  size: { n: 50_000, warmup: 10_000 },
  batch(backend, batchNo) {
    let waited = 0;
    let ended = 0;
    return {
      async run(i) {
        const id = issueId(batchNo, i);
        const started = await backend.apply(id, { type: 'StartIssue', issueId: id, data: { instanceNo: i } });
        const waiting = accepted(started, `S2 issue ${id} start`);
        if (waiting.status !== 'active')
          fail(`S2 issue ${id}: ${waiting.status} after start, expected active`);
        const task = openedTask(started, 'userTask', `S2 issue ${id} start`);
        waited++;
        const done = await backend.apply(id, { type: 'CompleteTask', seq: task.seq, operator: 'bench' });
        const state = completedAt(done, 'end', `S2 issue ${id} complete`);
        if (state.data.instanceNo !== i)
          fail(`S2 issue ${id}: instanceNo is ${String(state.data.instanceNo)}, expected ${i}`);
        ended++;
      },
      verify(expected) {
        assertEqual(waited, expected, 'S2 issues that waited at userTask');
        assertEqual(ended, expected, 'S2 issues that reached the end with their instanceNo');
        assertEqual(backend.size(), 0, 'S2 issues left active');
      },
    };
  },
};
