import { expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector.js';
import type { WorkerEvent } from '../../src/runtime/worker.js';
import { ControlledConnector } from '../support/controlled-connector.js';
import { describeEachDialect } from '../support/dialects.js';
import { automated, bpmn, flows, openRuntime } from '../support/runtime.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describeEachDialect('runtime jobs', ({ config }) => {
  it('runs a job through its connector with the idempotency key, then moves on', async () => {
    const connector = new ControlledConnector();
    connector.outcome = () => ({ ok: true, data: { status: 201 } });
    const t = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    try {
      const { appId } = await t.runtime.deploy({ bpmn: automated('test') });
      const { issueId } = await t.runtime.startIssue({ appId });
      const job = await t.store.db.selectFrom('job').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({
        issue_id: issueId,
        seq: 1,
        kind: 'job',
        attempts: 0,
        idempotency_key: `${issueId}:1`,
      });
      expect(await t.runtime.createWorker().runOnce()).toEqual({ jobs: 1, timerStarts: 0 });
      expect(connector.runs.map((r) => r.idempotencyKey)).toEqual([`${issueId}:1`]);
      const issue = await t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(issue.state.data).toMatchObject({ status: 201 });
      expect(await t.store.db.selectFrom('job').selectAll().execute()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('two workers never run the same job; each job runs once', async () => {
    const connector = new ControlledConnector();
    const t = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    try {
      const { appId } = await t.runtime.deploy({ bpmn: automated('test') });
      await Promise.all(Array.from({ length: 30 }, () => t.runtime.startIssue({ appId })));
      const a = t.runtime.createWorker({ id: 'a', batchSize: 10 });
      const b = t.runtime.createWorker({ id: 'b', batchSize: 10 });
      let total = 0;
      for (;;) {
        const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
        total += x.jobs + y.jobs;
        if (x.jobs + y.jobs === 0) break;
      }
      expect(total).toBe(30);
      const keys = connector.runs.map((r) => r.idempotencyKey);
      expect(new Set(keys).size).toBe(30);
      expect(
        await t.store.db.selectFrom('issue').select('id').where('status', '!=', 'completed').execute(),
      ).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('an expired lease is claimed again; the worker that lost it cannot commit', async () => {
    const connector = new ControlledConnector();
    const t = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    const events: WorkerEvent[] = [];
    try {
      const { appId } = await t.runtime.deploy({ bpmn: automated('test') });
      const { issueId } = await t.runtime.startIssue({ appId });
      const gates = [deferred<void>(), deferred<void>()];
      connector.outcome = async (job) => {
        await gates[job.attempt - 1]!.promise;
        return { ok: true, data: { status: job.attempt } };
      };
      const a = t.runtime.createWorker({ id: 'a', leaseMs: 1_000, onEvent: (e) => events.push(e) });
      const b = t.runtime.createWorker({ id: 'b', leaseMs: 1_000 });
      const aRun = a.runOnce();
      while (connector.running < 1) await new Promise((r) => setTimeout(r, 5));
      // While a's lease holds, b finds nothing; once it ran out, b takes the job.
      expect((await b.runOnce()).jobs).toBe(0);
      t.clock.advance(1_001);
      const bRun = b.runOnce();
      while (connector.running < 2) await new Promise((r) => setTimeout(r, 5));
      // a finishes first, but its lease is gone: its result is refused and changes nothing.
      gates[0]!.resolve();
      await aRun;
      expect(events.find((e) => e.type === 'job:refused')).toMatchObject({ code: 'LEASE_LOST' });
      expect((await t.runtime.getIssue(issueId)).status).toBe('active');
      gates[1]!.resolve();
      expect((await bRun).jobs).toBe(1);
      const issue = await t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(issue.state.data).toMatchObject({ status: 2 });
      expect(issue.history.filter((e) => e.type === 'JobSucceeded')).toHaveLength(1);
      expect(connector.runs.map((r) => r.idempotencyKey)).toEqual([`${issueId}:1`, `${issueId}:1`]);
    } finally {
      await t.close();
    }
  });

  it('retries with exponential back-off, then an incident an administrator can retry', async () => {
    const connector = new ControlledConnector();
    connector.outcome = () => ({
      ok: false,
      error: { code: 'DOWN', message: 'service down' },
      retryable: true,
    });
    const t = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    try {
      const { appId } = await t.runtime.deploy({ bpmn: automated('test', {}, 3) });
      const { issueId } = await t.runtime.startIssue({ appId });
      const worker = t.runtime.createWorker({ random: () => 0.5 });
      const job = () => t.store.db.selectFrom('job').selectAll().executeTakeFirstOrThrow();

      await worker.runOnce();
      expect(await job()).toMatchObject({
        attempts: 1,
        locked_by: null,
        last_error: 'DOWN: service down',
        run_at: new Date(t.clock.now() + 1_000).toISOString(),
      });
      expect((await worker.runOnce()).jobs).toBe(0); // not due yet
      t.clock.advance(1_000);
      await worker.runOnce();
      expect(await job()).toMatchObject({
        attempts: 2,
        run_at: new Date(t.clock.now() + 2_000).toISOString(),
      });
      t.clock.advance(2_000);
      await worker.runOnce();
      expect(await t.store.db.selectFrom('job').selectAll().execute()).toEqual([]);
      const [incident] = await t.runtime.listIncidents();
      expect(incident).toMatchObject({ issueId, node: 'call', code: 'JOB_FAILED', status: 'open' });
      expect(connector.runs).toHaveLength(3);

      // The administrator retries after the service is back.
      connector.outcome = () => ({ ok: true });
      await t.runtime.retryIncident(issueId, incident!.seq);
      expect(await t.runtime.listIncidents()).toEqual([]);
      expect(await t.runtime.listIncidents({ status: 'resolved' })).toHaveLength(1);
      await worker.runOnce();
      expect((await t.runtime.getIssue(issueId)).status).toBe('completed');
      expect(connector.runs.at(-1)?.idempotencyKey).not.toBe(`${issueId}:1`); // a new job, a new seq
    } finally {
      await t.close();
    }
  });

  it('a failure that is not retryable, or a type no connector runs, is an incident at once', async () => {
    const connector = new ControlledConnector();
    connector.outcome = () => ({ ok: false, error: { message: 'bad request' }, retryable: false });
    const t = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    try {
      const a = await t.runtime.deploy({ bpmn: automated('test', {}, 5) });
      const b = await t.runtime.deploy({ bpmn: automated('unknown-type') });
      await t.runtime.startIssue({ appId: a.appId });
      await t.runtime.startIssue({ appId: b.appId });
      await t.runtime.createWorker().runOnce();
      const incidents = await t.runtime.listIncidents();
      expect(incidents.map((i) => i.code)).toEqual(['JOB_FAILED', 'JOB_FAILED']);
      expect(incidents.map((i) => i.message).join(' ')).toContain('unknown-type');
      expect(connector.runs).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('timers fire exactly once, also when they fell due during downtime', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({
        bpmn: bpmn(
          `<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>${flows('s>wait', 'wait>e')}`,
        ),
      });
      const { issueId } = await t.runtime.startIssue({ appId });
      const [timer] = await t.store.db.selectFrom('job').selectAll().execute();
      expect(timer).toMatchObject({
        kind: 'timer',
        run_at: new Date(t.clock.now() + 3_600_000).toISOString(),
      });
      const a = t.runtime.createWorker();
      const b = t.runtime.createWorker();
      expect((await a.runOnce()).jobs).toBe(0);
      t.clock.advance(5 * 3_600_000); // down for five hours
      const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(x.jobs + y.jobs).toBe(1);
      expect((await a.runOnce()).jobs).toBe(0);
      const issue = await t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(issue.history.filter((e) => e.type === 'TimerFired')).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('cancelling an issue removes its jobs and closes its tasks', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({
        bpmn: bpmn(
          `<bpmn:startEvent id="s"/><bpmn:parallelGateway id="p"/><bpmn:userTask id="u"/>
           <bpmn:intermediateCatchEvent id="w"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
           <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>${flows('s>p', 'p>u', 'p>w', 'u>e1', 'w>e2')}`,
        ),
      });
      const { issueId } = await t.runtime.startIssue({ appId });
      expect(await t.store.db.selectFrom('job').select('seq').execute()).toHaveLength(1);
      await t.runtime.cancelIssue(issueId, { reason: 'test' });
      expect(await t.store.db.selectFrom('job').select('seq').execute()).toEqual([]);
      expect(await t.runtime.listTasks({ issueId, status: 'cancelled' })).toHaveLength(1);
      expect((await t.runtime.getIssue(issueId)).status).toBe('cancelled');
    } finally {
      await t.close();
    }
  });

  it('a started worker picks up new jobs at once (woken by the commit) and stops gracefully', async () => {
    const connector = new ControlledConnector();
    const t = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    try {
      const { appId } = await t.runtime.deploy({ bpmn: automated('test') });
      const worker = t.runtime.createWorker({ pollMs: 60_000 });
      worker.start();
      const { issueId } = await t.runtime.startIssue({ appId });
      for (let i = 0; i < 500 && (await t.runtime.getIssue(issueId)).status !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await t.runtime.getIssue(issueId)).status).toBe('completed');
      await worker.stop();
    } finally {
      await t.close();
    }
  });
});

describeEachDialect('runtime jobs: a backlog', ({ config }) => {
  it('a worker with little room drains a backlog as fast as jobs finish, not one claim per poll', async () => {
    const connector = new ControlledConnector();
    connector.outcome = () => ({ ok: true, data: { status: 200 } });
    const t = await openRuntime(config(), { connectors: createConnectorRegistry([connector]) });
    // started before any worker runs: 12 due jobs in the table, none handed out eagerly
    const { appId } = await t.runtime.deploy({ bpmn: automated('test') });
    await Promise.all(Array.from({ length: 12 }, () => t.runtime.startIssue({ appId })));
    const done = deferred<void>();
    let succeeded = 0;
    const worker = t.runtime.createWorker({
      concurrency: 2,
      batchSize: 2,
      pollMs: 60_000, // a claim per poll would take 6 minutes
      onEvent: (e) => {
        if (e.type === 'job:success' && ++succeeded === 12) done.resolve();
      },
    });
    try {
      worker.start();
      await done.promise;
      expect(worker.stats.claimed).toBe(12);
      expect(await t.store.db.selectFrom('job').selectAll().execute()).toEqual([]);
    } finally {
      await worker.stop();
      await t.close();
    }
  });
});
