import { expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector.js';
import type { WorkerEvent } from '../../src/runtime/worker.js';
import { ControlledConnector } from '../support/controlled-connector.js';
import { describeEachDialect } from '../support/dialects.js';
import { automated, openRuntime } from '../support/runtime.js';

describeEachDialect('eager dispatch', ({ config }) => {
  async function run(eager: boolean) {
    const connector = new ControlledConnector();
    connector.outcome = () => ({ ok: true, data: { status: 200 } });
    const t = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    const ended: string[] = [];
    const worker = t.runtime.createWorker({
      eager,
      onEvent: (e: WorkerEvent) => {
        if (e.type === 'job:success' && e.outcome?.state.status === 'completed') ended.push(e.job.issue_id);
      },
    });
    try {
      worker.start();
      const { appId } = await t.runtime.deploy({ bpmn: automated('test') });
      const started = await Promise.all(Array.from({ length: 20 }, () => t.runtime.startIssue({ appId })));
      for (let i = 0; i < 200 && ended.length < 20; i++) await new Promise((r) => setTimeout(r, 25));
      expect(ended.sort()).toEqual(started.map((s) => s.issueId).sort());
      expect(connector.runs.map((r) => r.attempt)).toEqual(Array(20).fill(1));
      expect(await t.store.db.selectFrom('job').selectAll().execute()).toEqual([]);
      return { ...worker.stats };
    } finally {
      await t.close();
    }
  }

  it('a job due now goes straight from its commit to the local worker, with no claim', async () => {
    expect(await run(true)).toEqual({ claimed: 0, eager: 20 });
  });

  it('without it (eager: false) the same jobs are claimed', async () => {
    expect(await run(false)).toEqual({ claimed: 20, eager: 0 });
  });
});
