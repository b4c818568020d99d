/**
 * The script connector on its own: configs refused with a clear error, the API's typed values
 * in and out (numbers, dates, datetimes, selects, users, tables), values that do not fit their
 * item refused, and the debug-run flag.
 */
import { type AutomationSpec, compile, type DataValues } from '@nagare/engine';
import { describe, expect, it } from 'vitest';
import type { JobRun } from '../../../src/connectors/connector.js';
import { scriptConnector } from '../../../src/connectors/script/connector.js';
import { bpmn, flows } from '../../support/runtime.js';

const ITEMS = [
  '<nagare:dataItem number="1" fieldName="text" type="string"/>',
  '<nagare:dataItem number="2" fieldName="amount" type="numeric"/>',
  '<nagare:dataItem number="3" fieldName="day" type="date"/>',
  '<nagare:dataItem number="4" fieldName="at" type="datetime"/>',
  '<nagare:dataItem number="5" fieldName="choice" type="select"><nagare:choice value="a" label="A"/><nagare:choice value="b" label="B"/></nagare:dataItem>',
  '<nagare:dataItem number="6" fieldName="who" type="user"/>',
  '<nagare:dataItem number="7" fieldName="flag" type="string"/>',
].join('');

const app = await compile(
  bpmn(`<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows('s>e')}`, { items: ITEMS }),
);

const bare = await compile(bpmn(`<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows('s>e')}`));

function job(
  script: string | undefined,
  configs: Record<string, string> = {},
  data: DataValues = {},
  mode = 'normal',
): JobRun {
  const automation: AutomationSpec = {
    type: 'script',
    configs,
    ...(script === undefined ? {} : { script: { format: 'javascript', body: script } }),
  };
  return {
    workspaceId: 'w',
    issueId: 'i1',
    seq: 1,
    node: 'step',
    attempt: 1,
    maxAttempts: 1,
    idempotencyKey: 'i1:1',
    automation,
    issue: async () => ({
      id: 'i1',
      workspaceId: 'w',
      appId: 'app1',
      appVersionId: 'v1',
      mode,
      startedAt: '2026-01-05T09:00:00.000Z',
      data,
      app,
    }),
  };
}

const connector = scriptConnector({ fetch: () => Promise.reject(new Error('no network in this test')) });
const run = (j: JobRun) => connector.run(j, new AbortController().signal);

describe('script connector', () => {
  it.each([
    ['no script', job(undefined), 'the script step has no script'],
    ['an empty script', job('  '), 'the script step has no script'],
    [
      'a timeout above 30 s',
      job('1', { timeout: '60000' }),
      'config "timeout" must be 1 to 30000 milliseconds',
    ],
    ['a bad timezone', job('1', { timezone: 'Mars/Base' }), 'config "timezone" must be GMT'],
  ])('refuses %s', async (_name, j, message) => {
    const r = await run(j);
    expect(r).toMatchObject({ ok: false, retryable: false, error: { code: 'BAD_CONFIG' } });
    if (!r.ok) expect(r.error.message).toContain(message);
  });

  it('refuses a script format other than JavaScript', async () => {
    const j = job('1');
    const r = await run({ ...j, automation: { ...j.automation, script: { format: 'groovy', body: 'x' } } });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'BAD_CONFIG', message: 'scriptFormat must be JavaScript, got "groovy"' },
    });
  });

  it('reads typed values and writes them back as data values', async () => {
    const r = await run(
      job(
        `const amount = engine.findDataByVarName('amount');
         const day = engine.findDataByNumber(3);
         const at = engine.findDataByNumber(4);
         const choice = engine.findDataByNumber(5);
         const who = engine.findDataByNumber(6);
         engine.setDataByNumber(1, [amount.add(new java.math.BigDecimal('0.5')).toString(), day.toString(), who.getName(), choice.get(0).getValue(), configs.get('greeting')].join('|'));
         engine.setDataByNumber(2, amount.multiply(2));
         engine.setDataByNumber(3, day.addDays(1));
         engine.setDataByNumber(4, at.addHours(1));
         engine.setDataByNumber(5, [engine.createItem('b', 'B')]);
         engine.setDataByNumber(7, String(processInstance.getProcessInstanceDebug()));`,
        { greeting: 'hi', timezone: 'GMT+09:00' },
        {
          amount: 12.25,
          day: '2026-01-31',
          at: '2026-01-05T09:00:00.000Z',
          choice: ['a'],
          who: { id: 'u1', name: 'Hanako', email: 'h@example.com' },
        },
        'test',
      ),
    );
    expect(r).toEqual({
      ok: true,
      data: {
        text: '12.75|2026-01-31|Hanako|a|hi',
        amount: '24.50',
        day: '2026-02-01',
        at: '2026-01-05T10:00:00.000Z',
        choice: ['b'],
        flag: 'true',
      },
    });
  });

  it('refuses a value that does not fit its item, naming the item', async () => {
    const r = await run(job('engine.setDataByNumber(3, "next tuesday");'));
    expect(r).toMatchObject({ ok: false, error: { code: 'SCRIPT_BAD_VALUE' } });
    if (!r.ok)
      expect(r.error.message).toContain(
        'data item day (date): the script set a string value ("next tuesday")',
      );
  });

  it('an unknown data item is a script error', async () => {
    const r = await run(job('engine.setDataByNumber(99, "x");'));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'SCRIPT_ERROR', message: 'Error: data item 99 is not defined' },
    });
  });

  it('an App without declared data items sees its values as text', async () => {
    const j = job(`engine.setDataByVarName('greeting', engine.findDataByVarName('name').toUpperCase());`);
    const r = await run({
      ...j,
      issue: async () => ({ ...(await j.issue()), app: bare, data: { name: 'hanako', greeting: '' } }),
    });
    expect(r).toEqual({ ok: true, data: { greeting: 'HANAKO' } });
  });

  it('a network failure reaches the script as an exception it can catch', async () => {
    const r = await run(
      job(
        `try { httpClient.begin().get('https://example.com/'); } catch (e) { engine.setDataByNumber(1, e.message); }`,
      ),
    );
    expect(r).toEqual({ ok: true, data: { text: 'GET https://example.com/: no network in this test' } });
  });
});
