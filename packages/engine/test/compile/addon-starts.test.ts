import { describe, expect, test } from 'vitest';
import { CompileError, decide } from '../../src/index.js';
import { app, flows, T0 } from '../decide/helpers.js';

const addon = (attrs: string, configs = '<nagare:config name="conf_idData">q_id</nagare:config>') =>
  `<bpmn:extensionElements><nagare:automation ${attrs}>${configs}</nagare:automation></bpmn:extensionElements>`;

async function problems(body: string): Promise<string[]> {
  try {
    await app(body);
  } catch (e) {
    // the start event refused, the process has none left: only the add-on problems matter here
    if (e instanceof CompileError)
      return e.problems
        .filter((p) => p.code !== 'NO_START_EVENT')
        .map((p) => `${p.code} ${p.elementId}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('start events with an add-on', () => {
  test('a plain start event with an add-on is an addon start, polled every 5 minutes by default', async () => {
    const a = await app(
      `<bpmn:startEvent id="poll">${addon('type="addon" addon="gmail@2"')}</bpmn:startEvent>
       <bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows('poll>e', 's>e')}`,
    );
    expect(a.addonStarts).toEqual([
      {
        node: 'poll',
        pollInterval: 'PT5M',
        automation: { type: 'addon', addon: 'gmail@2', configs: { conf_idData: 'q_id' } },
      },
    ]);
    expect(a.nodes.poll).toMatchObject({ kind: 'start', trigger: 'addon', automation: { addon: 'gmail@2' } });
    // the user's start event stays the default: an add-on start is not a plain start
    expect(a.defaultStart).toBe('s');
    expect(a.timerStarts).toEqual([]);
    const r = decide(a, null, { type: 'StartIssue', issueId: 'i', startEvent: 'poll' }, { now: T0 });
    expect(r.rejection).toBeUndefined();
    expect(r.events[0]).toMatchObject({ type: 'IssueStarted', node: 'poll' });
  });

  test('pollInterval is an ISO duration of at least one minute', async () => {
    const a = await app(
      `<bpmn:startEvent id="poll">${addon('type="addon" addon="x" pollInterval="PT1M"')}</bpmn:startEvent>
       <bpmn:endEvent id="e"/>${flows('poll>e')}`,
    );
    expect(a.addonStarts[0]?.pollInterval).toBe('PT1M');
    const hook = await app(
      `<bpmn:startEvent id="hook">${addon('type="addon" addon="slack" key="s3cret"')}</bpmn:startEvent>
       <bpmn:endEvent id="e"/>${flows('hook>e')}`,
    );
    expect(hook.addonStarts[0]).toMatchObject({ node: 'hook', key: 's3cret' });
    expect(
      await problems(
        `<bpmn:startEvent id="poll">${addon('type="addon" addon="x" pollInterval="PT30S"')}</bpmn:startEvent>
         <bpmn:endEvent id="e"/>${flows('poll>e')}`,
      ),
    ).toEqual(['BAD_ADDON_START poll: pollInterval "PT30S" is shorter than one minute']);
    expect(
      (
        await problems(
          `<bpmn:startEvent id="poll">${addon('type="addon" addon="x" pollInterval="5"')}</bpmn:startEvent>
         <bpmn:endEvent id="e"/>${flows('poll>e')}`,
        )
      )[0],
    ).toMatch(/^BAD_ADDON_START poll: pollInterval: "5" is not an ISO 8601 duration/);
  });

  test('a timer start event carries its add-on on its timer start spec', async () => {
    const a = await app(
      `<bpmn:startEvent id="ts">${addon('type="addon" addon="num_of_choices"')}
         <bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
       <bpmn:endEvent id="e"/>${flows('ts>e')}`,
    );
    expect(a.timerStarts).toEqual([
      {
        node: 'ts',
        schedules: [],
        timer: { kind: 'cycle', value: 'R/PT1H' },
        automation: { type: 'addon', addon: 'num_of_choices', configs: { conf_idData: 'q_id' } },
      },
    ]);
    expect(a.addonStarts).toEqual([]);
    expect(a.nodes.ts).toMatchObject({ trigger: 'timer', automation: { addon: 'num_of_choices' } });
  });

  test('only add-ons, and not on message start events', async () => {
    expect(
      await problems(
        `<bpmn:startEvent id="s">${addon('type="http"')}</bpmn:startEvent><bpmn:endEvent id="e"/>${flows('s>e')}`,
      ),
    ).toEqual([
      'BAD_ADDON_START s: a start event\'s nagare:automation must be type="addon" with addon="id" or "id@version"',
    ]);
    expect(
      await problems(
        `<bpmn:startEvent id="s">${addon('type="addon"')}</bpmn:startEvent><bpmn:endEvent id="e"/>${flows('s>e')}`,
      ),
    ).toHaveLength(1);
    expect(
      await problems(
        `<bpmn:startEvent id="s">${addon('type="addon" addon="x"')}<bpmn:messageEventDefinition/></bpmn:startEvent>
         <bpmn:endEvent id="e"/>${flows('s>e')}`,
      ),
    ).toEqual(['BAD_ADDON_START s: a message start event cannot carry an add-on']);
  });

  test("a message start's own automation (the e-mail channel's settings) is not an add-on", async () => {
    const a = await app(
      `<bpmn:startEvent id="byMail"><bpmn:extensionElements><nagare:messageKey channel="email"/>${addon('type="email"', '<nagare:config name="subject">q_subject</nagare:config>').replace(/<\/?bpmn:extensionElements>/g, '')}</bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:startEvent>
       <bpmn:endEvent id="e"/>${flows('byMail>e')}`,
    );
    expect(a.messageStarts).toEqual([{ node: 'byMail', channel: 'email' }]);
    expect(a.addonStarts).toEqual([]);
  });
});
