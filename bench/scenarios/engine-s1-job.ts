/**
 * S1J (TARGETS.md T7): S1 with its update-data step made asynchronous — a job that a worker of
 * the same runtime claims, runs through an in-process connector (`amount = 42`) and commits.
 * Per issue: `StartIssue` (committed, the issue waits for the job), then the worker's
 * `JobSucceeded` (committed). Asserts the same as S1. Durable backends only (the memory backend
 * runs no jobs); the T7 figure is S1's throughput / S1J's on the same backend and mode.
 */
import { assertEqual, fail } from '../fail.ts';
import { accepted, completedAt, issueId } from './checks.ts';
import type { ThroughputScenario } from './scenario.ts';

export const s1Job: ThroughputScenario = {
  kind: 'throughput',
  id: 'S1J',
  name: 'straight-through, one step as a job',
  model: 's1-job.bpmn',
  size: { n: 100_000, warmup: 20_000 },
  durableOnly: true,
  batch(backend, batchNo) {
    let ended = 0;
    return {
      async run(i) {
        const id = issueId(batchNo, i);
        const settle = backend.settle?.bind(backend);
        if (!settle) fail(`S1J needs a backend that runs jobs; ${backend.name} does not`);
        const started = await backend.apply(id, { type: 'StartIssue', issueId: id });
        const waiting = accepted(started, `S1J issue ${id} start`);
        if (waiting.status !== 'active')
          fail(`S1J issue ${id}: ${waiting.status} after start, expected active`);
        if (!started.effects.some((e) => e.type === 'ScheduleJob'))
          fail(`S1J issue ${id}: the start scheduled no job`);
        const result = await settle(id);
        const state = completedAt(result, 'endHigh', `S1J issue ${id}`);
        if (state.data.amount !== 42)
          fail(`S1J issue ${id}: amount is ${String(state.data.amount)}, expected 42`);
        if (state.route.f_gw_endHigh !== 1 || state.route.f_gw_endLow !== undefined)
          fail(`S1J issue ${id}: wrong gateway route`);
        ended++;
      },
      verify(expected) {
        assertEqual(ended, expected, 'S1J issues that ended at endHigh with amount = 42');
        assertEqual(backend.size(), 0, 'S1J issues left active');
      },
    };
  },
};
