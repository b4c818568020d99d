import { describe, expect, test } from 'vitest';
import { app, cond, Driver, flows } from './helpers.js';

const ITEMS =
  '<nagare:dataItem fieldName="amount" type="numeric"/><nagare:dataItem fieldName="region" type="string"/>';

describe('exclusive gateway', () => {
  const xor = (withDefault: boolean) =>
    app(
      `<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="gw" ${withDefault ? 'default="d"' : ''}/>
       <bpmn:endEvent id="a"/><bpmn:endEvent id="b"/><bpmn:endEvent id="c"/>
       ${flows('s>gw')}${cond('fa', 'gw', 'a', 'amount > 10')}${cond('fb', 'gw', 'b', 'amount > 0')}
       ${withDefault ? flows('d:gw>c') : ''}`,
      { items: ITEMS },
    );

  test('conditions in the modeler order, first true wins, else the default', async () => {
    const a = await xor(true);
    const endOf = (amount: number) =>
      new Driver(a).start({ amount }).events.find((e) => e.type === 'TokenEnded');
    expect(endOf(20)).toMatchObject({ node: 'a' }); // both true: the first wins
    expect(endOf(5)).toMatchObject({ node: 'b' });
    expect(endOf(-1)).toMatchObject({ node: 'c' });
  });

  test('no match and no default → incident naming the gateway; retry with fixed data moves on', async () => {
    const d = new Driver(await xor(false));
    const r = d.start({ amount: -5 });
    expect(r.events.at(-1)).toEqual({
      type: 'IncidentRaised',
      seq: 1,
      token: 1,
      node: 'gw',
      code: 'NO_FLOW',
      message: 'no condition of gw is true and it has no default flow',
    });
    expect(r.effects).toEqual([
      {
        type: 'IncidentRaised',
        seq: 1,
        node: 'gw',
        code: 'NO_FLOW',
        message: 'no condition of gw is true and it has no default flow',
      },
    ]);
    expect(r.state?.status).toBe('active');
    const retry = d.run({ type: 'RetryIncident', incident: 1, data: { amount: 3 } });
    expect(retry.events.map((e) => e.type)).toEqual([
      'IncidentResolved',
      'FlowTaken',
      'TokenEnded',
      'IssueEnded',
    ]);
    expect(retry.state?.incidents).toEqual({});
    expect(d.run({ type: 'RetryIncident', incident: 1 }).rejection?.code).toBe('ISSUE_NOT_ACTIVE');
  });

  test('an expression error is an incident naming the element and the expression', async () => {
    const d = new Driver(await xor(true));
    const r = d.start(); // amount missing: "amount > 10" is not a boolean
    const inc = r.events.at(-1);
    expect(inc).toMatchObject({ type: 'IncidentRaised', node: 'gw', code: 'CONDITION_FAILED' });
    expect((inc as { message: string }).message).toContain('gw → fa');
    expect((inc as { message: string }).message).toContain('amount > 10');
  });
});

describe('condition rows (nagare:condition) at run time', () => {
  test('rows compiled to FEEL pick the flow', async () => {
    const row = (id: string, tgt: string, op: string, value: string) =>
      `<bpmn:sequenceFlow id="${id}" sourceRef="gw" targetRef="${tgt}"><bpmn:extensionElements><nagare:condition>
        <nagare:conditionRow><nagare:conditionTerm item="region" op="${op}" value="${value}"/></nagare:conditionRow>
      </nagare:condition></bpmn:extensionElements></bpmn:sequenceFlow>`;
    const a = await app(
      `<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="gw" default="d"/><bpmn:endEvent id="eu"/><bpmn:endEvent id="jp"/><bpmn:endEvent id="other"/>
       ${flows('s>gw', 'd:gw>other')}${row('toEu', 'eu', 'equals', 'EU')}${row('toJp', 'jp', 'contains', 'JP')}`,
      { items: ITEMS },
    );
    const endOf = (region?: string) =>
      new Driver(a).start(region === undefined ? {} : { region }).events.find((e) => e.type === 'TokenEnded');
    expect(endOf('EU')).toMatchObject({ node: 'eu' });
    expect(endOf('JP-east')).toMatchObject({ node: 'jp' });
    expect(endOf('US')).toMatchObject({ node: 'other' });
    expect(endOf()).toMatchObject({ node: 'other' }); // rows are null-safe: no incident for a missing value
  });
});

