import { describe, expect, test } from 'vitest';
import { compile, decide, replay } from '../../src/index.js';
import { S1_XML } from '../fixtures/s1.js';
import { app, Driver, flows, T0 } from './helpers.js';

const AT = new Date(T0).toISOString();

describe('start and end', () => {
  test('S1: start → update data → exclusive gateway → end, in one decide', async () => {
    const a = await compile(S1_XML);
    // when
    const r = decide(a, null, { type: 'StartIssue', issueId: 'i1' }, { now: T0 });
    // then
    expect(r.rejection).toBeUndefined();
    expect(r.events).toEqual([
      { type: 'IssueStarted', issueId: 'i1', node: 'start', token: 1, mode: 'normal', data: {}, at: AT },
      { type: 'FlowTaken', token: 1, flow: 'f_start_setAmount', node: 'setAmount' },
      { type: 'DataUpdated', node: 'setAmount', values: { amount: 42 } },
      { type: 'FlowTaken', token: 1, flow: 'f_setAmount_gw', node: 'gw' },
      { type: 'FlowTaken', token: 1, flow: 'f_gw_endHigh', node: 'endHigh' },
      { type: 'TokenEnded', token: 1, node: 'endHigh' },
      { type: 'IssueEnded', status: 'completed', at: AT },
    ]);
    expect(r.effects).toEqual([{ type: 'EndIssue', status: 'completed' }]);
    expect(r.state?.status).toBe('completed');
    expect(r.state?.route).toEqual({ f_start_setAmount: 1, f_setAmount_gw: 1, f_gw_endHigh: 1 });
    expect(replay(r.events)).toEqual(r.state);
  });

  test('initial data and test mode are recorded', async () => {
    const d = new Driver(await app(`<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>${flows('s>t')}`));
    const r = d.start({ q: 1 }, { mode: 'test', by: 'alice' });
    expect(r.events[0]).toMatchObject({ type: 'IssueStarted', mode: 'test', data: { q: 1 }, by: 'alice' });
    expect(r.state).toMatchObject({ mode: 'test', data: { q: 1 }, status: 'active' });
  });

  test('a chosen start event; several plain start events need one named', async () => {
    const a = await app(
      `<bpmn:startEvent id="s1"/><bpmn:startEvent id="s2"/><bpmn:endEvent id="e"/>${flows('s1>e', 's2>e')}`,
    );
    const none = decide(a, null, { type: 'StartIssue', issueId: 'x' }, { now: T0 });
    expect(none.rejection?.code).toBe('START_EVENT_REQUIRED');
    expect(none.state).toBeNull();
    const r = decide(a, null, { type: 'StartIssue', issueId: 'x', startEvent: 's2' }, { now: T0 });
    expect(r.events.map((e) => e.type)).toEqual(['IssueStarted', 'FlowTaken', 'TokenEnded', 'IssueEnded']);
    expect(r.events[1]).toMatchObject({ flow: 'f2' });
    expect(
      decide(a, null, { type: 'StartIssue', issueId: 'x', startEvent: 'e' }, { now: T0 }).rejection?.code,
    ).toBe('UNKNOWN_START_EVENT');
  });

  test('timer start: compile exposes its schedules; decide starts the issue at it', async () => {
    const a =
      await app(`<bpmn:startEvent id="ts"><bpmn:extensionElements><nagare:schedules timezone="Asia/Tokyo">
        <nagare:schedule frequency="daily" time="09:00"/></nagare:schedules></bpmn:extensionElements>
        <bpmn:timerEventDefinition/></bpmn:startEvent>
      <bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows('ts>e', 's>e')}`);
    expect(a.timerStarts).toEqual([
      { node: 'ts', timezone: 'Asia/Tokyo', schedules: [{ frequency: 'daily', time: '09:00' }] },
    ]);
    expect(a.defaultStart).toBe('s');
    const r = decide(a, null, { type: 'StartIssue', issueId: 'x', startEvent: 'ts' }, { now: T0 });
    expect(r.events[0]).toMatchObject({ node: 'ts' });
    expect(r.state?.status).toBe('completed');
  });

  test('message start (HTTP / e-mail): the runtime turns the request into a start with data', async () => {
    const a = await app(
      `<bpmn:startEvent id="ms"><bpmn:extensionElements><nagare:messageKey channel="email"/></bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:startEvent>
       <bpmn:userTask id="t"/>${flows('ms>t')}`,
      { items: '<nagare:dataItem fieldName="subject" type="string"/>' },
    );
    expect(a.messageStarts).toEqual([{ node: 'ms', channel: 'email' }]);
    const r = decide(
      a,
      null,
      { type: 'StartIssue', issueId: 'x', startEvent: 'ms', data: { subject: 'Hi' } },
      { now: T0 },
    );
    expect(r.state?.data).toEqual({ subject: 'Hi' });
    const bad = decide(
      a,
      null,
      { type: 'StartIssue', issueId: 'x', startEvent: 'ms', data: { nope: 1 } },
      { now: T0 },
    );
    expect(bad.rejection).toEqual({ code: 'UNKNOWN_DATA_ITEM', message: 'no data item "nope"' });
  });

  test('the issue ends only when no token remains (parallel branches)', async () => {
    const d = new Driver(
      await app(`<bpmn:startEvent id="s"/><bpmn:parallelGateway id="g"/><bpmn:userTask id="a"/><bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${flows('s>g', 'g>a', 'g>e1', 'a>e2')}`),
    );
    const r = d.start();
    expect(r.state?.status).toBe('active');
    expect(r.events.filter((e) => e.type === 'TokenEnded')).toHaveLength(1);
    const done = d.run({ type: 'CompleteTask', seq: d.seqAt('a'), operator: 'u' });
    expect(done.effects).toEqual([
      { type: 'CloseTask', seq: 1, node: 'a', reason: 'completed' },
      { type: 'EndIssue', status: 'completed' },
    ]);
  });

  test('terminate end kills every token and cancels tasks, jobs and timers via effects', async () => {
    const d = new Driver(
      await app(`<bpmn:startEvent id="s"/><bpmn:parallelGateway id="g"/>
      <bpmn:userTask id="task"/><bpmn:serviceTask id="job"/>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="killer"/><bpmn:endEvent id="term"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      <bpmn:endEvent id="e"/>
      ${flows('s>g', 'g>task', 'g>job', 'g>wait', 'g>killer', 'killer>term', 'task>e', 'job>e', 'wait>e')}`),
    );
    d.start();
    const r = d.run({ type: 'CompleteTask', seq: d.seqAt('killer'), operator: 'u' });
    expect(r.effects).toEqual([
      { type: 'CloseTask', seq: 4, node: 'killer', reason: 'completed' },
      { type: 'CloseTask', seq: 1, node: 'task', reason: 'cancelled' },
      { type: 'CancelJob', seq: 2, node: 'job' },
      { type: 'CancelTimer', seq: 3, node: 'wait' },
      { type: 'EndIssue', status: 'terminated' },
    ]);
    expect(r.state).toMatchObject({ status: 'terminated', tokens: {}, waits: {} });
    expect(d.run({ type: 'TimerFired', seq: 3 }).rejection?.code).toBe('ISSUE_NOT_ACTIVE');
  });

  test('cancel issue: every wait is cancelled, the issue ends cancelled', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:userTask id="t"/><bpmn:endEvent id="e"/>${flows('s>t', 't>e')}`,
      ),
    );
    d.start();
    const r = d.run({ type: 'CancelIssue', reason: 'duplicate' });
    expect(r.events.map((e) => e.type)).toEqual(['WaitCancelled', 'TokensRemoved', 'IssueEnded']);
    expect(r.effects).toEqual([
      { type: 'CloseTask', seq: 1, node: 't', reason: 'cancelled' },
      { type: 'EndIssue', status: 'cancelled' },
    ]);
    expect(d.run({ type: 'CancelIssue' }).rejection?.code).toBe('ISSUE_NOT_ACTIVE');
  });

  test('a start for an existing issue and a result for a missing one are refused', async () => {
    const a = await app(`<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>${flows('s>t')}`);
    const r = decide(a, null, { type: 'StartIssue', issueId: 'x' }, { now: T0 });
    expect(decide(a, r.state, { type: 'StartIssue', issueId: 'x' }, { now: T0 }).rejection?.code).toBe(
      'ALREADY_STARTED',
    );
    expect(decide(a, null, { type: 'TimerFired', seq: 1 }, { now: T0 }).rejection?.code).toBe('NOT_STARTED');
    expect(decide(a, null, { type: 'StartIssue', issueId: 'x' }, { now: 'yesterday' }).rejection?.code).toBe(
      'BAD_CONTEXT',
    );
  });
});
