import { describe, expect, it } from 'vitest';
import { IssueCache } from '../../src/runtime/issue-cache.js';
import { describeEachDialect } from '../support/dialects.js';
import { bpmn, flows, openRuntime } from '../support/runtime.js';

/** start → first → second → end: two user tasks in a row. */
const TWO_TASKS = bpmn(
  `<bpmn:startEvent id="start"/><bpmn:userTask id="first"/><bpmn:userTask id="second"/><bpmn:endEvent id="end"/>
   ${flows('start>first', 'first>second', 'second>end')}`,
);

describe('IssueCache', () => {
  const issue = (id: string, status = 'active') =>
    ({
      id,
      workspaceId: 'w',
      appId: 'a',
      appVersionId: 'v',
      state: { status } as never,
      version: 1,
      events: 1,
    }) as const;

  it('keeps at most its size, dropping the oldest first, and never an ended issue', () => {
    const cache = new IssueCache(2);
    cache.put(issue('a'));
    cache.put(issue('b'));
    cache.put(issue('a')); // a is now the newest
    cache.put(issue('c'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.id).toBe('a');
    expect(cache.get('c')?.id).toBe('c');
    cache.put(issue('c', 'completed'));
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describeEachDialect('issue cache with two nodes on one store', ({ config }) => {
  async function twoNodes() {
    const a = await openRuntime(config());
    // A second node: its own store connection and runtime (its own cache) on the same database.
    const b = await openRuntime(config(), { clock: a.clock });
    const { appId } = await a.runtime.deploy({ bpmn: TWO_TASKS });
    const { issueId } = await a.runtime.startIssue({ appId }); // cached on node a, waiting at `first`
    const [first] = await b.runtime.listTasks({ issueId });
    await b.runtime.completeTask({ taskId: first!.id, operator: 'ann' }); // node b moves it on
    return { a, b, issueId, first: first! };
  }

  it('a command the cached state would refuse is decided on the stored issue', async () => {
    const { a, b, issueId } = await twoNodes();
    try {
      // Node a's cached state knows no `second` task: it must not refuse on that state.
      const [second] = await a.runtime.listTasks({ issueId });
      expect(second!.node).toBe('second');
      const done = await a.runtime.completeTask({ taskId: second!.id, operator: 'bob' });
      expect(done.state.status).toBe('completed');
      const view = await b.runtime.getIssue(issueId);
      expect(view.status).toBe('completed');
      expect(view.version).toBe(3);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('a command the cached state would accept is refused when the stored issue has moved on', async () => {
    const { a, b, issueId, first } = await twoNodes();
    try {
      await expect(a.runtime.completeTask({ taskId: first.id, operator: 'ann' })).rejects.toThrow();
      const view = await b.runtime.getIssue(issueId);
      expect(view.version).toBe(2);
      expect(Object.values(view.state.waits).map((w) => w.node)).toEqual(['second']);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
