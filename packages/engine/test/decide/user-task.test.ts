import { describe, expect, test } from 'vitest';
import { decide } from '../../src/index.js';
import { app, cond, Driver, flows, T0 } from './helpers.js';

const ITEMS =
  '<nagare:dataItem fieldName="amount" type="numeric"/><nagare:dataItem fieldName="note" type="string"/>';

const BUTTONS = `<bpmn:startEvent id="s"/>
  <bpmn:userTask id="approve" name="Approve">
    <bpmn:extensionElements><nagare:buttons>
      <nagare:button flow="ok" label="Approve"/><nagare:button flow="back" label="Send back"/>
    </nagare:buttons></bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:userTask id="fix" name="Fix"/>
  <bpmn:endEvent id="e"/>
  ${flows('s>fix', 'fix>approve', 'ok:approve>e', 'back:approve>fix')}`;

describe('human step', () => {
  test('arriving opens a task with seq, step, buttons', async () => {
    const d = new Driver(await app(BUTTONS, { items: ITEMS }));
    const r = d.start();
    expect(r.events.at(-1)).toEqual({ type: 'TaskOpened', seq: 1, token: 1, node: 'fix' });
    expect(r.effects).toEqual([{ type: 'OpenTask', seq: 1, node: 'fix', name: 'Fix' }]);
    const r2 = d.run({ type: 'CompleteTask', seq: 1, operator: 'bob', data: { note: 'done' } });
    expect(r2.events).toEqual([
      { type: 'TaskCompleted', seq: 1, operator: 'bob', data: { note: 'done' } },
      { type: 'FlowTaken', token: 1, flow: 'f2', node: 'approve' },
      { type: 'TaskOpened', seq: 2, token: 1, node: 'approve' },
    ]);
    expect(r2.effects).toEqual([
      { type: 'CloseTask', seq: 1, node: 'fix', reason: 'completed' },
      {
        type: 'OpenTask',
        seq: 2,
        node: 'approve',
        name: 'Approve',
        buttons: [
          { flow: 'ok', label: 'Approve' },
          { flow: 'back', label: 'Send back' },
        ],
      },
    ]);
    expect(r2.state?.data).toEqual({ note: 'done' });
  });

  test('a button picks the flow; send-back loops to an earlier step', async () => {
    const d = new Driver(await app(BUTTONS, { items: ITEMS }));
    d.start();
    d.run({ type: 'CompleteTask', seq: 1, operator: 'bob' });
    const back = d.run({ type: 'CompleteTask', seq: 2, operator: 'ann', button: 'back' });
    expect(back.events[1]).toEqual({ type: 'FlowTaken', token: 1, flow: 'back', node: 'fix' });
    expect(back.effects.at(-1)).toMatchObject({ type: 'OpenTask', seq: 3, node: 'fix' });
    d.run({ type: 'CompleteTask', seq: 3, operator: 'bob' });
    const ok = d.run({ type: 'CompleteTask', seq: 4, operator: 'ann', button: 'ok' });
    expect(ok.state?.status).toBe('completed');
    expect(ok.state?.route).toEqual({ f1: 1, f2: 2, back: 1, ok: 1 });
  });

  test('button rules: required, must be one of the buttons; state unchanged on refusal', async () => {
    const d = new Driver(await app(BUTTONS, { items: ITEMS }));
    d.start();
    d.run({ type: 'CompleteTask', seq: 1, operator: 'bob' });
    const before = d.state;
    const none = d.run({ type: 'CompleteTask', seq: 2, operator: 'ann' });
    expect(none.rejection?.code).toBe('BUTTON_REQUIRED');
    expect(none.state).toBe(before);
    expect(none.events).toEqual([]);
    expect(d.run({ type: 'CompleteTask', seq: 2, operator: 'ann', button: 'f1' }).rejection?.code).toBe(
      'UNKNOWN_BUTTON',
    );
    expect(
      d.run({ type: 'CompleteTask', seq: 2, operator: 'ann', button: 'ok', data: { zzz: 1 } }).rejection
        ?.code,
    ).toBe('UNKNOWN_DATA_ITEM');
  });

  test('seq rules: unknown, already used, wrong kind → typed refusal, state unchanged', async () => {
    const d = new Driver(await app(BUTTONS, { items: ITEMS }));
    d.start();
    d.run({ type: 'CompleteTask', seq: 1, operator: 'bob' });
    const s = d.state;
    const stale = d.run({ type: 'CompleteTask', seq: 1, operator: 'bob' });
    expect(stale.rejection?.code).toBe('STALE_SEQ');
    expect(stale.state).toBe(s);
    expect(d.run({ type: 'CompleteTask', seq: 99, operator: 'bob' }).rejection?.code).toBe('UNKNOWN_SEQ');
    expect(d.run({ type: 'JobSucceeded', seq: 2 }).rejection?.code).toBe('WRONG_WAIT_KIND');
    expect(d.run({ type: 'TimerFired', seq: 2 }).rejection?.code).toBe('WRONG_WAIT_KIND');
  });

  test('conditions on the outgoing flows: evaluated on completion in order, first true wins, else default', async () => {
    const a = await app(
      `<bpmn:startEvent id="s"/><bpmn:userTask id="t" default="low"/>
       <bpmn:endEvent id="eHigh"/><bpmn:endEvent id="eMid"/><bpmn:endEvent id="eLow"/>
       ${flows('s>t', 'low:t>eLow')}
       ${cond('high', 't', 'eHigh', 'amount > 100')}${cond('mid', 't', 'eMid', 'amount > 10')}`,
      { items: ITEMS },
    );
    const end = (amount: number) => {
      const d = new Driver(a);
      d.start();
      const r = d.run({ type: 'CompleteTask', seq: 1, operator: 'u', data: { amount } });
      return r.events.find((e) => e.type === 'TokenEnded');
    };
    expect(end(500)).toMatchObject({ node: 'eHigh' });
    expect(end(50)).toMatchObject({ node: 'eMid' });
    expect(end(5)).toMatchObject({ node: 'eLow' });
  });

  test('team step, completion "all": done when the last open team task is completed', async () => {
    const a = await app(
      `<bpmn:laneSet><bpmn:lane id="team"><bpmn:extensionElements><nagare:operators team="true" completion="all"/></bpmn:extensionElements>
        <bpmn:flowNodeRef>review</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
       <bpmn:startEvent id="s"/><bpmn:userTask id="review"/><bpmn:endEvent id="e"/>${flows('s>review', 'review>e')}`,
      { items: ITEMS },
    );
    const d = new Driver(a);
    const r = d.start();
    expect(r.effects).toEqual([
      {
        type: 'OpenTask',
        seq: 1,
        node: 'review',
        lane: 'team',
        allocation: 'offer',
        team: { completion: 'all' },
      },
    ]);
    const one = d.run({
      type: 'CompleteTask',
      seq: 1,
      operator: 'ann',
      openTeamTasks: 2,
      data: { note: 'a' },
    });
    expect(one.events).toEqual([{ type: 'TeamTaskCompleted', seq: 1, operator: 'ann', data: { note: 'a' } }]);
    expect(one.effects).toEqual([]);
    expect(one.state?.waits[1]?.done).toEqual(['ann']);
    expect(d.run({ type: 'CompleteTask', seq: 1, operator: 'ann', openTeamTasks: 1 }).rejection?.code).toBe(
      'ALREADY_COMPLETED',
    );
    d.run({ type: 'CompleteTask', seq: 1, operator: 'bob', openTeamTasks: 1 });
    const last = d.run({ type: 'CompleteTask', seq: 1, operator: 'cy', openTeamTasks: 0 });
    expect(last.events[0]).toEqual({ type: 'TaskCompleted', seq: 1, operator: 'cy' });
    expect(last.effects).toEqual([
      { type: 'CloseTask', seq: 1, node: 'review', reason: 'completed' },
      { type: 'EndIssue', status: 'completed' },
    ]);
  });

  test('team step, completion "any": the first completion finishes the step and closes the others', async () => {
    const a = await app(
      `<bpmn:laneSet><bpmn:lane id="team"><bpmn:extensionElements><nagare:operators team="true" completion="any"/></bpmn:extensionElements>
        <bpmn:flowNodeRef>review</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
       <bpmn:startEvent id="s"/><bpmn:userTask id="review"/><bpmn:endEvent id="e"/>${flows('s>review', 'review>e')}`,
    );
    const d = new Driver(a);
    d.start();
    const r = d.run({ type: 'CompleteTask', seq: 1, operator: 'ann', openTeamTasks: 2 });
    expect(r.effects[0]).toEqual({ type: 'CloseTask', seq: 1, node: 'review', reason: 'completed' });
    expect(r.state?.status).toBe('completed');
    expect(d.run({ type: 'CompleteTask', seq: 1, operator: 'bob', openTeamTasks: 1 }).rejection?.code).toBe(
      'ISSUE_NOT_ACTIVE',
    );
  });

  test('an issue waiting at a user task is small (T8: ≤ 1 KB serialized)', async () => {
    const a =
      await app(`<bpmn:startEvent id="StartEvent_1"/><bpmn:userTask id="Activity_0x1y2z3"/><bpmn:endEvent id="EndEvent_1"/>
      ${flows('Flow_0a1b2c3:StartEvent_1>Activity_0x1y2z3', 'Flow_1d2e3f4:Activity_0x1y2z3>EndEvent_1')}`);
    const r = decide(a, null, { type: 'StartIssue', issueId: '01JH2XK3M4N5P6Q7R8S9T0UVWX' }, { now: T0 });
    const size = JSON.stringify(r.state).length;
    expect(size).toBeLessThanOrEqual(1024);
    expect(size).toBeLessThan(400);
  });
});

describe('who did what (swimlane rules read it)', () => {
  test("the starter and each step's operators, oldest first, are kept in the state", async () => {
    const d = new Driver(await app(BUTTONS, { items: ITEMS }));
    expect(d.start(undefined, { by: 'ann' }).state?.starter).toBe('ann');
    d.run({ type: 'CompleteTask', seq: d.seqAt('fix'), operator: 'bob' });
    const back = d.run({ type: 'CompleteTask', seq: d.seqAt('approve'), operator: 'cy', button: 'back' });
    expect(back.state?.doneBy).toEqual([
      ['fix', 'bob'],
      ['approve', 'cy'],
    ]);
    const again = d.run({ type: 'CompleteTask', seq: d.seqAt('fix'), operator: 'dan' });
    expect(again.state?.doneBy).toEqual([
      ['fix', 'bob'],
      ['approve', 'cy'],
      ['fix', 'dan'],
    ]);
  });

  test('an issue started by nobody in particular has no starter, and no doneBy until a task is done', async () => {
    const d = new Driver(await app(BUTTONS, { items: ITEMS }));
    const r = d.start();
    expect(r.state).not.toHaveProperty('starter');
    expect(r.state).not.toHaveProperty('doneBy');
  });
});
