import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSecretBox } from '../../src/authorization/secret-box.js';
import { createOutboundFetch } from '../../src/outbound/outbound-fetch.js';
import { ManualClock } from '../../src/runtime/clock.js';
import { verify } from '../../src/webhooks/signature.js';
import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { createWebhook, deleteWebhook } from '../../src/webhooks/webhook-store.js';
import { describeEachDialect } from '../support/dialects.js';
import { openRuntime, S2, type TestRuntime } from '../support/runtime.js';

const box = createSecretBox(Buffer.alloc(32, 3).toString('base64'));

interface Received {
  event: string;
  delivery: string;
  body: string;
  signature: string | undefined;
}

let server: Server;
let url = '';
let received: Received[] = [];
/** Answers 500 to the first `failFirst` requests, then 200. */
let failFirst = 0;

beforeEach(async () => {
  received = [];
  failFirst = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        event: String(req.headers['nagare-event']),
        delivery: String(req.headers['nagare-delivery']),
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['nagare-signature'] as string | undefined,
      });
      res.statusCode = failFirst-- > 0 ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describeEachDialect('webhooks', ({ config }) => {
  let t: TestRuntime;
  beforeEach(async () => {
    // History is stamped by the runtime's clock; webhooks only get events after they were made.
    const clock = new ManualClock(new Date(Date.now() + 60_000).toISOString());
    t = await openRuntime(config(), { operators: () => ['u1'], clock });
    return () => t.close();
  });

  const dispatcher = () =>
    new WebhookDispatcher({
      store: t.store,
      secrets: box,
      fetch: createOutboundFetch({ allow: () => ['127.0.0.1/32'] }),
      backoff: { baseMs: 1, factor: 1, maxMs: 1 },
      maxAttempts: 3,
    });

  it('notifies start, steps and end once each, signed; a failed delivery is retried', async () => {
    const { appId } = await t.runtime.deploy({ bpmn: S2 });
    const { webhook, secret } = await createWebhook(t.store.db, box, {
      workspaceId: 'default',
      appId,
      url,
      events: ['issue.started', 'step.reached', 'issue.ended'],
    });
    const started = await t.runtime.startIssue({ appId, by: 'u1' });
    const [task] = await t.runtime.listTasks({ issueId: started.issueId });
    await t.runtime.completeTask({ taskId: task?.id ?? '', operator: 'u1' });
    failFirst = 1;
    const d = dispatcher();
    const first = await d.runOnce();
    expect(first.queued).toBe(3);
    // A second scan (or a second node) queues nothing again.
    expect(await d.scan()).toBe(0);
    await new Promise((r) => setTimeout(r, 10));
    await d.runOnce();
    const events = received.filter((r) => r.signature !== undefined);
    const delivered = new Map(events.map((r) => [r.delivery, r]));
    expect([...delivered.values()].map((r) => r.event).sort()).toEqual([
      'issue.ended',
      'issue.started',
      'step.reached',
    ]);
    expect(received).toHaveLength(4); // one refused with 500, then retried with the same delivery id
    for (const r of received) {
      expect(verify(secret, r.body, r.signature)).toBe(true);
      expect(verify('another secret', r.body, r.signature)).toBe(false);
      const body = JSON.parse(r.body);
      expect(body).toMatchObject({ issueId: started.issueId, appId, workspaceId: 'default', event: r.event });
    }
    const rows = await t.store.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('webhook_id', '=', webhook.id)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 1, 2]);
  });

  it('gives up after max attempts; a private address is refused unless allowed; deleting stops it', async () => {
    const { appId } = await t.runtime.deploy({ bpmn: S2 });
    const hook = await createWebhook(t.store.db, box, {
      workspaceId: 'default',
      appId,
      url,
      events: ['issue.started'],
    });
    await t.runtime.startIssue({ appId });
    failFirst = 100;
    const d = dispatcher();
    for (let i = 0; i < 4; i++) {
      await d.runOnce();
      await new Promise((r) => setTimeout(r, 5));
    }
    const [row] = await t.store.db.selectFrom('webhook_delivery').selectAll().execute();
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_status: 500 });

    // Without the allow-list entry, loopback is refused before any request is made.
    const strict = new WebhookDispatcher({
      store: t.store,
      secrets: box,
      backoff: { baseMs: 1, factor: 1, maxMs: 1 },
    });
    await t.runtime.startIssue({ appId });
    const count = received.length;
    await strict.runOnce();
    expect(received.length).toBe(count);
    const pending = await t.store.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('status', '=', 'pending')
      .execute();
    expect(pending[0]?.last_error).toMatch(/refused|private|loopback|not allowed/i);

    expect(await deleteWebhook(t.store.db, 'default', appId, hook.webhook.id)).toBe(true);
    expect(await t.store.db.selectFrom('webhook_delivery').selectAll().execute()).toEqual([]);
    expect(await deleteWebhook(t.store.db, 'other', appId, hook.webhook.id)).toBe(false);
  });

  it('reads a burst larger than a scan page through (pages keyed on the history position)', async () => {
    const { appId } = await t.runtime.deploy({ bpmn: S2 });
    await createWebhook(t.store.db, box, { workspaceId: 'default', appId, url, events: ['issue.started'] });
    for (let i = 0; i < 7; i++) await t.runtime.startIssue({ appId });
    const d = new WebhookDispatcher({
      store: t.store,
      secrets: box,
      fetch: createOutboundFetch({ allow: () => ['127.0.0.1/32'] }),
      scanLimit: 2,
    });
    expect(await d.scan()).toBe(7);
    expect(await d.scan()).toBe(0);
    expect((await d.deliver()).delivered).toBe(7);
    expect(new Set(received.map((r) => JSON.parse(r.body).issueId)).size).toBe(7);
  });
});
