import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, replay } from '@nagare/engine';
import { describe, expect, it } from 'vitest';
import { AppCache } from '../../src/runtime/app-cache.js';
import type { BatchOp, BatchProgram, BatchResult } from '../../src/runtime/batch-program.js';
import { ManualClock } from '../../src/runtime/clock.js';
import { CommandExecutor } from '../../src/runtime/command-executor.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { SqliteBatchRunner } from '../../src/store/sqlite/sqlite-batch.js';
import { parallelTasks, T0 } from '../support/runtime.js';

/** Runs the program, but before its first write (and its savepoint) lets "another node" commit a newer version of `issueId`. */
function interfere(program: BatchProgram, bump: () => void): BatchProgram {
  return (function* (): Generator<BatchOp, BatchResult, unknown> {
    let bumped = false;
    let step = program.next();
    while (!step.done) {
      if (step.value.op === 'savepoint' && !bumped) {
        bumped = true;
        bump();
      }
      step = program.next(yield step.value);
    }
    return step.value;
  })();
}

describe('optimistic conflicts (SQLite, a writer slipped in between load and write)', () => {
  it('the conflicting command reloads, decides again and commits; the rest of the batch is unharmed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nagare-conflict-'));
    const store = await openStore(resolveStoreConfig({ dataDir }));
    try {
      await migrateToLatest(store);
      const clock = new ManualClock(T0);
      const runtime = createRuntime(store, { clock });
      const { appId, versionId } = await runtime.deploy({ bpmn: parallelTasks(3) });
      const { issueId } = await runtime.startIssue({ appId });
      const other = await runtime.startIssue({ appId });
      if (store.native.dialect !== 'sqlite') throw new Error('sqlite expected');
      const database = store.native.database;
      const sqlite = new SqliteBatchRunner(database);
      const apps = new AppCache(store.db);
      apps.put(versionId, await compile(parallelTasks(3)));
      let transactions = 0;
      const executor = new CommandExecutor({
        runner: {
          run: (program) => {
            transactions += 1;
            return sqlite.run(
              interfere(program, () =>
                database.prepare('update issue set version = version + 1 where id = ?').run(issueId),
              ),
            );
          },
        },
        apps,
        clock,
        timeZone: 'UTC',
        defaultMaxAttempts: 5,
        operators: () => [],
        maxBatch: 100,
        maxInFlight: 1,
      });
      const [a, b] = await Promise.all([
        executor.submit({
          kind: 'command',
          issueId,
          command: { type: 'CompleteTask', seq: 1, operator: 'ann' },
          task: { id: `${issueId}:1`, team: false },
        }),
        executor.submit({
          kind: 'command',
          issueId: other.issueId,
          command: { type: 'CompleteTask', seq: 2, operator: 'bob' },
          task: { id: `${other.issueId}:2`, team: false },
        }),
      ]);
      expect(a.ok && b.ok).toBe(true);
      expect(transactions).toBe(1);
      expect(executor.stats.fallbacks).toBe(1);
      const issue = await runtime.getIssue(issueId);
      expect(issue.version).toBe(3); // 1 start, +1 the interfering writer, +1 the retried completion
      expect(replay(issue.history)).toEqual(issue.state);
      expect(issue.history.filter((e) => e.type === 'TaskCompleted')).toHaveLength(1);
      expect(
        (await runtime.getIssue(other.issueId)).history.filter((e) => e.type === 'TaskCompleted'),
      ).toHaveLength(1);
      await runtime.close();
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
