import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector.js';
import { deriveEntries } from '../../src/process-log/derive-entries.js';
import { ProcessLog } from '../../src/process-log/process-log.js';
import { processLogCsv } from '../../src/process-log/process-log-csv.js';
import { ProcessLogError } from '../../src/process-log/process-log-error.js';
import { ControlledConnector } from '../support/controlled-connector.js';
import { describeEachDialect } from '../support/dialects.js';
import { automated, bpmn, flows, openRuntime, T0, type TestRuntime } from '../support/runtime.js';

/** start → update data (amount = 42) → review (writes amount, note) → end. */
const APP = bpmn(
  `<bpmn:startEvent id="start"/>
   <bpmn:serviceTask id="set"><bpmn:extensionElements><nagare:automation type="updateData"><nagare:assign item="amount" expression="42"/></nagare:automation></bpmn:extensionElements></bpmn:serviceTask>
   <bpmn:userTask id="review" name="Review"><bpmn:extensionElements><nagare:dataAccess>
     <nagare:access item="amount" mode="write"/><nagare:access item="note" mode="write"/><nagare:access item="title" mode="read"/>
   </nagare:dataAccess></bpmn:extensionElements></bpmn:userTask>
   <bpmn:endEvent id="end"/>
   ${flows('start>set', 'set>review', 'review>end')}`,
  {
    items:
      '<nagare:dataItem fieldName="title" type="string"/><nagare:dataItem fieldName="amount" type="numeric"/><nagare:dataItem fieldName="note" type="string"/>',
  },
);

