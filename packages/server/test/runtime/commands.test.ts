import { replay } from '@nagare/engine';
import { expect, it } from 'vitest';
import { RuntimeError } from '../../src/runtime/errors.js';
import { describeEachDialect } from '../support/dialects.js';
import { bpmn, flows, openRuntime, S1, S2 } from '../support/runtime.js';

describeEachDialect('runtime commands', ({ config }) => {
  it('runs S1 straight through: issue row, history and no open work', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: S1 });
      const outcome = await t.runtime.startIssue({ appId });
      expect(outcome.state.status).toBe('completed');
      const issue = await t.runtime.getIssue(outcome.issueId);
      expect(issue.status).toBe('completed');
      expect(issue.endedAt).not.toBeNull();
      expect(issue.history.map((e) => e.type)).toContain('IssueEnded');
      expect(replay(issue.history)).toEqual(issue.state);
      expect(await t.runtime.listTasks({ issueId: outcome.issueId, status: 'any' })).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('opens a task, completes it, and the issue ends', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: S2 });
      const { issueId } = await t.runtime.startIssue({ appId });
      const [task] = await t.runtime.listTasks({ issueId });
      expect(task).toMatchObject({ id: `${issueId}:1`, node: 'review', name: 'Review', status: 'offered' });
      await t.runtime.completeTask({ taskId: task!.id, operator: 'ann' });
      const issue = await t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(replay(issue.history)).toEqual(issue.state);
      const [done] = await t.runtime.listTasks({ issueId, status: 'any' });
      expect(done).toMatchObject({ status: 'done', completedBy: 'ann' });
    } finally {
      await t.close();
    }
  });

  it('refuses unknown ids, a finished task and bad BPMN with clear errors, changing nothing', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: S2 });
      const { issueId } = await t.runtime.startIssue({ appId });
      const taskId = `${issueId}:1`;
      const before = await t.runtime.getIssue(issueId);

      const code = async (p: Promise<unknown>) => {
        const e = await p.then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(e).toBeInstanceOf(RuntimeError);
        const r = e as RuntimeError;
        return r.rejection ?? r.code;
      };
      expect(await code(t.runtime.completeTask({ taskId: 'nope:1', operator: 'x' }))).toBe('UNKNOWN_ISSUE');
      expect(await code(t.runtime.completeTask({ taskId: 'garbage', operator: 'x' }))).toBe('UNKNOWN_TASK');
      expect(await code(t.runtime.completeTask({ taskId: `${issueId}:9`, operator: 'x' }))).toBe(
        'UNKNOWN_SEQ',
      );
      expect(await code(t.runtime.startIssue({ appId: 'no-such-app' }))).toBe('UNKNOWN_APP');
      expect(await code(t.runtime.startIssue({ appId, issueId }))).toBe('ALREADY_STARTED');
      expect(await code(t.runtime.retryIncident(issueId, 7))).toBe('UNKNOWN_INCIDENT');
      expect(await code(t.runtime.getIssue('nope'))).toBe('UNKNOWN_ISSUE');

      const bad = await t.runtime.deploy({ bpmn: '<not-bpmn/>' }).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: 'COMPILE_FAILED' });
      const refused = await t.runtime
        .deploy({ bpmn: bpmn(`<bpmn:startEvent id="s"/><bpmn:callActivity id="c"/>${flows('s>c')}`) })
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'COMPILE_FAILED' });
      expect(JSON.stringify((refused as RuntimeError).details)).toContain('"c"');

      await t.runtime.completeTask({ taskId, operator: 'ann' });
      expect(await code(t.runtime.completeTask({ taskId, operator: 'bob' }))).toBe('ISSUE_NOT_ACTIVE');

      // The refusals before the completion left the issue as it was.
      const after = await t.runtime.getIssue(issueId);
      expect(after.history.slice(0, before.history.length)).toEqual(before.history);
      expect(after.version).toBe(before.version + 1);
      expect(await t.store.db.selectFrom('app').select('id').execute()).toHaveLength(1);
      expect(await t.store.db.selectFrom('issue').select('id').execute()).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
