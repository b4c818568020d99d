import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type Command,
  type CompiledApp,
  compile,
  type DecideResult,
  decide,
  type HistoryEvent,
  type IssueState,
  replay,
} from '../../src/index.js';
import { blockArb, modelXml } from './models.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MAX_COMMANDS = 400;

interface Run {
  readonly results: DecideResult[];
  readonly commands: Command[];
  readonly final: IssueState | null;
}

/** Drives an issue to its end: completes tasks, succeeds jobs, fires timers, in an order picked by `choices`. */
function drive(app: CompiledApp, r: number, choices: readonly number[]): Run {
  const results: DecideResult[] = [];
  const commands: Command[] = [];
  let state: IssueState | null = null;
  const step = (c: Command, i: number) => {
    const res = decide(app, state, c, { now: T0 + i * 60_000 });
    results.push(res);
    commands.push(c);
    expect(res.rejection).toBeUndefined();
    state = res.state;
  };
  step({ type: 'StartIssue', issueId: 'p', data: { r, u: 0 } }, 0);
  for (let i = 1; i < MAX_COMMANDS && state && (state as IssueState).status === 'active'; i++) {
    const waits = Object.values((state as IssueState).waits).sort((a, b) => a.seq - b.seq);
    if (waits.length === 0) break;
    const w = waits[(choices[i % Math.max(choices.length, 1)] ?? 0) % waits.length]!;
    step(
      w.kind === 'task'
        ? { type: 'CompleteTask', seq: w.seq, operator: 'u' }
        : w.kind === 'job'
          ? { type: 'JobSucceeded', seq: w.seq }
          : { type: 'TimerFired', seq: w.seq },
      i,
    );
  }
  return { results, commands, final: state };
}

function checkInvariants(app: CompiledApp, s: IssueState): void {
  // every live token waits somewhere: at its own wait, at a join, or at a sub-process holding a scope
  for (const t of Object.values(s.tokens)) {
    const node = app.nodes[t.node]!;
    const hasWait = Object.values(s.waits).some((w) => w.token === t.id);
    const isJoin = (node.kind === 'parallel' || node.kind === 'inclusive') && node.incoming.length > 1;
    const hasScope = Object.values(s.scopes).some((sc) => sc.token === t.id);
    expect(hasWait || isJoin || hasScope, `token ${t.id} at ${t.node} waits for nothing`).toBe(true);
    // at a join, at most one token per incoming flow may wait (no duplicates)
  }
  const atJoin = new Map<string, number>();
  for (const t of Object.values(s.tokens)) {
    const key = `${t.node}|${t.via}|${t.scope}`;
    atJoin.set(key, (atJoin.get(key) ?? 0) + 1);
  }
  for (const [k, n] of atJoin) expect(n, `duplicated tokens at ${k}`).toBe(1);
  for (const w of Object.values(s.waits))
    expect(s.tokens[w.token], `wait ${w.seq} without its token`).toBeDefined();
}

const cache = new Map<string, Promise<CompiledApp>>();
const compiled = (xml: string) => {
  let p = cache.get(xml);
  if (!p) {
    p = compile(xml);
    cache.set(xml, p);
  }
  return p;
};

