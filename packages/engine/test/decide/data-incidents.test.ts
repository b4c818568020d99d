import { describe, expect, test } from 'vitest';
import { CompileError, replay } from '../../src/index.js';
import { app, Driver, flows } from './helpers.js';

const ITEMS = `<nagare:dataItem fieldName="q_n" type="numeric" initialValue="5"/>
  <nagare:dataItem fieldName="q_s" type="select" initialValue="a, b"/>
  <nagare:dataItem fieldName="q_t" type="string" initialValue="hi"/>
  <nagare:dataItem fieldName="q_d" type="date"/>`;
const TASK = `<bpmn:startEvent id="s"/><bpmn:userTask id="t"/><bpmn:endEvent id="e"/>${flows('s>t', 't>e')}`;

describe('data items: initial values and typed incoming data', () => {
  test('initialValue is set at start, typed by the item type, unless the start gives the value', async () => {
    const a = await app(TASK, { items: ITEMS });
    const d = new Driver(a);
    const r = d.start();
    expect(r.events[0]).toMatchObject({ type: 'IssueStarted', data: { q_n: 5, q_s: ['a', 'b'], q_t: 'hi' } });
    const given = new Driver(a).start({ q_n: 7, q_t: null });
    expect(given.state?.data).toEqual({ q_n: 7, q_s: ['a', 'b'], q_t: null });
    expect(replay(given.events)).toEqual(given.state);
  });

  test('an initialValue that does not fit its type is a compile problem', async () => {
    const bad = app(TASK, { items: '<nagare:dataItem fieldName="q_n" type="numeric" initialValue="many"/>' });
    await expect(bad).rejects.toBeInstanceOf(CompileError);
    await expect(bad).rejects.toMatchObject({ problems: [{ code: 'BAD_INITIAL_VALUE', elementId: 'P' }] });
  });

  test('incoming data must fit the item type (BAD_DATA_VALUE names the item); unknown fields stay refused', async () => {
    const d = new Driver(await app(TASK, { items: ITEMS }));
    expect(new Driver(d.app).start({ q_n: 'abc' }).rejection).toEqual({
      code: 'BAD_DATA_VALUE',
      message: 'data item "q_n" is numeric; got the string "abc"',
    });
    d.start();
    const seq = d.seqAt('t');
    const complete = (data: Record<string, unknown>) =>
      d.run({ type: 'CompleteTask', seq, operator: 'u', data });
    expect(complete({ q_d: '2026-13-40' }).rejection?.code).toBe('BAD_DATA_VALUE');
    expect(complete({ q_t: 42 }).rejection?.message).toBe('data item "q_t" is string; got the number 42');
    expect(complete({ q_s: [1] }).rejection?.code).toBe('BAD_DATA_VALUE');
    expect(complete({ nope: 1 }).rejection?.code).toBe('UNKNOWN_DATA_ITEM');
    const ok = complete({ q_n: '12.50', q_d: '2026-02-01', q_s: 'c', q_t: null });
    expect(ok.rejection).toBeUndefined();
    expect(ok.effects.at(-1)).toEqual({ type: 'EndIssue', status: 'completed' });
  });
});

describe('a job failure reported as not retryable', () => {
  const JOB = `<bpmn:startEvent id="s"/><bpmn:serviceTask id="j"/><bpmn:endEvent id="e"/>${flows('s>j', 'j>e')}`;

  test('is an incident that RetryIncident refuses (NOT_RETRYABLE); cancel still works', async () => {
    const d = new Driver(await app(JOB));
    d.start();
    const r = d.run({
      type: 'JobFailed',
      seq: d.seqAt('j'),
      error: { message: 'card declined' },
      retryable: false,
    });
    expect(r.effects).toEqual([
      {
        type: 'IncidentRaised',
        seq: 2,
        node: 'j',
        code: 'JOB_FAILED',
        message: 'j failed (not retryable): card declined',
        retryable: false,
      },
    ]);
    expect(r.state?.incidents[2]?.retryable).toBe(false);
    expect(replay(d.events)).toEqual(d.state);
    const retry = d.run({ type: 'RetryIncident', incident: 2 });
    expect(retry.rejection?.code).toBe('NOT_RETRYABLE');
    expect(retry.state).toBe(d.state);
    expect(d.run({ type: 'CancelIssue' }).effects).toEqual([{ type: 'EndIssue', status: 'cancelled' }]);
  });

  test('a retryable failure (the default) is retried as a new job', async () => {
    const d = new Driver(await app(JOB));
    d.start();
    d.run({ type: 'JobFailed', seq: 1, error: { message: 'timeout' } });
    expect(d.run({ type: 'RetryIncident', incident: 2 }).effects).toMatchObject([
      { type: 'ScheduleJob', seq: 3 },
    ]);
  });

  test('an error boundary still catches it', async () => {
    const d = new Driver(
      await app(`${JOB}<bpmn:boundaryEvent id="b" attachedToRef="j"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
        <bpmn:endEvent id="e2"/>${flows('fb:b>e2')}`),
    );
    d.start();
    const r = d.run({ type: 'JobFailed', seq: 1, error: { message: 'no' }, retryable: false });
    expect(r.effects).toEqual([{ type: 'EndIssue', status: 'completed' }]);
    expect(r.state?.incidents).toEqual({});
  });
});

describe('an interrupting timeCycle timer boundary', () => {
  test('fires once, at the first due time of the cycle (as Camunda), and is not re-armed', async () => {
    const d = new Driver(
      await app(`<bpmn:startEvent id="s"/><bpmn:userTask id="t"/><bpmn:endEvent id="e"/><bpmn:endEvent id="late"/>
        <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flows('s>t', 't>e', 'b>late')}`),
    );
    const r = d.start();
    expect(r.effects).toEqual([
      { type: 'ScheduleTimer', seq: 1, node: 'b', dueAt: '2026-01-05T10:00:00.000Z' },
      { type: 'OpenTask', seq: 2, node: 't' },
    ]);
    const fired = d.run({ type: 'TimerFired', seq: 1 }, 3_600_000);
    expect(fired.effects).toEqual([
      { type: 'CloseTask', seq: 2, node: 't', reason: 'interrupted' },
      { type: 'EndIssue', status: 'completed' },
    ]);
  });
});
