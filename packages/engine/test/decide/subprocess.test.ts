import { describe, expect, test } from 'vitest';
import { compile } from '../../src/index.js';
import { app, bpmn, Driver, flows } from './helpers.js';

const ITEMS = `<nagare:dataItem fieldName="rows" type="table"/><nagare:dataItem fieldName="n" type="numeric"/>
  <nagare:dataItem fieldName="done" type="numeric"/>`;

const sub = (attrs: string, loop: string, inner = '<bpmn:userTask id="work"/>') =>
  `<bpmn:subProcess id="sub" ${attrs}>${loop}<bpmn:startEvent id="ss"/>${inner}<bpmn:endEvent id="se"/>
     ${flows('i1:ss>work', 'i2:work>se')}</bpmn:subProcess>`;

describe('embedded sub-process', () => {
  test('a scope with its own tokens; completes when its tokens are done', async () => {
    const d = new Driver(
      await app(`<bpmn:startEvent id="s"/>${sub('', '')}<bpmn:endEvent id="e"/>${flows('s>sub', 'sub>e')}`),
    );
    const r = d.start();
    expect(r.events.slice(2)).toEqual([
      { type: 'ScopeStarted', scope: 2, node: 'sub', token: 1, start: 'ss', startToken: 3 },
      { type: 'FlowTaken', token: 3, flow: 'i1', node: 'work' },
      { type: 'TaskOpened', seq: 1, token: 3, node: 'work' },
    ]);
    expect(r.state?.tokens).toEqual({
      1: { id: 1, node: 'sub', via: 'f1' },
      3: { id: 3, node: 'work', via: 'i1', scope: 2 },
    });
    const done = d.run({ type: 'CompleteTask', seq: 1, operator: 'u' });
    expect(done.events.map((e) => e.type)).toEqual([
      'TaskCompleted',
      'FlowTaken',
      'TokenEnded',
      'ScopeEnded',
      'FlowTaken',
      'TokenEnded',
      'IssueEnded',
    ]);
  });

  test('error end inside, caught by an error boundary on the sub-process by error code', async () => {
    const xml = bpmn(
      `<bpmn:startEvent id="s"/>
       <bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/><bpmn:parallelGateway id="fork"/><bpmn:userTask id="other"/>
         <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="E1"/></bpmn:endEvent>
         ${flows('i1:ss>fork', 'i2:fork>other', 'i3:fork>fail')}</bpmn:subProcess>
       <bpmn:boundaryEvent id="onErr" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="E1"/></bpmn:boundaryEvent>
       <bpmn:endEvent id="e"/><bpmn:userTask id="recover"/>${flows('s>sub', 'sub>e', 'onErr>recover')}`,
    ).replace('<bpmn:process', '<bpmn:error id="E1" errorCode="OUT_OF_STOCK"/><bpmn:process');
    const d = new Driver(await compile(xml));
    const r = d.start();
    expect(
      r.events.filter((e) => ['WaitCancelled', 'TokensRemoved', 'BoundaryTriggered'].includes(e.type)),
    ).toEqual([
      { type: 'WaitCancelled', seq: 1, reason: 'interrupted' },
      { type: 'TokensRemoved', tokens: [4, 5], scopes: [2] },
      { type: 'BoundaryTriggered', boundary: 'onErr', token: 1, interrupting: true },
    ]);
    expect(r.effects).toEqual([
      { type: 'OpenTask', seq: 1, node: 'other' },
      { type: 'CloseTask', seq: 1, node: 'other', reason: 'interrupted' },
      { type: 'OpenTask', seq: 2, node: 'recover' },
    ]);
  });

  test('an uncaught error end is an incident', async () => {
    const d = new Driver(
      await app(`<bpmn:startEvent id="s"/>
        <bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/><bpmn:endEvent id="fail"><bpmn:errorEventDefinition/></bpmn:endEvent>${flows('i1:ss>fail')}</bpmn:subProcess>
        <bpmn:endEvent id="e"/>${flows('s>sub', 'sub>e')}`),
    );
    const r = d.start();
    expect(r.effects).toEqual([
      {
        type: 'IncidentRaised',
        seq: 1,
        node: 'fail',
        code: 'UNCAUGHT_ERROR',
        message: 'error end event fail is not caught by any error boundary event',
      },
    ]);
  });

  test('terminate end inside a sub-process ends only that sub-process', async () => {
    const d = new Driver(
      await app(`<bpmn:startEvent id="s"/>
        <bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/><bpmn:parallelGateway id="fork"/><bpmn:userTask id="other"/>
          <bpmn:endEvent id="term"><bpmn:terminateEventDefinition/></bpmn:endEvent>${flows('i1:ss>fork', 'i2:fork>other', 'i3:fork>term')}</bpmn:subProcess>
        <bpmn:userTask id="next"/>${flows('s>sub', 'sub>next')}`),
    );
    const r = d.start();
    expect(r.effects).toEqual([
      { type: 'OpenTask', seq: 1, node: 'other' },
      { type: 'CloseTask', seq: 1, node: 'other', reason: 'cancelled' },
      { type: 'OpenTask', seq: 2, node: 'next' },
    ]);
    expect(r.state?.status).toBe('active');
  });
});

