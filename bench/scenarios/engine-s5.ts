/**
 * S5 parallel: start → parallel split into 10 branches, each an update-data step `branchN := N`
 * → parallel join → end. One `decide` per issue. Asserts, like the peer: one end per issue (the
 * join fired once), 10 update-data steps ran, all 10 values are there.
 */
import { assertEqual, fail } from '../fail.ts';
import { completedAt, issueId } from './checks.ts';
import type { ThroughputScenario } from './scenario.ts';

const BRANCHES = 10;

export const s5: ThroughputScenario = {
  kind: 'throughput',
  id: 'S5',
  name: 'parallel',
  model: 's5-parallel.bpmn',
  size: { n: 20_000, warmup: 4_000 },
  batch(backend, batchNo) {
    let ended = 0;
    let steps = 0;
    return {
      async run(i) {
        const id = issueId(batchNo, i);
        const result = await backend.apply(id, { type: 'StartIssue', issueId: id });
        const state = completedAt(result, 'end', `S5 issue ${id}`);
        for (const e of result.events) if (e.type === 'DataUpdated') steps++;
        for (let b = 1; b <= BRANCHES; b++) {
          const value = state.data[`branch${b}`];
          if (value !== b) fail(`S5 issue ${id}: branch${b} is ${String(value)}, expected ${b}`);
        }
        if (state.route.f_join_end !== 1)
          fail(`S5 issue ${id}: the join fired ${state.route.f_join_end ?? 0} times`);
        ended++;
      },
      verify(expected) {
        assertEqual(ended, expected, 'S5 issues that ended once with all 10 branch values');
        assertEqual(steps, expected * BRANCHES, 'S5 update-data steps that ran');
        assertEqual(backend.size(), 0, 'S5 issues left active');
      },
    };
  },
};
