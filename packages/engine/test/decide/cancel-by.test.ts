import { describe, expect, test } from 'vitest';
import { replay } from '../../src/index.js';
import { app, Driver, flows, T0 } from './helpers.js';

const AT = new Date(T0).toISOString();

describe('who cancelled an issue', () => {
  test('IssueEnded carries CancelIssue.by, for the process log; replay is unchanged by it', async () => {
    const d = new Driver(await app(`<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>${flows('s>t')}`));
    const started = d.start();
    const r = d.run({ type: 'CancelIssue', reason: 'duplicate', by: 'alice' });
    expect(r.events.at(-1)).toEqual({
      type: 'IssueEnded',
      status: 'cancelled',
      at: AT,
      reason: 'duplicate',
      by: 'alice',
    });
    expect(replay([...started.events, ...r.events])).toEqual(r.state);
  });

  test('without by (and without reason) the event is as before: old histories and new ones read the same', async () => {
    const d = new Driver(await app(`<bpmn:startEvent id="s"/><bpmn:userTask id="t"/>${flows('s>t')}`));
    d.start();
    const r = d.run({ type: 'CancelIssue' });
    expect(r.events.at(-1)).toEqual({ type: 'IssueEnded', status: 'cancelled', at: AT });
  });
});