describe('parallel gateway', () => {
  test('split and join: one token continues after all branches arrive', async () => {
    const d = new Driver(
      await app(`<bpmn:startEvent id="s"/><bpmn:parallelGateway id="split"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/>
        <bpmn:parallelGateway id="join"/><bpmn:userTask id="after"/><bpmn:endEvent id="e"/>
        ${flows('s>split', 'split>a', 'split>b', 'a>join', 'b>join', 'join>after', 'after>e')}`),
    );
    const r = d.start();
    expect(r.events[2]).toEqual({
      type: 'TokenForked',
      token: 1,
      branches: [
        { token: 2, flow: 'f2', node: 'a' },
        { token: 3, flow: 'f3', node: 'b' },
      ],
    });
    const one = d.run({ type: 'CompleteTask', seq: d.seqAt('b'), operator: 'u' });
    expect(one.events.map((e) => e.type)).toEqual(['TaskCompleted', 'FlowTaken']);
    const two = d.run({ type: 'CompleteTask', seq: d.seqAt('a'), operator: 'u' });
    expect(two.events).toEqual([
      { type: 'TaskCompleted', seq: 1, operator: 'u' },
      { type: 'FlowTaken', token: 2, flow: 'f4', node: 'join' },
      { type: 'JoinFired', node: 'join', token: 2, consumed: [3] },
      { type: 'FlowTaken', token: 2, flow: 'f6', node: 'after' },
      { type: 'TaskOpened', seq: 3, token: 2, node: 'after' },
    ]);
    expect(Object.keys(two.state?.tokens ?? {})).toEqual(['2']);
  });
});

