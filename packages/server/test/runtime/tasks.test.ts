import { expect, it } from 'vitest';
import { ProcessLog } from '../../src/process-log/process-log.js';
import type { RuntimeError } from '../../src/runtime/errors.js';
import { describeEachDialect } from '../support/dialects.js';
import { openRuntime, S2 } from '../support/runtime.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as RuntimeError).code;
  }
  return 'resolved';
}

describeEachDialect('task allocation', ({ config }) => {
  /** S2 with every task offered to ann and bob. */
  async function offered() {
    const t = await openRuntime(config(), { operators: () => ['ann', 'bob'] });
    const { appId } = await t.runtime.deploy({ bpmn: S2 });
    return { t, appId };
  }

  it('an offered task: a candidate accepts it, others cannot; the assignee declines it back', async () => {
    const { t, appId } = await offered();
    try {
      const { issueId } = await t.runtime.startIssue({ appId });
      const [task] = await t.runtime.listTasks({ issueId });
      expect(task).toMatchObject({ status: 'offered', assignee: null, candidates: ['ann', 'bob'] });
      expect(await code(t.runtime.acceptTask({ taskId: task!.id, userId: 'cy' }))).toBe('NOT_YOUR_TASK');
      expect(await t.runtime.acceptTask({ taskId: task!.id, userId: 'ann' })).toMatchObject({
        status: 'allocated',
        assignee: 'ann',
      });
      expect(await code(t.runtime.acceptTask({ taskId: task!.id, userId: 'bob' }))).toBe('TASK_NOT_OPEN');
      expect(await code(t.runtime.declineTask({ taskId: task!.id, userId: 'bob' }))).toBe('NOT_YOUR_TASK');
      expect(await t.runtime.declineTask({ taskId: task!.id, userId: 'ann' })).toMatchObject({
        status: 'offered',
        assignee: null,
      });
      expect(await code(t.runtime.acceptTask({ taskId: 'nope:1', userId: 'ann' }))).toBe('UNKNOWN_TASK');
    } finally {
      await t.close();
    }
  });

  it('only the assignee, or a candidate while it is offered, completes a task; a refusal changes nothing', async () => {
    const { t, appId } = await offered();
    try {
      const { issueId } = await t.runtime.startIssue({ appId });
      const [task] = await t.runtime.listTasks({ issueId });
      expect(await code(t.runtime.completeTask({ taskId: task!.id, operator: 'cy' }))).toBe('NOT_YOUR_TASK');
      await t.runtime.acceptTask({ taskId: task!.id, userId: 'bob' });
      expect(await code(t.runtime.completeTask({ taskId: task!.id, operator: 'ann' }))).toBe('NOT_YOUR_TASK');
      const before = await t.runtime.getIssue(issueId);
      expect(before.version).toBe(1);
      expect(before.status).toBe('active');
      const done = await t.runtime.completeTask({ taskId: task!.id, operator: 'bob' });
      expect(done.state.status).toBe('completed');

      // A candidate may complete an offered task straight away (it is theirs from then on).
      const second = await t.runtime.startIssue({ appId });
      const [open] = await t.runtime.listTasks({ issueId: second.issueId });
      await t.runtime.completeTask({ taskId: open!.id, operator: 'ann' });
      const [closed] = await t.runtime.listTasks({ issueId: second.issueId, status: 'any' });
      expect(closed).toMatchObject({ status: 'done', completedBy: 'ann' });
    } finally {
      await t.close();
    }
  });

  it('every move is appended to the allocation history, and the process log shows who held the task when', async () => {
    const { t, appId } = await offered();
    try {
      const { issueId } = await t.runtime.startIssue({ appId });
      const [task] = await t.runtime.listTasks({ issueId });
      t.clock.advance(1_000);
      await t.runtime.acceptTask({ taskId: task!.id, userId: 'ann' });
      t.clock.advance(1_000);
      await t.runtime.declineTask({ taskId: task!.id, userId: 'ann' });
      t.clock.advance(1_000);
      await t.runtime.reassignTask({ taskId: task!.id, to: 'dan', by: 'boss' });
      t.clock.advance(1_000);
      // A refused move writes nothing.
      await t.runtime.acceptTask({ taskId: task!.id, userId: 'bob' }).catch(() => {});
      const moves = await t.store.db
        .selectFrom('task_event')
        .select(['kind', 'by', 'previous', 'assignee'])
        .where('task_id', '=', task!.id)
        .orderBy('at')
        .execute();
      expect(moves).toEqual([
        { kind: 'accepted', by: 'ann', previous: null, assignee: 'ann' },
        { kind: 'declined', by: 'ann', previous: 'ann', assignee: null },
        { kind: 'reassigned', by: 'boss', previous: null, assignee: 'dan' },
      ]);
      await t.runtime.completeTask({ taskId: task!.id, operator: 'dan' });
      const { entries } = await new ProcessLog(t.store).query('default', { issueId });
      expect(
        entries
          .filter((e) => e.kind.startsWith('task-'))
          .map((e) => `${e.kind} ${e.actor ?? '-'} ${e.detail ?? ''}`.trim()),
      ).toEqual([
        'task-opened -',
        'task-allocated - candidates: ann, bob',
        'task-accepted ann to ann',
        'task-declined ann',
        'task-reassigned boss to dan',
        'task-completed dan',
      ]);
    } finally {
      await t.close();
    }
  });

  it('reassign gives an open task to anyone; bulk accept reports each task', async () => {
    const { t, appId } = await offered();
    try {
      const a = await t.runtime.startIssue({ appId });
      const b = await t.runtime.startIssue({ appId });
      const [ta] = await t.runtime.listTasks({ issueId: a.issueId });
      const [tb] = await t.runtime.listTasks({ issueId: b.issueId });
      expect(await t.runtime.reassignTask({ taskId: ta!.id, to: 'dan' })).toMatchObject({
        status: 'allocated',
        assignee: 'dan',
      });
      const results = await t.runtime.acceptTasks({ taskIds: [ta!.id, tb!.id, 'x:1'], userId: 'bob' });
      expect(results.map((r) => (r.ok ? r.task.assignee : r.error.code))).toEqual([
        'TASK_NOT_OPEN',
        'bob',
        'UNKNOWN_TASK',
      ]);
      await t.runtime.completeTask({ taskId: ta!.id, operator: 'dan' });
      expect(await code(t.runtime.reassignTask({ taskId: ta!.id, to: 'eve' }))).toBe('TASK_NOT_OPEN');
      expect(await code(t.runtime.reassignTask({ taskId: tb!.id, to: ' ' }))).toBe('BAD_INPUT');
    } finally {
      await t.close();
    }
  });

  it('my tasks, offered to me, stars and read marks per user, cursor pages', async () => {
    const { t, appId } = await offered();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        t.clock.advance(1_000);
        ids.push((await t.runtime.startIssue({ appId })).issueId);
      }
      const tasks = await t.runtime.listTasks({});
      await t.runtime.acceptTask({ taskId: tasks[0]!.id, userId: 'ann' });
      await t.runtime.acceptTask({ taskId: tasks[1]!.id, userId: 'bob' });
      await t.runtime.setTaskFlags({ taskId: tasks[2]!.id, userId: 'ann', starred: true });
      await t.runtime.setTaskFlags({ taskId: tasks[2]!.id, userId: 'ann', read: true });

      const mine = await t.runtime.listTasks({ userId: 'ann', view: 'mine' });
      expect(mine.map((x) => x.id)).toEqual([tasks[0]!.id]);
      const offeredToAnn = await t.runtime.listTasks({ userId: 'ann', view: 'offered' });
      expect(offeredToAnn.map((x) => x.id)).toEqual(tasks.slice(2).map((x) => x.id));
      expect(await t.runtime.listTasks({ userId: 'cy', view: 'offered' })).toEqual([]);

      const starred = await t.runtime.listTasks({ userId: 'ann', starred: true });
      expect(starred).toHaveLength(1);
      expect(starred[0]).toMatchObject({ id: tasks[2]!.id, starred: true, read: true });
      const asBob = await t.runtime.getTask(tasks[2]!.id, { userId: 'bob' });
      expect(asBob).toMatchObject({ starred: false, read: false });

      const first = await t.runtime.taskPage({ limit: 2 });
      expect(first.tasks.map((x) => x.id)).toEqual(tasks.slice(0, 2).map((x) => x.id));
      const second = await t.runtime.taskPage({ limit: 2, cursor: first.nextCursor! });
      expect(second.tasks.map((x) => x.id)).toEqual(tasks.slice(2, 4).map((x) => x.id));
      const last = await t.runtime.taskPage({ limit: 2, cursor: second.nextCursor! });
      expect(last.tasks.map((x) => x.id)).toEqual([tasks[4]!.id]);
      expect(last.nextCursor).toBeUndefined();
      expect(await code(t.runtime.taskPage({ cursor: 'not-a-cursor' }))).toBe('BAD_INPUT');
      expect(await code(t.runtime.taskPage({ view: 'mine' }))).toBe('BAD_INPUT');
      expect(await code(t.runtime.setTaskFlags({ taskId: 'x:1', userId: 'ann', starred: true }))).toBe(
        'UNKNOWN_TASK',
      );
    } finally {
      await t.close();
    }
  });

  it('a workspace sees none of another workspace: apps, issues, tasks', async () => {
    const t = await openRuntime(config());
    try {
      await t.store.db
        .insertInto('workspace')
        .values({ id: 'other', name: 'Other', time_zone: 'UTC', created_at: new Date().toISOString() })
        .execute();
      const { appId, versionId } = await t.runtime.deploy({ bpmn: S2, workspaceId: 'other' });
      const { issueId } = await t.runtime.startIssue({ appId, workspaceId: 'other' });
      const [task] = await t.runtime.listTasks({ workspaceId: 'other', issueId });
      expect(task).toBeDefined();

      expect(await code(t.runtime.startIssue({ appId }))).toBe('UNKNOWN_APP');
      expect(await code(t.runtime.startIssue({ versionId }))).toBe('UNKNOWN_VERSION');
      expect(await code(t.runtime.release(versionId))).toBe('UNKNOWN_VERSION');
      expect(await code(t.runtime.listVersions(appId))).toBe('UNKNOWN_APP');
      expect(await t.runtime.listApps()).toEqual([]);
      expect(await code(t.runtime.getIssue(issueId, { workspaceId: 'default' }))).toBe('UNKNOWN_ISSUE');
      expect(await t.runtime.listTasks({ issueId })).toEqual([]);
      expect(await code(t.runtime.getTask(task!.id))).toBe('UNKNOWN_TASK');
      expect(await code(t.runtime.acceptTask({ taskId: task!.id, userId: 'ann' }))).toBe('UNKNOWN_TASK');
      expect(await code(t.runtime.completeTask({ taskId: task!.id, operator: 'ann' }))).toBe('UNKNOWN_ISSUE');
      expect(await code(t.runtime.cancelIssue(issueId, { workspaceId: 'default' }))).toBe('UNKNOWN_ISSUE');
      expect((await t.runtime.getIssue(issueId)).version).toBe(1);

      const versions = await t.runtime.listVersions(appId, { workspaceId: 'other' });
      expect(versions).toMatchObject([{ id: versionId, version: 1, status: 'released' }]);
      await t.runtime.completeTask({ taskId: task!.id, operator: 'ann', workspaceId: 'other' });
      expect((await t.runtime.getIssue(issueId)).status).toBe('completed');
    } finally {
      await t.close();
    }
  });
});
