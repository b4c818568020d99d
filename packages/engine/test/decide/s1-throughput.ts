/**
 * T1: `decide` in memory on S1 (start → update data `amount := 42` → exclusive gateway
 * `amount > 10` → end). Run: `npx tsx packages/engine/test/decide/s1-throughput.ts`
 */
import { compile, decide } from '../../src/index.js';
import { S1_XML } from '../fixtures/s1.js';

const app = await compile(S1_XML);
const N = Number(process.env.N ?? 300_000);
const rounds: number[] = [];
for (let round = 0; round < 4; round++) {
  const t0 = performance.now();
  let high = 0;
  for (let i = 0; i < N; i++) {
    const r = decide(app, null, { type: 'StartIssue', issueId: `i${i}` }, { now: 1_767_600_000_000 + i });
    if (r.state?.status === 'completed' && r.state.route.f_gw_endHigh === 1) high++;
  }
  const s = (performance.now() - t0) / 1000;
  if (high !== N) throw new Error(`expected ${N} issues at endHigh, got ${high}`);
  if (round > 0) rounds.push(N / s); // round 0 warms the JIT
}
rounds.sort((a, b) => a - b);
console.log(
  `S1 decide in memory: min ${Math.round(rounds[0]!)} / median ${Math.round(rounds[1]!)} / max ${Math.round(rounds[2]!)} issues/s (N=${N})`,
);
