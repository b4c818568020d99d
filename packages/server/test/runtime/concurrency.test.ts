import { replay } from '@nagare/engine';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { RuntimeError } from '../../src/runtime/errors.js';
import { describeEachDialect } from '../support/dialects.js';
import { bpmn, flows, openRuntime, parallelTasks, S1, S2, type TestRuntime } from '../support/runtime.js';

/** State, tasks, events and rows agree; replaying the history rebuilds the stored state. */
async function expectConsistent(t: TestRuntime, issueId: string): Promise<void> {
  const issue = await t.runtime.getIssue(issueId);
  expect(replay(issue.history)).toEqual(issue.state);
  const row = await t.store.db
    .selectFrom('issue')
    .select(['events', 'version'])
    .where('id', '=', issueId)
    .executeTakeFirst();
  expect(row?.events).toBe(issue.history.length);
  const open = await t.runtime.listTasks({ issueId });
  const waits = Object.values(issue.state.waits).filter((w) => w.kind === 'task');
  expect(open.map((task) => task.seq).sort()).toEqual(waits.map((w) => w.seq).sort());
}

describeEachDialect('runtime concurrency', ({ dialect, config }) => {
  it('group commit: concurrent commands share transactions, each answered after its commit', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: S1 });
      const before = t.runtime.stats.transactions;
      const outcomes = await Promise.all(Array.from({ length: 200 }, () => t.runtime.startIssue({ appId })));
      const transactions = t.runtime.stats.transactions - before;
      expect(transactions).toBeLessThan(20);
      // Every answered issue is committed: a fresh read sees all of them.
      const { n } = (await t.store.db
        .selectFrom('issue')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()) as { n: number };
      expect(Number(n)).toBe(200);
      expect(new Set(outcomes.map((o) => o.issueId)).size).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('a long queue with no transaction in flight goes out as two, so the store works on one while the next is decided', async () => {
    for (const [maxInFlight, expected] of [
      [4, 2],
      [1, 1],
    ] as const) {
      const t = await openRuntime(config(), { maxInFlight });
      try {
        const { appId } = await t.runtime.deploy({ bpmn: S1 });
        await t.runtime.startIssue({ appId }); // the released version is looked up and cached
        const before = t.runtime.stats.transactions;
        const outcomes = await Promise.all(Array.from({ length: 40 }, () => t.runtime.startIssue({ appId })));
        expect(t.runtime.stats.transactions - before).toBe(expected);
        expect(outcomes.every((o) => o.state.status === 'completed')).toBe(true);
      } finally {
        await t.close();
      }
    }
  });

  it('a refused command in a batch does not sink the others', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: S2 });
      const { issueId } = await t.runtime.startIssue({ appId });
      // In one tick: valid starts, a duplicate start (fails only at write time), a bad seq.
      const results = await Promise.allSettled([
        t.runtime.startIssue({ appId }),
        t.runtime.startIssue({ appId, issueId }),
        t.runtime.completeTask({ taskId: `${issueId}:5`, operator: 'x' }),
        t.runtime.startIssue({ appId }),
        t.runtime.completeTask({ taskId: `${issueId}:1`, operator: 'ann' }),
      ]);
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'rejected',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect(((results[1] as PromiseRejectedResult).reason as RuntimeError).rejection).toBe(
        'ALREADY_STARTED',
      );
      expect(((results[2] as PromiseRejectedResult).reason as RuntimeError).rejection).toBe('UNKNOWN_SEQ');
      expect((await t.runtime.getIssue(issueId)).status).toBe('completed');
      expect(await t.store.db.selectFrom('issue').select('id').execute()).toHaveLength(3);
      await expectConsistent(t, issueId);
    } finally {
      await t.close();
    }
  });

  it('atomicity: a write that fails rolls back the whole command (issue, events, tasks)', async () => {
    const t = await openRuntime(config());
    try {
      // A real database failure: a trigger refuses task rows for the step "boom".
      if (dialect === 'sqlite') {
        await sql`create trigger refuse_boom before insert on task when new.node = 'boom' begin select raise(abort, 'boom refused'); end`.execute(
          t.store.db,
        );
      } else {
        await sql`create function refuse_boom() returns trigger language plpgsql as $$ begin if new.node = 'boom' then raise exception 'boom refused'; end if; return new; end $$`.execute(
          t.store.db,
        );
        await sql`create trigger refuse_boom before insert on task for each row execute function refuse_boom()`.execute(
          t.store.db,
        );
      }
      const { appId } = await t.runtime.deploy({
        bpmn: bpmn(
          `<bpmn:startEvent id="s"/><bpmn:userTask id="boom"/><bpmn:endEvent id="e"/>${flows('s>boom', 'boom>e')}`,
        ),
      });
      const ok = await t.runtime.deploy({ bpmn: S1 });
      const [failed, fine] = await Promise.allSettled([
        t.runtime.startIssue({ appId, issueId: 'doomed' }),
        t.runtime.startIssue({ appId: ok.appId }),
      ]);
      expect(failed.status).toBe('rejected');
      expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE' });
      expect(fine.status).toBe('fulfilled');
      expect(await t.store.db.selectFrom('issue').select('id').where('id', '=', 'doomed').execute()).toEqual(
        [],
      );
      expect(
        await t.store.db.selectFrom('history').select('ordinal').where('issue_id', '=', 'doomed').execute(),
      ).toEqual([]);
      expect(await t.store.db.selectFrom('task').select('id').execute()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('8 callers completing the 8 tasks of one issue at once leave it consistent', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: parallelTasks(8) });
      const { issueId } = await t.runtime.startIssue({ appId });
      const tasks = await t.runtime.listTasks({ issueId });
      expect(tasks).toHaveLength(8);
      await Promise.all(
        tasks.map((task, i) => t.runtime.completeTask({ taskId: task.id, operator: `op${i}` })),
      );
      const issue = await t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(issue.history.filter((e) => e.type === 'TaskCompleted')).toHaveLength(8);
      await expectConsistent(t, issueId);
    } finally {
      await t.close();
    }
  });

  it.skipIf(dialect !== 'postgres')(
    '8 nodes (runtimes with their own pools) completing tasks of one issue at once: optimistic retries keep it consistent',
    async () => {
      const first = await openRuntime(config());
      const others = await Promise.all(
        Array.from({ length: 7 }, () => openRuntime(config(), { clock: first.clock })),
      );
      const nodes = [first, ...others];
      try {
        const { appId } = await first.runtime.deploy({ bpmn: parallelTasks(8) });
        for (let round = 0; round < 3; round++) {
          const { issueId } = await first.runtime.startIssue({ appId });
          const tasks = await first.runtime.listTasks({ issueId });
          const results = await Promise.allSettled(
            tasks.map((task, i) => nodes[i]!.runtime.completeTask({ taskId: task.id, operator: `op${i}` })),
          );
          expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
          const issue = await first.runtime.getIssue(issueId);
          expect(issue.status).toBe('completed');
          expect(issue.version).toBe(9);
          await expectConsistent(first, issueId);
        }
        const fallbacks = nodes.reduce((n, node) => n + node.runtime.stats.fallbacks, 0);
        expect(fallbacks).toBeGreaterThan(0);
      } finally {
        await Promise.all(nodes.map((node) => node.close()));
      }
    },
  );

  it('a team step (completion all): 8 members completing at once finish it exactly once', async () => {
    const members = Array.from({ length: 8 }, (_, i) => `m${i}`);
    const t = await openRuntime(config(), { operators: () => members });
    try {
      const { appId } = await t.runtime.deploy({
        bpmn: bpmn(
          `<bpmn:laneSet><bpmn:lane id="team"><bpmn:extensionElements><nagare:operators team="true" completion="all"/></bpmn:extensionElements>
            <bpmn:flowNodeRef>review</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
           <bpmn:startEvent id="s"/><bpmn:userTask id="review"/><bpmn:endEvent id="e"/>${flows('s>review', 'review>e')}`,
        ),
      });
      const { issueId } = await t.runtime.startIssue({ appId });
      const tasks = await t.runtime.listTasks({ issueId });
      expect(tasks.map((task) => task.assignee).sort()).toEqual(members);
      await Promise.all(
        tasks.map((task) => t.runtime.completeTask({ taskId: task.id, operator: task.assignee! })),
      );
      const issue = await t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(issue.history.filter((e) => e.type === 'TeamTaskCompleted')).toHaveLength(7);
      expect(issue.history.filter((e) => e.type === 'TaskCompleted')).toHaveLength(1);
      expect((await t.runtime.listTasks({ issueId, status: 'done' })).length).toBe(8);
      await expectConsistent(t, issueId);
    } finally {
      await t.close();
    }
  });
});
