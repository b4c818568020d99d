import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialects.js';
import { bpmn, flows, openRuntime, type TestRuntime } from '../support/runtime.js';

/** A Timer Start app: daily at 09:00 UTC (T0 is Monday 09:00), `count` issues per firing. */
function daily(time = '09:00', count = '1', end = 'e'): string {
  return bpmn(
    `<bpmn:startEvent id="ts"><bpmn:extensionElements><nagare:schedules timezone="UTC">
       <nagare:schedule frequency="daily" time="${time}" count="${count}"/></nagare:schedules></bpmn:extensionElements>
       <bpmn:timerEventDefinition/></bpmn:startEvent>
     <bpmn:userTask id="u"/><bpmn:endEvent id="${end}"/>${flows('ts>u', `u>${end}`)}`,
  );
}

async function issueCount(t: TestRuntime): Promise<number> {
  return (await t.store.db.selectFrom('issue').select('id').execute()).length;
}

describeEachDialect('timer starts', ({ dialect, config }) => {
  it('arms the next firing at release; after downtime starts one round, not one per missed slot', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: daily() });
      const row = await t.store.db.selectFrom('timer_start').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ app_id: appId, node: 'ts', next_at: '2026-01-06T09:00:00.000Z', fired: 0 });
      expect(await t.runtime.runTimerStarts()).toBe(0);

      t.clock.set('2026-01-09T10:00:00.000Z'); // Tue, Wed, Thu, Fri 09:00 all missed
      expect(await t.runtime.runTimerStarts()).toBe(1);
      expect(await t.runtime.runTimerStarts()).toBe(0);
      expect(await t.store.db.selectFrom('timer_start').selectAll().executeTakeFirstOrThrow()).toMatchObject({
        last_fired_at: '2026-01-09T09:00:00.000Z',
        next_at: '2026-01-10T09:00:00.000Z',
        fired: 1,
        locked_by: null,
      });
      const [issue] = await t.store.db.selectFrom('issue').selectAll().execute();
      expect(JSON.parse(issue!.state).waits).toMatchObject({ 1: { kind: 'task', node: 'u' } });
    } finally {
      await t.close();
    }
  });

  it('starts `count` issues per firing, in the same transaction as the advance', async () => {
    const t = await openRuntime(config());
    try {
      await t.runtime.deploy({ bpmn: daily('09:30', '3') });
      t.clock.set('2026-01-05T09:30:00.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(3);
      expect(await issueCount(t)).toBe(3);
    } finally {
      await t.close();
    }
  });

  it('releasing a new version re-arms the same row: never a second copy', async () => {
    const t = await openRuntime(config());
    try {
      const first = await t.runtime.deploy({ bpmn: daily() });
      const second = await t.runtime.deploy({ bpmn: daily('09:00', '1', 'e2'), appId: first.appId });
      await t.runtime.release(second.versionId);
      const rows = await t.store.db.selectFrom('timer_start').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        app_version_id: second.versionId,
        next_at: '2026-01-06T09:00:00.000Z',
      });
      t.clock.set('2026-01-06T09:00:01.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(1);
      const [issue] = await t.store.db.selectFrom('issue').selectAll().execute();
      expect(issue?.app_version_id).toBe(second.versionId);

      // A version without the timer start disarms it.
      const plain = await t.runtime.deploy({
        bpmn: bpmn(`<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows('s>e')}`),
        appId: first.appId,
      });
      expect(plain.version).toBe(3);
      expect(await t.store.db.selectFrom('timer_start').selectAll().execute()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it.skipIf(dialect !== 'postgres')('two nodes on one database start one round', async () => {
    const a = await openRuntime(config());
    const b = await openRuntime(config(), { clock: a.clock });
    try {
      await a.runtime.deploy({ bpmn: daily() });
      for (let day = 6; day <= 8; day++) {
        a.clock.set(`2026-01-0${day}T09:00:00.000Z`);
        const counts = await Promise.all([
          a.runtime.runTimerStarts(),
          b.runtime.runTimerStarts(),
          a.runtime.runTimerStarts(),
        ]);
        expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
      }
      expect(await issueCount(a)).toBe(3);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a node whose lease ran out cannot commit its round', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: daily() });
      t.clock.set('2026-01-06T09:00:00.000Z');
      // Node "slow" claimed the row, then stalled past its lease; node "fast" claims it again.
      await t.store.db
        .updateTable('timer_start')
        .set({ locked_by: 'slow', locked_until: '2026-01-06T08:59:00.000Z' })
        .where('app_id', '=', appId)
        .execute();
      expect(await t.runtime.runTimerStarts('fast')).toBe(1);
      const row = await t.store.db.selectFrom('timer_start').selectAll().executeTakeFirstOrThrow();
      expect(row.locked_by).toBeNull();
      expect(await issueCount(t)).toBe(1);
    } finally {
      await t.close();
    }
  });
});
