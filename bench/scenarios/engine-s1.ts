/**
 * S1 straight-through: start → update data `amount := 42` → exclusive gateway `amount > 10` →
 * endHigh (default flow → endLow). One `decide` per issue. Asserts, like the peer: every issue
 * ends at endHigh, never endLow, with amount = 42.
 */
import { assertEqual, fail } from '../fail.ts';
import { completedAt, issueId } from './checks.ts';
import type { ThroughputScenario } from './scenario.ts';

export const s1: ThroughputScenario = {
  kind: 'throughput',
  id: 'S1',
  name: 'straight-through',
  model: 's1-straight-through.bpmn',
  size: { n: 100_000, warmup: 20_000 },
  batch(backend, batchNo) {
    let ended = 0;
    return {
      async run(i) {
        const id = issueId(batchNo, i);
        const result = await backend.apply(id, { type: 'StartIssue', issueId: id });
        const state = completedAt(result, 'endHigh', `S1 issue ${id}`);
        if (state.data.amount !== 42)
          fail(`S1 issue ${id}: amount is ${String(state.data.amount)}, expected 42`);
        if (state.route.f_gw_endHigh !== 1 || state.route.f_gw_endLow !== undefined)
          fail(`S1 issue ${id}: wrong gateway route`);
        ended++;
      },
      verify(expected) {
        assertEqual(ended, expected, 'S1 issues that ended at endHigh with amount = 42');
        assertEqual(backend.size(), 0, 'S1 issues left active');
      },
    };
  },
};