describe('decide on random block-structured models', () => {
  test('every model reaches its end, exactly once, with no incident; tokens are never lost or duplicated', async () => {
    await fc.assert(
      fc.asyncProperty(
        blockArb,
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (block, r, choices) => {
          const app = await compiled(modelXml(block));
          const run = drive(app, r, choices);
          const events = run.results.flatMap((x) => x.events);
          for (const x of run.results) if (x.state) checkInvariants(app, x.state);
          expect(events.filter((e) => e.type === 'IncidentRaised')).toEqual([]);
          expect(run.final?.status).toBe('completed');
          expect(events.filter((e) => e.type === 'TokenEnded' && e.node === 'end')).toHaveLength(1);
          expect(run.final?.tokens).toEqual({});
          expect(run.final?.waits).toEqual({});
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });

  test.each([
    // found by the property above: parallel blocks inside a loop around an inclusive join
    '{"k":"par","branches":[{"k":"loop","body":{"k":"par","branches":[{"k":"or","branches":[{"k":"user"},{"k":"user"}]},{"k":"user"}]},"bound":1},{"k":"user"},{"k":"user"}]}',
    '{"k":"loop","body":{"k":"par","branches":[{"k":"par","branches":[{"k":"user"},{"k":"seq","items":[{"k":"or","branches":[{"k":"user"},{"k":"user"}]}]}]},{"k":"user"},{"k":"user"}]},"bound":1}',
  ])('regression: %s', async (json) => {
    const app = await compiled(modelXml(JSON.parse(json)));
    expect(drive(app, 0, []).final?.status).toBe('completed');
  });

  test('decide is deterministic: the same commands give byte-identical outputs', async () => {
    await fc.assert(
      fc.asyncProperty(
        blockArb,
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (block, r, choices) => {
          const xml = modelXml(block);
          const a = drive(await compile(xml), r, choices);
          const b = drive(await compile(xml), r, choices);
          expect(JSON.stringify(b.results)).toBe(JSON.stringify(a.results));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('arbitrary commands never throw: a refusal leaves the state untouched, nothing is an internal error', async () => {
    const commandArb: fc.Arbitrary<Command> = fc.oneof(
      fc.record({
        type: fc.constant('CompleteTask' as const),
        seq: fc.integer({ min: -1, max: 12 }),
        operator: fc.constantFrom('a', 'b'),
        button: fc.option(fc.constantFrom('f1', 'fd3', 'x'), { nil: undefined }),
      }),
      fc.record({
        type: fc.constant('JobSucceeded' as const),
        seq: fc.integer({ min: 0, max: 12 }),
        data: fc.option(fc.constant({ u: 1 }), { nil: undefined }),
      }),
      fc.record({
        type: fc.constant('JobFailed' as const),
        seq: fc.integer({ min: 0, max: 12 }),
        error: fc.record({ message: fc.string() }),
      }),
      fc.record({ type: fc.constant('TimerFired' as const), seq: fc.integer({ min: 0, max: 12 }) }),
      fc.record({
        type: fc.constant('MessageReceived' as const),
        node: fc.constantFrom('start', 'end', 'user1'),
      }),
      fc.record({ type: fc.constant('RetryIncident' as const), incident: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ type: fc.constant('CancelIssue' as const) }),
      fc.record({
        type: fc.constant('StartIssue' as const),
        issueId: fc.constant('again'),
        data: fc.option(fc.constant({ zz: 1 }), { nil: undefined }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(blockArb, fc.array(commandArb, { maxLength: 25 }), async (block, commands) => {
        const app = await compiled(modelXml(block));
        let state = decide(
          app,
          null,
          { type: 'StartIssue', issueId: 'p', data: { r: 1, u: 0 } },
          { now: T0 },
        ).state;
        for (const c of commands) {
          const before = JSON.stringify(state);
          const r = decide(app, state, c, { now: T0 });
          expect(r.rejection?.code).not.toBe('INTERNAL_ERROR');
          if (r.rejection) {
            expect(r.state).toBe(state);
            expect(JSON.stringify(state)).toBe(before);
            expect(r.events).toEqual([]);
          } else state = r.state;
        }
      }),
      { numRuns: 100 },
    );
  });

  test('replaying the recorded events rebuilds the same state after every command', async () => {
    await fc.assert(
      fc.asyncProperty(
        blockArb,
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (block, r, choices) => {
          const app = await compiled(modelXml(block));
          const run = drive(app, r, choices);
          const history: HistoryEvent[] = [];
          for (const x of run.results) {
            history.push(...x.events);
            expect(JSON.stringify(replay(history))).toBe(JSON.stringify(x.state));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
