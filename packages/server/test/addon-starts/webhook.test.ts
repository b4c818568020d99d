/**
 * Webhook start events through the HTTP API (a real SQLite store, the real add-on connector and
 * sandbox): the add-on's post() sees the body and headers, starts an issue with the data it set,
 * and its return value is the answer; bad input is refused with a clear 4xx.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../../../../scripts/shared-dir.js';
import { buildApp, type NagareApp } from '../../src/api/app.js';
import { AuthorizationSettings } from '../../src/authorization/index.js';
import { createOutboundFetch } from '../../src/outbound/outbound-fetch.js';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { addonConnectors, addonStartApp, importTestAddon, POLLING_ADDON, WEBHOOK_ADDON } from './support.js';

let dataDir = '';
let store: Store;
let runtime: Runtime;
let app: NagareApp;
let appId = '';
let keyedAppId = '';
let slackAppId = '';
const KEY = randomBytes(32).toString('base64');
const SIGNING_SECRET = 'slack-signing-secret';

const CONFIGS = { conf_Token: 'tok-1', conf_Text: 'q_text', conf_User: 'q_user' };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nagare-webhook-'));
  store = await openStore(resolveStoreConfig({ dataDir }));
  await migrateToLatest(store);
  const settings = new AuthorizationSettings({ db: store.db, secretKey: KEY, fetch: createOutboundFetch() });
  runtime = createRuntime(store, { connectors: addonConnectors(() => store, settings) });
  app = await buildApp({ store, workflow: { runtime, webhooks: false } });
  await importTestAddon(store, 'chat', WEBHOOK_ADDON);
  await importTestAddon(store, 'mail-received', POLLING_ADDON);
  appId = (await runtime.deploy({ bpmn: addonStartApp('chat', CONFIGS) })).appId;
  keyedAppId = (await runtime.deploy({ bpmn: addonStartApp('chat', CONFIGS, { attrs: ' key="k-42"' }) }))
    .appId;
  // the corpus Slack add-on, its Signing Secret in an authorization setting of the App
  const slack = join(
    sharedDir(),
    'addon-corpus',
    'questetra-addon-xml',
    'start_event',
    'slack-message-received.xml',
  );
  await importTestAddon(store, 'slack-message-received', readFileSync(slack, 'utf8'));
  slackAppId = (
    await runtime.deploy({
      bpmn: addonStartApp('slack-message-received', {
        conf_Secret: 'Slack',
        conf_Text: 'q_text',
        conf_UserId: 'q_user',
        conf_ChannelId: 'q_subject',
        conf_ThreadId: 'q_id',
      }),
    })
  ).appId;
  await settings.save('default', slackAppId, { kind: 'token', name: 'Slack', token: SIGNING_SECRET });
});
afterAll(async () => {
  await app.close();
  await runtime.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/api/messages/apps/${path}`,
    payload: body,
    headers: { 'content-type': 'application/json', 'x-chat-token': 'tok-1', ...headers },
  });
}

async function issueData(issueId: string) {
  return (await runtime.getIssue(issueId)).state.data as Record<string, unknown>;
}

async function issueCount(id = appId): Promise<number> {
  return (await store.db.selectFrom('issue').select('id').where('app_id', '=', id).execute()).length;
}

describe('webhook start events', () => {
  it("starts an issue with the data the add-on set and answers the add-on's reply", async () => {
    const res = await post(
      `${appId}/webhook/auto`,
      JSON.stringify({ type: 'message', text: 'Hello', user: 'U1' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toBe('{"ok":true}');
    const issueId = res.headers['nagare-issue-id'] as string;
    expect(issueId).toBeTruthy();
    expect(await issueData(issueId)).toEqual({ q_text: 'Hello', q_user: 'U1' });
    const issue = await runtime.getIssue(issueId);
    expect(issue.history?.[0]).toMatchObject({ type: 'IssueStarted', node: 'auto' });
  });

  it('answers without starting when the add-on does not ask for it', async () => {
    const before = await issueCount();
    const challenge = await post(
      `${appId}/webhook/auto`,
      JSON.stringify({ type: 'url_verification', challenge: 'c-9' }),
    );
    expect(challenge.statusCode).toBe(200);
    expect(challenge.headers['content-type']).toMatch(/^text\/plain/);
    expect(challenge.body).toBe('c-9');
    expect(challenge.headers['nagare-issue-id']).toBeUndefined();
    // headers reach the add-on (getFirst, any case): a wrong token is its 401
    const wrong = await post(`${appId}/webhook/auto`, JSON.stringify({ type: 'message', text: 'x' }), {
      'x-chat-token': 'nope',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toBe('');
    const other = await post(`${appId}/webhook/auto`, JSON.stringify({ type: 'reaction' }));
    expect(other.statusCode).toBe(202);
    expect(await issueCount()).toBe(before);
  });

  it('refuses unknown Apps and start events that are not webhooks (404)', async () => {
    const body = JSON.stringify({ type: 'message', text: 'x' });
    const unknownApp = await post('no-such-app/webhook/auto', body);
    expect(unknownApp.statusCode).toBe(404);
    expect(unknownApp.json().error.code).toBe('NAGARE_NOT_FOUND');
    const unknownNode = await post(`${appId}/webhook/nowhere`, body);
    expect(unknownNode.statusCode).toBe(404);
    expect(unknownNode.json().error.message).toMatch(/webhook start event/);
    const plainStart = await post(`${appId}/webhook/user`, body);
    expect(plainStart.statusCode).toBe(404);

    // a polling add-on on the start event: not a webhook
    const polling = await runtime.deploy({
      bpmn: addonStartApp('mail-received', {
        conf_Url: 'http://127.0.0.1:9/inbox',
        conf_idData: 'q_id',
      }),
    });
    const wrongType = await post(`${polling.appId}/webhook/auto`, body);
    expect(wrongType.statusCode).toBe(404);
    expect(wrongType.json().error).toMatchObject({
      code: 'NAGARE_NOT_FOUND',
      details: { code: 'ADDON_WRONG_TYPE' },
    });
    expect(wrongType.json().error.message).toMatch(/is a START_EVENT, not a webhook start event/);

    // an add-on the workspace does not have
    const missing = await runtime.deploy({ bpmn: addonStartApp('no-such-addon', CONFIGS) });
    const unknownAddon = await post(`${missing.appId}/webhook/auto`, body);
    expect(unknownAddon.statusCode).toBe(404);
    expect(unknownAddon.json().error.details).toEqual({ code: 'ADDON_UNKNOWN' });
  });

  it('a body the add-on cannot read is a 400 naming the script error; nothing starts', async () => {
    const before = await issueCount();
    const notJson = await post(`${appId}/webhook/auto`, 'this is not JSON', { 'content-type': 'text/plain' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toMatchObject({
      code: 'NAGARE_BAD_REQUEST',
      details: { code: 'SCRIPT_ERROR' },
    });
    expect(notJson.json().error.message).toMatch(/^The webhook's add-on failed on this request: SyntaxError/);
    const binary = await app.inject({
      method: 'POST',
      url: `/api/messages/apps/${appId}/webhook/auto`,
      payload: Buffer.from([0xff, 0xfe, 0x00, 0xc3]),
      headers: { 'content-type': 'application/octet-stream', 'x-chat-token': 'tok-1' },
    });
    expect(binary.statusCode).toBe(400);
    expect(binary.json().error.message).toBe('The body is not UTF-8 text');
    const tooLarge = await post(`${appId}/webhook/auto`, 'x'.repeat(1024 * 1024 + 1));
    expect(tooLarge.statusCode).toBe(413);
    expect(await issueCount()).toBe(before);
  });

  it("a start event's key must be given (403 without it)", async () => {
    const body = JSON.stringify({ type: 'message', text: 'keyed' });
    const none = await post(`${keyedAppId}/webhook/auto`, body);
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('NAGARE_FORBIDDEN');
    expect((await post(`${keyedAppId}/webhook/auto?key=wrong`, body)).statusCode).toBe(403);
    const ok = await post(`${keyedAppId}/webhook/auto?key=k-42`, body);
    expect(ok.statusCode).toBe(200);
    expect(await issueData(ok.headers['nagare-issue-id'] as string)).toEqual({
      q_text: 'keyed',
      q_user: null,
    });
    expect(await issueCount(keyedAppId)).toBe(1);
  });

  it('the corpus Slack add-on: a signed event starts an issue with the message; a bad signature is its 400', async () => {
    const send = (body: string, secret = SIGNING_SECRET) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      return post(`${slackAppId}/webhook/auto`, body, {
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature,
      });
    };
    const verification = await send(JSON.stringify({ type: 'url_verification', challenge: 'ch-1' }));
    expect(verification.statusCode).toBe(200);
    expect(verification.body).toBe('ch-1');
    const event = {
      type: 'event_callback',
      event: { type: 'message', channel: 'C1', user: 'U7', text: 'Please approve', ts: '1700000000.000100' },
    };
    const ok = await send(JSON.stringify(event));
    expect(ok.statusCode).toBe(200);
    expect(await issueData(ok.headers['nagare-issue-id'] as string)).toEqual({
      q_text: 'Please approve',
      q_user: 'U7',
      q_subject: 'C1',
      q_id: '1700000000.000100',
    });
    const forged = await send(JSON.stringify(event), 'not-the-secret');
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toBe('');
    expect(await issueCount(slackAppId)).toBe(1);
  });
});
