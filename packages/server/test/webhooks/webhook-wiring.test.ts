import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OutboundAllowList } from '../../src/outbound/allow-list-store.js';
import { verify } from '../../src/webhooks/signature.js';
import { buildWorkflowApp, REVIEW_BPMN, type WorkflowTestApp } from '../api/workflow/support.js';

let server: Server;
let url = '';
const received: { event: string; body: string; signature: string | undefined }[] = [];
let t: WorkflowTestApp;

beforeAll(async () => {
  process.env.NAGARE_SECRET_KEY ??= Buffer.alloc(32, 9).toString('base64');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        event: String(req.headers['nagare-event']),
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['nagare-signature'] as string | undefined,
      });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  t = await buildWorkflowApp(undefined, { webhooks: true });
  await t.app.ready();
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => server.close(resolve));
});

it('the app delivers webhooks by itself (its dispatcher runs with the app), through the allow-list', async () => {
  const alice = { ...(t.ws.users.alice?.headers ?? {}) };
  const appId = (
    await t.app.inject({ method: 'POST', url: '/api/apps', headers: alice, payload: { bpmn: REVIEW_BPMN } })
  ).json().appId;
  await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/versions/1/release`,
    headers: alice,
    payload: {},
  });
  // The workspace administrator opens loopback for this test's receiver.
  await new OutboundAllowList(t.store.db).add('default', '127.0.0.1/32');
  const hook = await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/webhooks`,
    headers: alice,
    payload: { url, events: ['issue.started'] },
  });
  const secret = hook.json().secret as string;
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/issues`,
    headers: alice,
    payload: { data: { title: 'Hooked' } },
  });
  const issueId = started.json().issueId as string;
  const deadline = Date.now() + 10_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(received).toHaveLength(1);
  expect(received[0]?.event).toBe('issue.started');
  expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ issueId, appId, event: 'issue.started' });
  expect(verify(secret, received[0]?.body ?? '', received[0]?.signature)).toBe(true);
});
