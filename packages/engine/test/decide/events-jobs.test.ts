import { describe, expect, test } from 'vitest';
import { app, Driver, flows, T0, updateData } from './helpers.js';

const ITEMS = `<nagare:dataItem fieldName="due" type="date"/><nagare:dataItem fieldName="wait" type="string"/>
  <nagare:dataItem fieldName="amount" type="numeric"/><nagare:dataItem fieldName="total" type="numeric"/>`;
const timer = (id: string, kind: string, body: string) =>
  `<bpmn:intermediateCatchEvent id="${id}"><bpmn:timerEventDefinition><bpmn:${kind}>${body}</bpmn:${kind}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;

describe('timer intermediate catch', () => {
  test.each([
    ['a duration', 'timeDuration', 'PT30M', {}, '2026-01-05T09:30:00.000Z'],
    ['a date from a data item', 'timeDate', 'due', { due: '2026-02-01' }, '2026-02-01T00:00:00.000Z'],
    ['a FEEL expression', 'timeDuration', '=wait', { wait: 'P1D' }, '2026-01-06T09:00:00.000Z'],
    [
      'a FEEL date-time expression',
      'timeDate',
      '=date and time("2026-03-01T12:00:00Z")',
      {},
      '2026-03-01T12:00:00.000Z',
    ],
  ])('%s', async (_what, kind, body, data, dueAt) => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${timer('w', kind, body)}<bpmn:endEvent id="e"/>${flows('s>w', 'w>e')}`,
        { items: ITEMS },
      ),
    );
    const r = d.start(data);
    expect(r.effects).toEqual([{ type: 'ScheduleTimer', seq: 1, node: 'w', dueAt }]);
    const fired = d.run({ type: 'TimerFired', seq: 1 });
    expect(fired.events.map((e) => e.type)).toEqual(['TimerFired', 'FlowTaken', 'TokenEnded', 'IssueEnded']);
    expect(d.run({ type: 'TimerFired', seq: 1 }).rejection?.code).toBe('ISSUE_NOT_ACTIVE');
  });

  test('a timer that cannot be computed is an incident naming the event', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${timer('w', 'timeDate', 'due')}<bpmn:endEvent id="e"/>${flows('s>w', 'w>e')}`,
        { items: ITEMS },
      ),
    );
    const r = d.start();
    expect(r.effects[0]).toMatchObject({ type: 'IncidentRaised', node: 'w', code: 'TIMER_FAILED' });
    const retry = d.run({ type: 'RetryIncident', incident: 1, data: { due: '2026-01-10' } });
    expect(retry.effects).toEqual([
      { type: 'ScheduleTimer', seq: 2, node: 'w', dueAt: '2026-01-10T00:00:00.000Z' },
    ]);
  });
});

const boundary = (id: string, on: string, body: string, interrupting = true) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${on}" cancelActivity="${interrupting}"><bpmn:timerEventDefinition>${body}</bpmn:timerEventDefinition></bpmn:boundaryEvent>`;

describe('timer boundary events', () => {
  test('interrupting on a human step: the task is closed and the token takes the boundary path', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>${boundary('late', 't', '<bpmn:timeDuration>P2D</bpmn:timeDuration>')}
         <bpmn:endEvent id="e"/><bpmn:endEvent id="eLate"/>${flows('s>t', 't>e', 'late>eLate')}`,
      ),
    );
    const r = d.start();
    expect(r.effects).toEqual([
      { type: 'ScheduleTimer', seq: 1, node: 'late', dueAt: '2026-01-07T09:00:00.000Z' },
      { type: 'OpenTask', seq: 2, node: 't' },
    ]);
    const f = d.run({ type: 'TimerFired', seq: 1 });
    expect(f.events).toEqual([
      { type: 'TimerFired', seq: 1 },
      { type: 'WaitCancelled', seq: 2, reason: 'interrupted' },
      { type: 'BoundaryTriggered', boundary: 'late', token: 1, interrupting: true },
      { type: 'FlowTaken', token: 1, flow: 'f3', node: 'eLate' },
      { type: 'TokenEnded', token: 1, node: 'eLate' },
      { type: 'IssueEnded', status: 'completed', at: '2026-01-05T09:00:00.000Z' },
    ]);
    expect(f.effects[0]).toEqual({ type: 'CloseTask', seq: 2, node: 't', reason: 'interrupted' });
  });

  test('completing the step cancels its boundary timer', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>${boundary('late', 't', '<bpmn:timeDuration>P2D</bpmn:timeDuration>')}
         <bpmn:endEvent id="e"/><bpmn:endEvent id="eLate"/>${flows('s>t', 't>e', 'late>eLate')}`,
      ),
    );
    d.start();
    const r = d.run({ type: 'CompleteTask', seq: 2, operator: 'u' });
    expect(r.effects).toEqual([
      { type: 'CloseTask', seq: 2, node: 't', reason: 'completed' },
      { type: 'CancelTimer', seq: 1, node: 'late' },
      { type: 'EndIssue', status: 'completed' },
    ]);
    expect(d.run({ type: 'TimerFired', seq: 1 }).rejection?.code).toBe('ISSUE_NOT_ACTIVE');
  });

  test('non-interrupting on an automated step: a reminder branch runs, the job goes on', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:serviceTask id="job"/>${boundary('remind', 'job', '<bpmn:timeDuration>PT1H</bpmn:timeDuration>', false)}
         <bpmn:userTask id="chase"/><bpmn:endEvent id="e"/>${flows('s>job', 'job>e', 'remind>chase')}`,
      ),
    );
    d.start();
    const f = d.run({ type: 'TimerFired', seq: 1 });
    expect(f.events.slice(0, 3)).toEqual([
      { type: 'TimerFired', seq: 1 },
      { type: 'BoundaryTriggered', boundary: 'remind', token: 2, interrupting: false },
      { type: 'FlowTaken', token: 2, flow: 'f3', node: 'chase' },
    ]);
    expect(f.state?.waits[2]).toMatchObject({ kind: 'job', node: 'job' });
    d.run({ type: 'JobSucceeded', seq: 2 });
    const last = d.run({ type: 'CompleteTask', seq: 3, operator: 'u' });
    expect(last.state?.status).toBe('completed');
  });

  test('a non-interrupting cycle (R2/PT1H) is a reminder: re-armed after each firing until spent', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>${boundary('remind', 't', '<bpmn:timeCycle>R2/PT1H</bpmn:timeCycle>', false)}
         <bpmn:endEvent id="e"/><bpmn:serviceTask id="nudge"/><bpmn:endEvent id="e2"/>${flows('s>t', 't>e', 'remind>nudge', 'nudge>e2')}`,
      ),
    );
    expect(d.start().effects[0]).toEqual({
      type: 'ScheduleTimer',
      seq: 1,
      node: 'remind',
      dueAt: '2026-01-05T10:00:00.000Z',
    });
    const first = d.run({ type: 'TimerFired', seq: 1 }, 3_600_000);
    expect(first.effects).toEqual([
      { type: 'ScheduleTimer', seq: 3, node: 'remind', dueAt: '2026-01-05T11:00:00.000Z' },
      {
        type: 'ScheduleJob',
        seq: 4,
        node: 'nudge',
        automation: { type: 'service', configs: {} },
        idempotencyKey: 'I1:4',
      },
    ]);
    expect(first.state?.waits[3]).toMatchObject({ round: 1 });
    const second = d.run({ type: 'TimerFired', seq: 3 }, 3_600_000);
    expect(second.effects.map((e) => e.type)).toEqual(['ScheduleJob']); // R2: spent
    const done = d.run({ type: 'CompleteTask', seq: 2, operator: 'u' });
    expect(done.state?.status).toBe('active'); // the two nudges are still running
  });

  test('on a sub-process: interrupting kills the inner tokens and waits', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>
         <bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/><bpmn:userTask id="inner"/><bpmn:endEvent id="se"/>
           ${flows('i1:ss>inner', 'i2:inner>se')}</bpmn:subProcess>
         ${boundary('sla', 'sub', '<bpmn:timeDuration>PT4H</bpmn:timeDuration>')}
         <bpmn:endEvent id="e"/><bpmn:endEvent id="eSla"/>${flows('s>sub', 'sub>e', 'sla>eSla')}`,
      ),
    );
    const r = d.start();
    expect(r.effects.map((e) => e.type)).toEqual(['ScheduleTimer', 'OpenTask']);
    const f = d.run({ type: 'TimerFired', seq: 1 });
    expect(f.effects).toEqual([
      { type: 'CloseTask', seq: 2, node: 'inner', reason: 'interrupted' },
      { type: 'EndIssue', status: 'completed' },
    ]);
    expect(f.state?.scopes).toEqual({});
  });

  test('step deadline with action "abort": due from nagare:deadline, fires the boundary without a time', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:userTask id="t"><bpmn:extensionElements>
           <nagare:deadline amount="3" unit="days" base="arrival" action="abort"/></bpmn:extensionElements></bpmn:userTask>
         <bpmn:boundaryEvent id="abort" attachedToRef="t"><bpmn:timerEventDefinition/></bpmn:boundaryEvent>
         <bpmn:endEvent id="e"/><bpmn:endEvent id="eAbort"/>${flows('s>t', 't>e', 'abort>eAbort')}`,
      ),
    );
    const r = d.start();
    expect(r.effects).toEqual([
      {
        type: 'OpenTask',
        seq: 1,
        node: 't',
        dueAt: '2026-01-08T09:00:00.000Z',
        deadline: { amount: 3, unit: 'days', base: 'arrival', action: 'abort' },
      },
      { type: 'ScheduleTimer', seq: 2, node: 'abort', dueAt: '2026-01-08T09:00:00.000Z' },
    ]);
    const f = d.run({ type: 'TimerFired', seq: 2 });
    expect(f.events.find((e) => e.type === 'TokenEnded')).toMatchObject({ node: 'eAbort' });
  });
});

