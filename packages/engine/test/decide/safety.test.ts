import { describe, expect, test } from 'vitest';
import { type Command, decide } from '../../src/index.js';
import { app, cond, Driver, flows, T0, updateData } from './helpers.js';

describe('safety', () => {
  test('a loop without a wait state becomes an incident naming the loop elements, not a hang', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${updateData('inc', { n: 'n + 1' })}<bpmn:exclusiveGateway id="more" default="out"/><bpmn:endEvent id="e"/>
         ${flows('s>inc', 'inc>more', 'out:more>e')}${cond('back', 'more', 'inc', 'n > 0')}`,
        { items: '<nagare:dataItem fieldName="n" type="numeric"/>' },
      ),
    );
    const r = d.start({ n: 1 });
    const inc = r.effects.at(-1) as { type: string; code: string; message: string };
    expect(inc).toMatchObject({ type: 'IncidentRaised', code: 'LOOP_BUDGET' });
    expect(inc.message).toBe('more than 10000 steps without a wait state; loop through inc, more');
    // a bounded loop of the same shape finishes
    const d2 = new Driver(d.app);
    expect(d2.start({ n: -3 }).state?.status).toBe('completed');
  });

  test('the budget is a context setting', async () => {
    const a = await app(
      `<bpmn:startEvent id="s"/><bpmn:task id="a"/><bpmn:task id="b"/><bpmn:endEvent id="e"/>${flows('s>a', 'a>b', 'b>e')}`,
    );
    const r = decide(a, null, { type: 'StartIssue', issueId: 'x' }, { now: T0, stepBudget: 2 });
    expect(r.effects[0]).toMatchObject({ code: 'LOOP_BUDGET', node: 'b' });
  });

  test('decide never throws: malformed commands are refused', async () => {
    const d = new Driver(await app(`<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>${flows('s>t')}`));
    d.start();
    const weird = [
      { type: 'Nope' },
      { type: 'CompleteTask' },
      { type: 'JobFailed', seq: 1 },
      { type: 'RetryIncident', incident: 7 },
      { type: 'MessageReceived', node: 'zz' },
    ] as unknown as Command[];
    for (const c of weird) {
      const r = d.run(c);
      expect(r.rejection).toBeDefined();
      expect(r.events).toEqual([]);
    }
  });

  test('decide does not mutate the state it is given', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:userTask id="t"/><bpmn:endEvent id="e"/>${flows('s>t', 't>e')}`,
      ),
    );
    d.start();
    const before = JSON.stringify(d.state);
    const frozen = structuredClone(d.state);
    const r = decide(d.app, deepFreeze(frozen), { type: 'CompleteTask', seq: 1, operator: 'u' }, { now: T0 });
    expect(r.state?.status).toBe('completed');
    expect(JSON.stringify(frozen)).toBe(before);
  });

  test('pass-through: plain task, manual task, none intermediate throw event', async () => {
    const d = new Driver(
      await app(`<bpmn:startEvent id="s"/><bpmn:task id="a"/><bpmn:manualTask id="b"/><bpmn:intermediateThrowEvent id="c"/><bpmn:endEvent id="e"/>
      ${flows('s>a', 'a>b', 'b>c', 'c>e')}`),
    );
    expect(d.start().state?.route).toEqual({ f1: 1, f2: 1, f3: 1, f4: 1 });
  });
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
