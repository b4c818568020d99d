import { describe, expect, test } from 'vitest';
import { replay } from '../../src/index.js';
import { app, Driver, flows } from './helpers.js';

/** Who did it: RetryIncident and MessageReceived carry their actor into the history. */
describe('actors of incident retries and delivered messages', () => {
  const JOB = `<bpmn:startEvent id="s"/><bpmn:serviceTask id="j"/><bpmn:endEvent id="e"/>${flows('s>j', 'j>e')}`;
  const ITEMS = '<nagare:dataItem fieldName="q_n" type="numeric"/>';

  test('RetryIncident by someone: IncidentResolved records by (and the data fix); the effects are unchanged', async () => {
    const d = new Driver(await app(JOB, { items: ITEMS }));
    d.start();
    d.run({ type: 'JobFailed', seq: 1, error: { message: 'timeout' } });

    // when
    const r = d.run({ type: 'RetryIncident', incident: 2, data: { q_n: 3 }, by: 'admin-1' });

    // then
    expect(r.events[0]).toEqual({ type: 'IncidentResolved', seq: 2, data: { q_n: 3 }, by: 'admin-1' });
    expect(r.effects).toMatchObject([{ type: 'ScheduleJob', seq: 3 }]);
    expect(r.state?.data).toEqual({ q_n: 3 });
    expect(replay(d.events)).toEqual(d.state);
  });

  test('RetryIncident without by: no by in the event (as before)', async () => {
    const d = new Driver(await app(JOB));
    d.start();
    d.run({ type: 'JobFailed', seq: 1, error: { message: 'timeout' } });
    expect(d.run({ type: 'RetryIncident', incident: 2 }).events[0]).toEqual({
      type: 'IncidentResolved',
      seq: 2,
    });
  });

  test('MessageReceived by a user through an OAuth client: the event records both', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:receiveTask id="wait"><bpmn:extensionElements><nagare:messageKey key="paid"/></bpmn:extensionElements></bpmn:receiveTask>
         <bpmn:endEvent id="e"/>${flows('s>wait', 'wait>e')}`,
        { items: ITEMS },
      ),
    );
    d.start();

    // when
    const r = d.run({
      type: 'MessageReceived',
      node: 'wait',
      key: 'paid',
      data: { q_n: 10 },
      by: 'u-7',
      client: 'erp',
    });

    // then
    expect(r.events[0]).toEqual({
      type: 'MessageReceived',
      seq: 1,
      data: { q_n: 10 },
      by: 'u-7',
      client: 'erp',
    });
    expect(r.effects).toEqual([{ type: 'EndIssue', status: 'completed' }]);
    expect(replay(d.events)).toEqual(d.state);
  });

  test('a refused message or retry records nothing, whoever sent it', async () => {
    const d = new Driver(await app(JOB));
    d.start();
    const before = d.events.length;
    expect(d.run({ type: 'RetryIncident', incident: 9, by: 'admin-1' }).rejection?.code).toBe(
      'UNKNOWN_INCIDENT',
    );
    expect(d.run({ type: 'MessageReceived', node: 'j', by: 'u-7' }).rejection?.code).toBe('NO_SUBSCRIPTION');
    expect(d.events).toHaveLength(before);
  });
});
