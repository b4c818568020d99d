import { expect, it } from 'vitest';
import { createWorkspace, updateWorkspaceSettings } from '../../src/identity/workspaces.js';
import { describeEachDialect } from '../support/dialects.js';
import { bpmn, flows, openRuntime, type TestRuntime } from '../support/runtime.js';

/** start → a timer catch event due at 00:00 of the `day` data item (a date) → end. */
const UNTIL_DAY = bpmn(
  `<bpmn:startEvent id="s"/>
   <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDate>day</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
   <bpmn:endEvent id="e"/>${flows('s>wait', 'wait>e')}`,
  { items: '<nagare:dataItem fieldName="day" type="date"/>' },
);

/** A Timer Start daily at 09:00 in the workspace's zone (no zone of its own). */
const DAILY = bpmn(
  `<bpmn:startEvent id="ts"><bpmn:extensionElements><nagare:schedules>
     <nagare:schedule frequency="daily" time="09:00" count="1"/></nagare:schedules></bpmn:extensionElements>
     <bpmn:timerEventDefinition/></bpmn:startEvent>
   <bpmn:endEvent id="e"/>${flows('ts>e')}`,
);

async function timerDue(t: TestRuntime, issueId: string): Promise<string> {
  const row = await t.store.db
    .selectFrom('job')
    .select(['kind', 'run_at'])
    .where('issue_id', '=', issueId)
    .executeTakeFirstOrThrow();
  expect(row.kind).toBe('timer');
  return row.run_at;
}

describeEachDialect("an issue's timers go by its workspace's time zone", ({ config }) => {
  it('a date means 00:00 of that day where the workspace is, and a changed zone applies to the next commands', async () => {
    const t = await openRuntime(config());
    try {
      await createWorkspace(t.store.db, { id: 'tokyo', name: 'Tokyo', timeZone: 'Asia/Tokyo' });
      const inTokyo = await t.runtime.deploy({ bpmn: UNTIL_DAY, workspaceId: 'tokyo' });
      const inDefault = await t.runtime.deploy({ bpmn: UNTIL_DAY }); // the default workspace: UTC

      const a = await t.runtime.startIssue({
        appId: inTokyo.appId,
        workspaceId: 'tokyo',
        data: { day: '2030-01-01' },
      });
      const b = await t.runtime.startIssue({ appId: inDefault.appId, data: { day: '2030-01-01' } });
      expect(await timerDue(t, a.issueId)).toBe('2029-12-31T15:00:00.000Z');
      expect(await timerDue(t, b.issueId)).toBe('2030-01-01T00:00:00.000Z');

      // Another node (here: the store directly) changes the zone; every node sees it within 10 s.
      await updateWorkspaceSettings(t.store.db, 'tokyo', { timeZone: 'America/New_York' });
      t.clock.advance(10_001);
      const c = await t.runtime.startIssue({
        appId: inTokyo.appId,
        workspaceId: 'tokyo',
        data: { day: '2030-01-01' },
      });
      expect(await timerDue(t, c.issueId)).toBe('2030-01-01T05:00:00.000Z');
      // The timers already set keep their instant.
      expect(await timerDue(t, a.issueId)).toBe('2029-12-31T15:00:00.000Z');
    } finally {
      await t.close();
    }
  });

  it("a Timer Start without a zone of its own is armed in its workspace's zone", async () => {
    const t = await openRuntime(config());
    try {
      await createWorkspace(t.store.db, { id: 'tokyo', name: 'Tokyo', timeZone: 'Asia/Tokyo' });
      const { appId } = await t.runtime.deploy({ bpmn: DAILY, workspaceId: 'tokyo' });
      const row = await t.store.db
        .selectFrom('timer_start')
        .select(['time_zone', 'next_at'])
        .where('app_id', '=', appId)
        .executeTakeFirstOrThrow();
      // T0 is Monday 2026-01-05 09:00 UTC = 18:00 in Tokyo: next 09:00 there is Tuesday 00:00 UTC.
      expect(row).toEqual({ time_zone: 'Asia/Tokyo', next_at: '2026-01-06T00:00:00.000Z' });
    } finally {
      await t.close();
    }
  });
});