describe('inclusive gateway', () => {
  const OR = `<bpmn:startEvent id="s"/><bpmn:inclusiveGateway id="split" default="fd"/>
    <bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:userTask id="c"/>
    <bpmn:inclusiveGateway id="join"/><bpmn:endEvent id="e"/>
    ${flows('s>split', 'fd:split>c', 'a>join', 'b>join', 'c>join', 'join>e')}
    ${cond('fa', 'split', 'a', 'amount > 10')}${cond('fb', 'split', 'b', 'region = "EU"')}`;

  test('split takes every true flow; the join waits only for tokens that can still arrive', async () => {
    const d = new Driver(await app(OR, { items: ITEMS }));
    const r = d.start({ amount: 50, region: 'EU' });
    expect(r.events[2]).toMatchObject({ type: 'TokenForked', branches: [{ flow: 'fa' }, { flow: 'fb' }] });
    const first = d.run({ type: 'CompleteTask', seq: d.seqAt('a'), operator: 'u' });
    expect(first.events.map((e) => e.type)).toEqual(['TaskCompleted', 'FlowTaken']); // b can still arrive
    const second = d.run({ type: 'CompleteTask', seq: d.seqAt('b'), operator: 'u' });
    expect(second.events.map((e) => e.type)).toEqual([
      'TaskCompleted',
      'FlowTaken',
      'JoinFired',
      'FlowTaken',
      'TokenEnded',
      'IssueEnded',
    ]);
  });

  test('one true flow: the join fires on that token alone; none true: the default', async () => {
    const a = await app(OR, { items: ITEMS });
    const d = new Driver(a);
    d.start({ amount: 50, region: 'US' });
    const r = d.run({ type: 'CompleteTask', seq: d.seqAt('a'), operator: 'u' });
    expect(r.state?.status).toBe('completed');
    const d2 = new Driver(a);
    const r2 = d2.start({ amount: 1, region: 'US' });
    expect(r2.events[2]).toMatchObject({ type: 'FlowTaken', flow: 'fd', node: 'c' });
  });

  test('on a graph with a cycle: the join waits while a token in the loop can still reach it', async () => {
    // s → split → (a | loopTask); loopTask → xor → loopTask (again) or → join; a → join
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:inclusiveGateway id="split"/>
         <bpmn:userTask id="a"/><bpmn:userTask id="loopTask"/><bpmn:exclusiveGateway id="again" default="out"/>
         <bpmn:inclusiveGateway id="join"/><bpmn:endEvent id="e"/>
         ${flows('s>split', 'toA:split>a', 'toL:split>loopTask', 'loopTask>again', 'out:again>join', 'a>join', 'join>e')}
         ${cond('redo', 'again', 'loopTask', 'amount > 0')}`,
        { items: ITEMS },
      ),
    );
    d.start({ amount: 2 });
    d.run({ type: 'CompleteTask', seq: d.seqAt('a'), operator: 'u' }); // a arrives at join first
    const loop1 = d.run({
      type: 'CompleteTask',
      seq: d.seqAt('loopTask'),
      operator: 'u',
      data: { amount: 1 },
    });
    expect(loop1.events.some((e) => e.type === 'JoinFired')).toBe(false); // went round the loop
    const out = d.run({ type: 'CompleteTask', seq: d.seqAt('loopTask'), operator: 'u', data: { amount: 0 } });
    expect(out.events.filter((e) => e.type === 'JoinFired')).toEqual([
      { type: 'JoinFired', node: 'join', token: 2, consumed: [3] },
    ]);
    expect(out.state?.status).toBe('completed');
  });
});

describe('event-based gateway', () => {
  const RACE = `<bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="race"/>
    <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="reply"><bpmn:extensionElements><nagare:messageKey key="reply"/></bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="late"/><bpmn:endEvent id="answered"/>
    ${flows('s>race', 'race>timeout', 'race>reply', 'timeout>late', 'reply>answered')}`;

  test('arms a timer and a message subscription; the message wins and the timer is cancelled', async () => {
    const d = new Driver(await app(RACE, { items: ITEMS }));
    const r = d.start();
    expect(r.effects).toEqual([
      { type: 'ScheduleTimer', seq: 1, node: 'timeout', dueAt: '2026-01-05T11:00:00.000Z' },
      { type: 'SubscribeMessage', seq: 2, node: 'reply', key: 'reply' },
    ]);
    expect(d.run({ type: 'MessageReceived', node: 'reply', key: 'other' }).rejection?.code).toBe(
      'NO_SUBSCRIPTION',
    );
    const m = d.run({ type: 'MessageReceived', node: 'reply', key: 'reply', data: { region: 'JP' } });
    expect(m.events).toEqual([
      { type: 'MessageReceived', seq: 2, data: { region: 'JP' } },
      { type: 'WaitCancelled', seq: 1, reason: 'completed' },
      { type: 'FlowTaken', token: 1, flow: 'f3', node: 'reply' },
      { type: 'FlowTaken', token: 1, flow: 'f5', node: 'answered' },
      { type: 'TokenEnded', token: 1, node: 'answered' },
      { type: 'IssueEnded', status: 'completed', at: '2026-01-05T09:00:00.000Z' },
    ]);
    expect(m.effects).toEqual([
      { type: 'CancelTimer', seq: 1, node: 'timeout' },
      { type: 'EndIssue', status: 'completed' },
    ]);
  });

  test('the timer wins and the subscription is withdrawn; a late message is refused', async () => {
    const d = new Driver(await app(RACE, { items: ITEMS }));
    d.start();
    const t = d.run({ type: 'TimerFired', seq: 1 }, 7_200_000);
    expect(t.effects).toEqual([
      { type: 'UnsubscribeMessage', seq: 2, node: 'reply' },
      { type: 'EndIssue', status: 'completed' },
    ]);
    expect(t.events.find((e) => e.type === 'TokenEnded')).toMatchObject({ node: 'late' });
  });
});
