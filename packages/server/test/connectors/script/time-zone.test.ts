/**
 * Scripts see their Workspace's time zone, not the server's: the same App deployed in a Tokyo
 * and a New York Workspace (real store, real runtime) formats the same instants differently,
 * New York with its daylight-saving offset in summer; a date item set from a datetime is the
 * date in that zone, a datetime set from a date is midnight there; a step's own `timezone`
 * config still wins.
 */
import { expect, it } from 'vitest';
import { createConnectorRegistry } from '../../../src/connectors/connector.js';
import { scriptConnector } from '../../../src/connectors/script/connector.js';
import { createWorkspace } from '../../../src/identity/workspaces.js';
import { offsetAt } from '../../../src/script/time-zone.js';
import { describeEachDialect } from '../../support/dialects.js';
import { bpmn, flows, openRuntime } from '../../support/runtime.js';

const ITEMS = [
  '<nagare:dataItem number="1" fieldName="winter" type="datetime"/>',
  '<nagare:dataItem number="2" fieldName="summer" type="datetime"/>',
  '<nagare:dataItem number="3" fieldName="day" type="date"/>',
  '<nagare:dataItem number="4" fieldName="text" type="string"/>',
  '<nagare:dataItem number="5" fieldName="dayOfSummer" type="date"/>',
  '<nagare:dataItem number="6" fieldName="midnight" type="datetime"/>',
  '<nagare:dataItem number="7" fieldName="offset" type="numeric"/>',
].join('');

const SCRIPT = `
const w = engine.findDataByVarName('winter');
const s = engine.findDataByVarName('summer');
engine.setDataByVarName('text', [
  engine.getTimeZoneId(),
  dateFormatter.format('yyyy-MM-dd HH:mm Z', w),
  dateFormatter.format('yyyy-MM-dd HH:mm XXX', s),
  w.toString(),
  new java.sql.Timestamp(s.getTime()).toString(),
  new java.text.SimpleDateFormat('yyyy/MM/dd HH:mm').format(s),
  new Date(java.sql.Timestamp.valueOf('2026-07-15 09:00:00').getTime()).toISOString(),
  dateFormatter.format('Asia/Tokyo', 'HH:mm', s),
].join('|'));
engine.setDataByVarName('dayOfSummer', s);
engine.setDataByVarName('midnight', engine.findDataByVarName('day'));
engine.setDataByVarName('offset', engine.getTimeZoneOffsetInMinutes());
`;

function app(configs = ''): string {
  return bpmn(
    `<bpmn:startEvent id="start"/>
     <bpmn:scriptTask id="work" scriptFormat="javascript">
       <bpmn:extensionElements><nagare:automation type="script">${configs}</nagare:automation></bpmn:extensionElements>
       <bpmn:script><![CDATA[${SCRIPT}]]></bpmn:script>
     </bpmn:scriptTask>
     <bpmn:endEvent id="end"/>
     ${flows('start>work', 'work>end')}`,
    { items: ITEMS, id: 'Zones' },
  );
}

const DATA = {
  winter: '2026-01-15T12:00:00.000Z',
  // 02:00 UTC: already the 15th in Tokyo, still the 14th in New York
  summer: '2026-07-15T02:00:00.000Z',
  day: '2026-03-09',
};

describeEachDialect('the Workspace time zone in scripts', ({ config }) => {
  it('two Workspaces in different zones see the same instants in their own zone', async () => {
    const connectors = createConnectorRegistry([
      scriptConnector({ fetch: () => Promise.reject(new Error('no')) }),
    ]);
    const t = await openRuntime(config(), { connectors });
    try {
      await createWorkspace(t.store.db, { id: 'tokyo', name: 'Tokyo', timeZone: 'Asia/Tokyo' });
      await createWorkspace(t.store.db, { id: 'newyork', name: 'New York', timeZone: 'America/New_York' });
      const run = async (workspaceId: string, configs = '') => {
        const { appId } = await t.runtime.deploy({ bpmn: app(configs), workspaceId });
        const { issueId } = await t.runtime.startIssue({ appId, workspaceId, data: DATA });
        await t.runtime.createWorker().runOnce();
        const issue = await t.runtime.getIssue(issueId);
        expect(await t.runtime.listIncidents({ issueId, workspaceId })).toEqual([]);
        return issue.state.data as Record<string, unknown>;
      };

      const tokyo = await run('tokyo');
      expect(String(tokyo.text).split('|')).toEqual([
        'Asia/Tokyo',
        '2026-01-15 21:00 +0900',
        '2026-07-15 11:00 +09:00',
        '2026-01-15 21:00:00.0',
        '2026-07-15 11:00:00.0',
        '2026/07/15 11:00',
        '2026-07-15T00:00:00.000Z',
        '11:00',
      ]);
      expect(tokyo.dayOfSummer).toBe('2026-07-15');
      expect(tokyo.midnight).toBe('2026-03-08T15:00:00.000Z');
      expect(tokyo.offset).toBe(540);

      const ny = await run('newyork');
      expect(String(ny.text).split('|')).toEqual([
        'America/New_York',
        '2026-01-15 07:00 -0500',
        '2026-07-14 22:00 -04:00',
        '2026-01-15 07:00:00.0',
        '2026-07-14 22:00:00.0',
        '2026/07/14 22:00',
        '2026-07-15T13:00:00.000Z',
        '11:00',
      ]);
      expect(ny.dayOfSummer).toBe('2026-07-14');
      // daylight-saving time began on 8 March 2026 in New York: midnight of the 9th is 04:00 UTC
      expect(ny.midnight).toBe('2026-03-09T04:00:00.000Z');
      expect(ny.offset).toBe(offsetAt('America/New_York', Date.now()));

      // the step's own timezone config wins over the Workspace's
      const fixed = await run('newyork', '<nagare:config name="timezone">GMT+01:00</nagare:config>');
      expect(String(fixed.text).split('|').slice(0, 3)).toEqual([
        'GMT+01:00',
        '2026-01-15 13:00 +0100',
        '2026-07-15 03:00 +01:00',
      ]);
    } finally {
      await t.close();
    }
  }, 60_000);
});
