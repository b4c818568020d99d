import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthorizationSettings } from '../../../src/authorization/index.js';
import { slackConnector } from '../../../src/connectors/slack/connector.js';
import { createOutboundFetch } from '../../../src/outbound/index.js';
import { describeEachDialect } from '../../support/dialects.js';
import type { TestRuntime } from '../../support/runtime.js';
import { runStep, stepApp } from '../http/step-app.js';
import { startVendorServer, type VendorServer } from '../http/vendor-server.js';

const KEY = randomBytes(32).toString('base64');
const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
let slack: VendorServer;

beforeAll(async () => {
  // chat.postMessage as documented: Bearer token, JSON body; errors as 200 with ok: false
  slack = await startVendorServer((req) => {
    if (req.path !== '/api/chat.postMessage' || req.method !== 'POST') return { status: 404, json: {} };
    if (req.headers.authorization !== 'Bearer xoxb-test')
      return { status: 200, json: { ok: false, error: 'invalid_auth' } };
    if (!req.headers['content-type']?.startsWith('application/json'))
      return { status: 200, json: { ok: false, error: 'invalid_form_data' } };
    const body = JSON.parse(req.body.toString()) as { channel?: string; text?: string };
    if (body.channel !== 'C123') return { status: 200, json: { ok: false, error: 'channel_not_found' } };
    if (!body.text) return { status: 200, json: { ok: false, error: 'no_text' } };
    return { status: 200, json: { ok: true, channel: 'C123', ts: '1700000000.000100' } };
  });
});
afterAll(() => slack.close());

describeEachDialect('Slack step through the runtime', ({ config }) => {
  const make = (t: TestRuntime) =>
    slackConnector({
      fetch,
      baseUrl: slack.base,
      authorization: new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch }),
    });
  const saveToken = (t: TestRuntime, appId: string) =>
    new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch })
      .save('default', appId, { kind: 'token', name: 'slack', token: 'xoxb-test' })
      .then(() => undefined);
  const items = { q_channel: 'string', q_title: 'string', q_ts: 'string' };

  it('posts with a bearer token and the data items in the text; saves ts', async () => {
    const run = await runStep(
      config(),
      'slack',
      make,
      stepApp(
        'slack',
        { auth: 'slack', channel: '#{q_channel}', text: '新しい申請: {{q_title}}', tsItem: 'q_ts' },
        items,
      ),
      { q_channel: 'C123', q_title: '出張申請' },
      saveToken,
    );
    try {
      expect(run.incidents).toEqual([]);
      expect(run.data.q_ts).toBe('1700000000.000100');
      expect(JSON.parse(slack.requests.at(-1)!.body.toString())).toEqual({
        channel: 'C123',
        text: '新しい申請: 出張申請',
      });
    } finally {
      await run.t.close();
    }
  });

  it("an ok:false answer fails with Slack's error code", async () => {
    const run = await runStep(
      config(),
      'slack',
      make,
      stepApp('slack', { auth: 'slack', channel: 'C999', text: 'x' }, items),
      {},
      saveToken,
    );
    try {
      expect(run.incidents[0]?.message).toMatch(
        /SLACK_CHANNEL_NOT_FOUND: Slack chat.postMessage: channel_not_found/,
      );
      const missing = await runStep(
        config(),
        'slack',
        make,
        stepApp('slack', { auth: 'slack', text: 'x' }, items),
        {},
        saveToken,
      );
      expect(missing.incidents[0]?.message).toMatch(/BAD_CONFIG: config "channel" is required/);
      await missing.t.close();
    } finally {
      await run.t.close();
    }
  });
});