describe('automated steps (jobs)', () => {
  const JOB = `<bpmn:startEvent id="s"/>
    <bpmn:serviceTask id="charge"><bpmn:extensionElements><nagare:automation type="http" maxAttempts="3">
      <nagare:config name="url">https://pay.example/charge</nagare:config></nagare:automation></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:boundaryEvent id="declined" attachedToRef="charge"><bpmn:errorEventDefinition errorRef="ErrDeclined"/></bpmn:boundaryEvent>
    <bpmn:endEvent id="e"/><bpmn:userTask id="handle"/>
    ${flows('s>charge', 'charge>e', 'declined>handle')}`;
  const ERR = `<bpmn:error id="ErrDeclined" errorCode="DECLINED"/>`;
  const jobApp = (xml = JOB) => app(xml, { items: ITEMS }).then((a) => a);

  test('schedule job with seq and idempotency key; success applies data and moves on', async () => {
    const a = await app(JOB.replace('errorRef="ErrDeclined"', ''), { items: ITEMS });
    const d = new Driver(a);
    const r = d.start();
    expect(r.effects).toEqual([
      {
        type: 'ScheduleJob',
        seq: 1,
        node: 'charge',
        automation: { type: 'http', maxAttempts: 3, configs: { url: 'https://pay.example/charge' } },
        idempotencyKey: 'I1:1',
      },
    ]);
    const ok = d.run({ type: 'JobSucceeded', seq: 1, data: { total: 7 } });
    expect(ok.events.slice(0, 2)).toEqual([
      { type: 'JobSucceeded', seq: 1, data: { total: 7 } },
      { type: 'FlowTaken', token: 1, flow: 'f2', node: 'e' },
    ]);
    expect(ok.state?.data).toEqual({ total: 7 });
    expect(d.run({ type: 'JobSucceeded', seq: 1 }).rejection?.code).toBe('ISSUE_NOT_ACTIVE');
  });

  test('failure with a matching error code goes to the error boundary event', async () => {
    const xml = (await import('./helpers.js'))
      .bpmn(JOB, { items: ITEMS })
      .replace('<bpmn:process', `${ERR}<bpmn:process`);
    const d = new Driver(await (await import('../../src/index.js')).compile(xml));
    d.start();
    const r = d.run({ type: 'JobFailed', seq: 1, error: { code: 'DECLINED', message: 'card declined' } });
    expect(r.events.slice(0, 3)).toEqual([
      { type: 'JobFailed', seq: 1, code: 'DECLINED', message: 'card declined' },
      { type: 'BoundaryTriggered', boundary: 'declined', token: 1, interrupting: true },
      { type: 'FlowTaken', token: 1, flow: 'f3', node: 'handle' },
    ]);
    // another code is not caught: an incident; the retry is a new job with a new seq
    const d2 = new Driver(d.app);
    d2.start();
    const inc = d2.run({ type: 'JobFailed', seq: 1, error: { code: 'TIMEOUT', message: 'gateway timeout' } });
    expect(inc.effects).toEqual([
      {
        type: 'IncidentRaised',
        seq: 2,
        node: 'charge',
        code: 'JOB_FAILED',
        message: 'charge failed with TIMEOUT: gateway timeout',
      },
    ]);
    const retry = d2.run({ type: 'RetryIncident', incident: 2 });
    expect(retry.effects).toEqual([
      { type: 'ScheduleJob', seq: 3, node: 'charge', automation: expect.anything(), idempotencyKey: 'I1:3' },
    ]);
    expect(d2.run({ type: 'JobSucceeded', seq: 1 }).rejection?.code).toBe('STALE_SEQ');
    expect(d2.run({ type: 'JobSucceeded', seq: 3 }).state?.status).toBe('completed');
  });

  test('a catch-all error boundary (no errorRef) catches every failure', async () => {
    const d = new Driver(await jobApp(JOB.replace('errorRef="ErrDeclined"', '')));
    d.start();
    const r = d.run({ type: 'JobFailed', seq: 1, error: { message: 'boom' }, retryable: false });
    expect(r.events[1]).toMatchObject({ type: 'BoundaryTriggered', boundary: 'declined' });
  });

  test('script, send, business-rule tasks and throwing message events are jobs; update data runs inline', async () => {
    const a = await app(
      `<bpmn:startEvent id="s"/><bpmn:scriptTask id="sc" scriptFormat="javascript"><bpmn:script>engine.log(1)</bpmn:script></bpmn:scriptTask>
       <bpmn:sendTask id="send"/><bpmn:intermediateThrowEvent id="notify"><bpmn:messageEventDefinition/></bpmn:intermediateThrowEvent>
       ${updateData('calc', { amount: '2 * 21', total: 'amount + 1' })}
       <bpmn:endEvent id="mail"><bpmn:extensionElements><nagare:automation type="email"/></bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:endEvent>
       ${flows('s>sc', 'sc>send', 'send>notify', 'notify>calc', 'calc>mail')}`,
      { items: ITEMS },
    );
    const d = new Driver(a);
    const r = d.start();
    expect(r.effects).toEqual([
      {
        type: 'ScheduleJob',
        seq: 1,
        node: 'sc',
        automation: { type: 'script', configs: {}, script: { format: 'javascript', body: 'engine.log(1)' } },
        idempotencyKey: 'I1:1',
      },
    ]);
    expect(d.run({ type: 'JobSucceeded', seq: 1 }).effects[0]).toMatchObject({
      node: 'send',
      automation: { type: 'send' },
    });
    expect(d.run({ type: 'JobSucceeded', seq: 2 }).effects[0]).toMatchObject({
      node: 'notify',
      automation: { type: 'message' },
    });
    const calc = d.run({ type: 'JobSucceeded', seq: 3 });
    expect(calc.events[2]).toEqual({ type: 'DataUpdated', node: 'calc', values: { amount: 42, total: 43 } });
    expect(calc.effects[0]).toMatchObject({
      type: 'ScheduleJob',
      node: 'mail',
      automation: { type: 'email' },
    });
    const end = d.run({ type: 'JobSucceeded', seq: 4 });
    expect(end.events.map((e) => e.type)).toEqual(['JobSucceeded', 'TokenEnded', 'IssueEnded']);
  });

  test('an update-data expression error is an incident naming the step and expression', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${updateData('calc', { total: 'amount +' })}<bpmn:endEvent id="e"/>${flows('s>calc', 'calc>e')}`,
        {
          items: ITEMS,
        },
      ).catch((e: Error) => {
        expect(e.message).toContain('calc');
        expect(e.message).toContain('BAD_EXPRESSION');
        return app(
          `<bpmn:startEvent id="s"/>${updateData('calc', { total: '[amount..3]' })}<bpmn:endEvent id="e"/>${flows('s>calc', 'calc>e')}`,
          {
            items: ITEMS,
          },
        );
      }),
    );
    const r = d.start({ amount: 1 });
    const inc = r.effects[0] as { code: string; node: string; message: string };
    expect(inc).toMatchObject({ type: 'IncidentRaised', node: 'calc' });
    expect(inc.message).toContain('[amount..3]');
    expect(inc.code).toBe('EXPRESSION_FAILED');
  });
});

describe('message boundary events', () => {
  const withBoundary = (interrupting: boolean) =>
    app(
      `<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>
       <bpmn:boundaryEvent id="msg" attachedToRef="t" cancelActivity="${interrupting}"><bpmn:extensionElements><nagare:messageKey key="withdraw"/></bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:boundaryEvent>
       <bpmn:endEvent id="e"/><bpmn:serviceTask id="note"/><bpmn:endEvent id="e2"/>${flows('s>t', 't>e', 'msg>note', 'note>e2')}`,
      { items: ITEMS },
    );

  test('interrupting: the message closes the task and takes the boundary path', async () => {
    const d = new Driver(await withBoundary(true));
    expect(d.start().effects).toEqual([
      { type: 'SubscribeMessage', seq: 1, node: 'msg', key: 'withdraw' },
      { type: 'OpenTask', seq: 2, node: 't' },
    ]);
    const r = d.run({ type: 'MessageReceived', node: 'msg', key: 'withdraw' });
    expect(r.effects.map((e) => e.type)).toEqual(['CloseTask', 'ScheduleJob']);
  });

  test('non-interrupting: each message runs the boundary path; the subscription stays while the task is open', async () => {
    const d = new Driver(await withBoundary(false));
    d.start();
    const r = d.run({ type: 'MessageReceived', node: 'msg', key: 'withdraw' });
    expect(r.effects).toEqual([
      { type: 'SubscribeMessage', seq: 3, node: 'msg', key: 'withdraw' },
      {
        type: 'ScheduleJob',
        seq: 4,
        node: 'note',
        automation: { type: 'service', configs: {} },
        idempotencyKey: 'I1:4',
      },
    ]);
    const done = d.run({ type: 'CompleteTask', seq: 2, operator: 'u' });
    expect(done.effects).toEqual([
      { type: 'CloseTask', seq: 2, node: 't', reason: 'completed' },
      { type: 'UnsubscribeMessage', seq: 3, node: 'msg' },
    ]);
  });
});

describe('message catch and receive task', () => {
  test('subscribe with node and key; the message carries data; the issue moves on', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:receiveTask id="wait"><bpmn:extensionElements><nagare:messageKey key="paid"/></bpmn:extensionElements></bpmn:receiveTask>
         <bpmn:endEvent id="e"/>${flows('s>wait', 'wait>e')}`,
        { items: ITEMS },
      ),
    );
    expect(d.start().effects).toEqual([{ type: 'SubscribeMessage', seq: 1, node: 'wait', key: 'paid' }]);
    expect(d.run({ type: 'MessageReceived', node: 's', key: 'paid' }).rejection?.code).toBe(
      'NO_SUBSCRIPTION',
    );
    const r = d.run({ type: 'MessageReceived', node: 'wait', key: 'paid', data: { total: 10 } });
    expect(r.state).toMatchObject({ status: 'completed', data: { total: 10 } });
    expect(T0).toBeGreaterThan(0);
  });
});
