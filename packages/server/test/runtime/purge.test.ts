import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialects.js';
import { openRuntime, S1, S2 } from '../support/runtime.js';

describeEachDialect('retention purge', ({ config }) => {
  it('deletes the history and tasks of issues ended before the cutoff, nothing else', async () => {
    const t = await openRuntime(config());
    try {
      const s1 = await t.runtime.deploy({ bpmn: S1 });
      const s2 = await t.runtime.deploy({ bpmn: S2 });
      const old = await t.runtime.startIssue({ appId: s1.appId });
      const waiting = await t.runtime.startIssue({ appId: s2.appId });
      const done = await t.runtime.startIssue({ appId: s2.appId });
      await t.runtime.completeTask({ taskId: `${done.issueId}:1`, operator: 'ann' });
      t.clock.advance(40 * 86_400_000);
      const recent = await t.runtime.startIssue({ appId: s1.appId });

      const result = await t.runtime.purge({ endedBefore: t.clock.now() - 30 * 86_400_000 });
      expect(result).toMatchObject({ issues: 2, tasks: 1 });
      expect((await t.runtime.getIssue(old.issueId)).history).toEqual([]);
      expect((await t.runtime.getIssue(done.issueId)).history).toEqual([]);
      expect((await t.runtime.getIssue(old.issueId)).status).toBe('completed');
      expect((await t.runtime.getIssue(waiting.issueId)).history.length).toBeGreaterThan(0);
      expect((await t.runtime.getIssue(recent.issueId)).history.length).toBeGreaterThan(0);
      expect(await t.runtime.listTasks({ issueId: waiting.issueId })).toHaveLength(1);
      // Nothing left to purge: a second run finds nothing.
      expect(await t.runtime.purge({ endedBefore: t.clock.now() - 30 * 86_400_000 })).toEqual({
        issues: 0,
        events: 0,
        tasks: 0,
      });
      // deleteIssues removes the rows too.
      expect((await t.runtime.purge({ endedBefore: t.clock.now() + 1, deleteIssues: true })).issues).toBe(3);
      expect(await t.store.db.selectFrom('issue').select('id').execute()).toEqual([{ id: waiting.issueId }]);
    } finally {
      await t.close();
    }
  });
});