describe('multi-instance sub-process', () => {
  const mi = (seq: boolean, card: string, extra = '') =>
    `<bpmn:multiInstanceLoopCharacteristics isSequential="${seq}"><bpmn:loopCardinality>${card}</bpmn:loopCardinality>${extra}</bpmn:multiInstanceLoopCharacteristics>`;

  test('parallel over the rows of a table: one instance per row, each sees item and loopCounter', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${sub('', mi(false, 'rows'), '<bpmn:serviceTask id="work"/>')}<bpmn:endEvent id="e"/>${flows('s>sub', 'sub>e')}`,
        {
          items: ITEMS,
        },
      ),
    );
    const r = d.start({ rows: [{ sku: 'A' }, { sku: 'B' }] });
    expect(r.events.filter((e) => e.type === 'ScopeStarted')).toEqual([
      {
        type: 'ScopeStarted',
        scope: 2,
        node: 'sub',
        token: 1,
        start: 'ss',
        startToken: 3,
        vars: { loopCounter: 1, item: { sku: 'A' } },
      },
      {
        type: 'ScopeStarted',
        scope: 4,
        node: 'sub',
        token: 1,
        start: 'ss',
        startToken: 5,
        vars: { loopCounter: 2, item: { sku: 'B' } },
      },
    ]);
    expect(r.effects.map((e) => e.type)).toEqual(['ScheduleJob', 'ScheduleJob']);
    expect(d.run({ type: 'JobSucceeded', seq: 2 }).state?.tokens[1]?.mi).toEqual({
      total: 2,
      started: 2,
      completed: 1,
    });
    const last = d.run({ type: 'JobSucceeded', seq: 1 });
    expect(last.state?.status).toBe('completed');
  });

  test('sequential over a number: one instance after the other', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${sub('', mi(true, 'n'))}<bpmn:endEvent id="e"/>${flows('s>sub', 'sub>e')}`,
        { items: ITEMS },
      ),
    );
    expect(d.start({ n: 3 }).effects).toEqual([{ type: 'OpenTask', seq: 1, node: 'work' }]);
    expect(d.run({ type: 'CompleteTask', seq: 1, operator: 'u' }).effects).toEqual([
      { type: 'CloseTask', seq: 1, node: 'work', reason: 'completed' },
      { type: 'OpenTask', seq: 2, node: 'work' },
    ]);
    d.run({ type: 'CompleteTask', seq: 2, operator: 'u' });
    expect(d.run({ type: 'CompleteTask', seq: 3, operator: 'u' }).state?.status).toBe('completed');
  });

  test('zero instances: the step is passed at once', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${sub('', mi(false, 'n'))}<bpmn:endEvent id="e"/>${flows('s>sub', 'sub>e')}`,
        { items: ITEMS },
      ),
    );
    expect(d.start({ n: 0 }).state?.status).toBe('completed');
  });

  test('completionCondition: done early, the remaining instances are cancelled', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${sub('', mi(false, '3', '<bpmn:completionCondition>nrOfCompletedInstances >= 2</bpmn:completionCondition>'))}<bpmn:endEvent id="e"/>${flows('s>sub', 'sub>e')}`,
        { items: ITEMS },
      ),
    );
    d.start();
    d.run({ type: 'CompleteTask', seq: 1, operator: 'u' });
    const r = d.run({ type: 'CompleteTask', seq: 3, operator: 'u' });
    expect(r.effects).toEqual([
      { type: 'CloseTask', seq: 3, node: 'work', reason: 'completed' },
      { type: 'CloseTask', seq: 2, node: 'work', reason: 'cancelled' },
      { type: 'EndIssue', status: 'completed' },
    ]);
  });

  test('a cardinality that is neither a number nor a list is an incident', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${sub('', mi(false, 'n'))}<bpmn:endEvent id="e"/>${flows('s>sub', 'sub>e')}`,
        { items: ITEMS },
      ),
    );
    const r = d.start({ n: 1.5 });
    expect(r.effects[0]).toMatchObject({
      type: 'IncidentRaised',
      node: 'sub',
      code: 'MULTI_INSTANCE_FAILED',
    });
    const retry = d.run({ type: 'RetryIncident', incident: 1, data: { n: 1 } });
    expect(retry.effects).toEqual([{ type: 'OpenTask', seq: 2, node: 'work' }]);
  });
});

describe('multi-instance tasks', () => {
  const miTask = (tag: string, seq: boolean, card: string, extra = '') =>
    `<bpmn:${tag} id="each"><bpmn:multiInstanceLoopCharacteristics isSequential="${seq}"><bpmn:loopCardinality>${card}</bpmn:loopCardinality>${extra}</bpmn:multiInstanceLoopCharacteristics></bpmn:${tag}>`;

  test('a parallel multi-instance human step opens one task per row; it is done when all are', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${miTask('userTask', false, 'rows')}<bpmn:endEvent id="e"/>${flows('s>each', 'each>e')}`,
        {
          items: ITEMS,
        },
      ),
    );
    const r = d.start({ rows: ['ann', 'bob'] });
    expect(r.effects).toEqual([
      { type: 'OpenTask', seq: 1, node: 'each' },
      { type: 'OpenTask', seq: 2, node: 'each' },
    ]);
    expect(Object.values(r.state?.scopes ?? {}).map((s) => s.vars)).toEqual([
      { loopCounter: 1, item: 'ann' },
      { loopCounter: 2, item: 'bob' },
    ]);
    expect(d.run({ type: 'CompleteTask', seq: 2, operator: 'bob' }).state?.status).toBe('active');
    const done = d.run({ type: 'CompleteTask', seq: 1, operator: 'ann' });
    expect(done.events.map((e) => e.type)).toEqual([
      'TaskCompleted',
      'TokenEnded',
      'ScopeEnded',
      'FlowTaken',
      'TokenEnded',
      'IssueEnded',
    ]);
  });

  test('a sequential multi-instance job runs one job after the other, each with its item', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${miTask('serviceTask', true, 'rows')}<bpmn:endEvent id="e"/>${flows('s>each', 'each>e')}`,
        {
          items: ITEMS,
        },
      ),
    );
    expect(d.start({ rows: [1, 2] }).effects).toEqual([
      {
        type: 'ScheduleJob',
        seq: 1,
        node: 'each',
        automation: { type: 'service', configs: {} },
        idempotencyKey: 'I1:1',
      },
    ]);
    const second = d.run({ type: 'JobSucceeded', seq: 1 });
    expect(second.effects.map((e) => e.type)).toEqual(['ScheduleJob']);
    expect(Object.values(second.state?.scopes ?? {})[0]?.vars).toEqual({ loopCounter: 2, item: 2 });
    expect(d.run({ type: 'JobSucceeded', seq: 2 }).state?.status).toBe('completed');
  });

  test('an error boundary on a multi-instance job interrupts every instance', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${miTask('serviceTask', false, '3')}
         <bpmn:boundaryEvent id="err" attachedToRef="each"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
         <bpmn:endEvent id="e"/><bpmn:endEvent id="eErr"/>${flows('s>each', 'each>e', 'err>eErr')}`,
        { items: ITEMS },
      ),
    );
    d.start();
    const r = d.run({ type: 'JobFailed', seq: 2, error: { message: 'boom' } });
    expect(r.effects).toEqual([
      { type: 'CancelJob', seq: 1, node: 'each' },
      { type: 'CancelJob', seq: 3, node: 'each' },
      { type: 'EndIssue', status: 'completed' },
    ]);
    expect(r.events.find((e) => e.type === 'TokenEnded')).toMatchObject({ node: 'eErr' });
  });

  test('a timer boundary on a multi-instance human step is armed once, on the step', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${miTask('userTask', false, '2')}
         <bpmn:boundaryEvent id="late" attachedToRef="each"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
         <bpmn:endEvent id="e"/><bpmn:endEvent id="eLate"/>${flows('s>each', 'each>e', 'late>eLate')}`,
        { items: ITEMS },
      ),
    );
    expect(d.start().effects.map((e) => `${e.type}#${'seq' in e ? e.seq : ''}`)).toEqual([
      'ScheduleTimer#1',
      'OpenTask#2',
      'OpenTask#3',
    ]);
    const r = d.run({ type: 'TimerFired', seq: 1 });
    expect(r.effects.map((e) => e.type)).toEqual(['CloseTask', 'CloseTask', 'EndIssue']);
  });
});