describeEachDialect('process log', ({ config }) => {
  let t: TestRuntime;
  let log: ProcessLog;
  beforeEach(async () => {
    t = await openRuntime(config());
    log = new ProcessLog(t.store);
  });
  afterEach(async () => {
    await t.close();
  });

  async function runOne(): Promise<{ appId: string; issueId: string }> {
    const { appId } = await t.runtime.deploy({ bpmn: APP });
    const { issueId } = await t.runtime.startIssue({ appId, by: 'ann', data: { title: 'Quote 7' } });
    t.clock.advance(60_000);
    const [task] = await t.runtime.listTasks({ issueId });
    await t.runtime.completeTask({ taskId: task!.id, operator: 'bob', data: { amount: 50, note: 'ok' } });
    return { appId, issueId };
  }

  it('says who did what to which issue, at which step and when, with data before and after', async () => {
    const { appId, issueId } = await runOne();

    // when
    const { entries, truncated } = await log.query('default', { issueId });

    // then
    expect(truncated).toBe(false);
    const lines = entries.map((e) => [e.kind, e.step ?? '', e.actor ?? '', e.at]);
    const later = new Date(Date.parse(T0) + 60_000).toISOString();
    expect(lines).toEqual([
      ['issue-started', 'start', 'ann', T0],
      ['data-edited', 'start', 'ann', T0],
      ['arrived', 'set', '', T0],
      ['data-edited', 'set', '', T0],
      ['arrived', 'review', '', T0],
      ['task-opened', 'review', '', T0],
      ['task-completed', 'review', 'bob', later],
      ['data-edited', 'review', 'bob', later],
      ['arrived', 'end', '', later],
      ['issue-ended', '', '', later],
    ]);
    expect(entries.every((e) => e.issueId === issueId && e.appId === appId)).toBe(true);
    const edits = entries.filter((e) => e.kind === 'data-edited').map((e) => e.changes);
    expect(edits).toEqual([
      [{ field: 'title', before: null, after: 'Quote 7' }],
      [{ field: 'amount', before: null, after: 42 }],
      [
        { field: 'amount', before: 42, after: 50 },
        { field: 'note', before: null, after: 'ok' },
      ],
    ]);
    expect(entries.at(-1)?.detail).toBe('completed');
  });

  it('filters by date window, app and issue, and never shows another workspace', async () => {
    const first = await runOne();
    t.clock.advance(3_600_000);
    const second = await runOne();
    const secondStart = new Date(Date.parse(T0) + 60_000 + 3_600_000).toISOString();

    // by window: from the second issue's start on
    const windowed = await log.query('default', { from: secondStart });
    expect(new Set(windowed.entries.map((e) => e.issueId))).toEqual(new Set([second.issueId]));
    // a window that ends before: only the first issue's start (to is exclusive)
    const early = await log.query('default', { to: new Date(Date.parse(T0) + 1).toISOString() });
    expect(new Set(early.entries.map((e) => e.issueId))).toEqual(new Set([first.issueId]));
    expect(early.entries.map((e) => e.kind)).not.toContain('task-completed');
    // by app, by issue, limit
    expect(
      (await log.query('default', { appId: second.appId })).entries.every((e) => e.appId === second.appId),
    ).toBe(true);
    const limited = await log.query('default', { limit: 3 });
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.entries).toHaveLength(3);
    // another workspace: nothing, even asked by issue id
    expect((await log.query('ws-other', {})).entries).toEqual([]);
    expect((await log.query('ws-other', { issueId: first.issueId })).entries).toEqual([]);
  });

  it('refuses a bad filter with what is wrong', async () => {
    const cases: [object, string][] = [
      [{ from: 'yesterday' }, 'from must be an ISO 8601 date (2026-04-01) or date-time with zone'],
      [{ to: '2026-13-45' }, 'to must be an ISO 8601 date'],
      [
        { from: '2026-04-02', to: '2026-04-01' },
        'from (2026-04-02T00:00:00.000Z) must be before to (2026-04-01T00:00:00.000Z)',
      ],
      [{ limit: 0 }, 'limit must be an integer from 1 to 10000; got 0'],
      [{ limit: 10_001 }, 'limit must be an integer from 1 to 10000'],
    ];
    for (const [filter, message] of cases) {
      const error = await log.query('default', filter).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProcessLogError);
      expect((error as ProcessLogError).code).toBe('BAD_FILTER');
      expect((error as ProcessLogError).message).toContain(message);
    }
  });

  it('names who cancelled an issue', async () => {
    const { appId } = await t.runtime.deploy({ bpmn: APP });
    const { issueId } = await t.runtime.startIssue({ appId, by: 'ann' });
    await t.runtime.cancelIssue(issueId, { reason: 'duplicate', by: 'carol' });
    const { entries } = await log.query('default', { issueId });
    expect(entries.at(-1)).toMatchObject({
      kind: 'issue-ended',
      actor: 'carol',
      detail: 'cancelled: duplicate',
    });
  });

  it('names who delivered a message (and through which OAuth client) and who retried an incident', async () => {
    const waits = bpmn(
      `<bpmn:startEvent id="start"/>
       <bpmn:receiveTask id="wait"><bpmn:extensionElements><nagare:messageKey key="paid"/></bpmn:extensionElements></bpmn:receiveTask>
       <bpmn:endEvent id="end"/>${flows('start>wait', 'wait>end')}`,
      { items: '<nagare:dataItem fieldName="amount" type="numeric"/>' },
    );
    const { appId } = await t.runtime.deploy({ bpmn: waits });
    const { issueId } = await t.runtime.startIssue({ appId, by: 'ann' });

    // when
    await t.runtime.deliverMessage({
      issueId,
      node: 'wait',
      key: 'paid',
      data: { amount: 7 },
      by: 'erp-bot',
      client: 'erp',
    });

    // then
    const { entries } = await log.query('default', { issueId });
    expect(entries.find((e) => e.kind === 'message-received')).toMatchObject({
      step: 'wait',
      actor: 'erp-bot',
      detail: 'client erp',
    });
    expect(entries.find((e) => e.kind === 'data-edited' && e.step === 'wait')).toMatchObject({
      actor: 'erp-bot',
      changes: [{ field: 'amount', before: null, after: 7 }],
    });
  });

  it('names who retried an incident (and whose data fix it was)', async () => {
    const connector = new ControlledConnector();
    connector.outcome = () => ({ ok: false, error: { code: 'DOWN', message: 'down' }, retryable: true });
    const own = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    try {
      const { appId } = await own.runtime.deploy({ bpmn: automated('test', {}, 1) });
      const { issueId } = await own.runtime.startIssue({ appId });
      await own.runtime.createWorker().runOnce();
      const [incident] = await own.runtime.listIncidents({ issueId });
      expect(incident?.code).toBe('JOB_FAILED');

      // when
      await own.runtime.retryIncident(issueId, incident!.seq, { status: 3 }, undefined, 'admin-1');

      // then
      const { entries } = await new ProcessLog(own.store).query('default', { issueId });
      expect(entries.find((e) => e.kind === 'incident-resolved')).toMatchObject({
        step: 'call',
        actor: 'admin-1',
      });
      expect(entries.find((e) => e.kind === 'data-edited' && e.step === 'call')).toMatchObject({
        actor: 'admin-1',
        changes: [{ field: 'status', before: null, after: 3 }],
      });
    } finally {
      await own.close();
    }
  });

  it('refuses a window with more issues than one request reads', async () => {
    await runOne();
    await runOne();
    const small = new ProcessLog(t.store, { maxIssues: 1 });
    const error = await small.query('default', {}).catch((e: unknown) => e);
    expect((error as ProcessLogError).code).toBe('TOO_BROAD');
  });

  it('exports CSV for spreadsheets: UTF-8 BOM, one row per changed item', async () => {
    const { issueId } = await runOne();
    const csv = processLogCsv((await log.query('default', { issueId })).entries);
    expect(
      csv.startsWith('\uFEFFat,issue_id,app_id,ordinal,kind,step,actor,field,before,after,detail\r\n'),
    ).toBe(true);
    expect(csv).toContain(',data-edited,review,bob,amount,42,50,\r\n');
    expect(csv).toContain(',data-edited,review,bob,note,,ok,\r\n');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('deriveEntries', () => {
  it('names the step of completed waits, joins forks and quotes team members, skipping bookkeeping events', () => {
    const entries = deriveEntries(
      { id: 'i1', appId: 'a1' },
      [
        {
          ordinal: 1,
          at: '2026-01-01T00:00:00.000Z',
          events: [
            {
              type: 'IssueStarted',
              issueId: 'i1',
              node: 's',
              token: 1,
              mode: 'normal',
              data: {},
              at: '2026-01-01T00:00:00.000Z',
            },
            {
              type: 'TokenForked',
              token: 1,
              branches: [
                { token: 2, flow: 'f1', node: 'a' },
                { token: 3, flow: 'f2', node: 'b' },
              ],
            },
            { type: 'TaskOpened', seq: 1, token: 2, node: 'a' },
            { type: 'JobScheduled', seq: 2, token: 3, node: 'b' },
          ],
        },
        {
          ordinal: 5,
          at: '2026-01-01T00:01:00.000Z',
          events: [
            { type: 'JobFailed', seq: 2, code: 'HTTP_500', message: 'server error' },
            {
              type: 'IncidentRaised',
              seq: 2,
              token: 3,
              node: 'b',
              code: 'HTTP_500',
              message: 'server error',
            },
            { type: 'TaskCompleted', seq: 1, operator: 'carol', button: 'approve', data: { q: 'same' } },
            { type: 'TokenEnded', token: 2, node: 'a' },
            { type: 'IssueEnded', status: 'cancelled', at: '2026-01-01T00:02:00.000Z', reason: 'duplicate' },
          ],
        },
      ],
      [
        {
          seq: 1,
          node: 'a',
          assignee: null,
          candidates: ['carol', 'dave'],
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    );
    expect(entries.map((e) => [e.ordinal, e.kind, e.step, e.actor, e.detail])).toEqual([
      [1, 'issue-started', 's', undefined, undefined],
      [2, 'arrived', 'a', undefined, undefined],
      [2, 'arrived', 'b', undefined, undefined],
      [3, 'task-opened', 'a', undefined, undefined],
      [3, 'task-allocated', 'a', undefined, 'candidates: carol, dave'],
      [4, 'job-scheduled', 'b', undefined, undefined],
      [5, 'job-failed', 'b', undefined, 'HTTP_500: server error'],
      [6, 'incident-raised', 'b', undefined, 'HTTP_500: server error'],
      [7, 'task-completed', 'a', 'carol', 'button approve'],
      [7, 'data-edited', 'a', 'carol', undefined],
      [9, 'issue-ended', undefined, undefined, 'cancelled: duplicate'],
    ]);
    expect(entries.find((e) => e.kind === 'data-edited')?.changes).toEqual([
      { field: 'q', before: null, after: 'same' },
    ]);
  });
});
