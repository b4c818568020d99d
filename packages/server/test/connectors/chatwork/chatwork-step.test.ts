import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthorizationSettings } from '../../../src/authorization/index.js';
import { chatworkConnector } from '../../../src/connectors/chatwork/connector.js';
import { createOutboundFetch } from '../../../src/outbound/index.js';
import { describeEachDialect } from '../../support/dialects.js';
import type { TestRuntime } from '../../support/runtime.js';
import { runStep, stepApp } from '../http/step-app.js';
import { startVendorServer, type VendorServer } from '../http/vendor-server.js';

const KEY = randomBytes(32).toString('base64');
const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
let chatwork: VendorServer;

beforeAll(async () => {
  // POST /v2/rooms/{room_id}/messages as documented: X-ChatWorkToken, form body "body"
  chatwork = await startVendorServer((req) => {
    const m = /^\/v2\/rooms\/(\d+)\/messages$/.exec(req.path);
    if (!m || req.method !== 'POST') return { status: 404, json: { errors: ['not found'] } };
    if (req.headers['x-chatworktoken'] !== 'cw-token')
      return { status: 401, json: { errors: ['Invalid API token'] } };
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded')
      return { status: 400, json: { errors: [] } };
    if (!new URLSearchParams(req.body.toString()).get('body'))
      return { status: 400, json: { errors: ['body'] } };
    return { status: 200, json: { message_id: '1234567890' } };
  });
});
afterAll(() => chatwork.close());

describeEachDialect('ChatWork step through the runtime', ({ config }) => {
  const items = { q_room: 'string', q_text: 'string', q_msg: 'string' };
  for (const kind of ['header', 'token'] as const) {
    it(`posts a message with X-ChatWorkToken (a ${kind} setting); saves the message id`, async () => {
      const run = await runStep(
        config(),
        'chatwork',
        (t: TestRuntime) =>
          chatworkConnector({
            fetch,
            baseUrl: chatwork.base,
            authorization: new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch }),
          }),
        stepApp(
          'chatwork',
          { auth: 'cw', roomId: '{{q_room}}', message: '[info]#{q_text}[/info]', messageIdItem: 'q_msg' },
          items,
        ),
        { q_room: '42', q_text: '承認されました' },
        async (t, appId) => {
          const settings = new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch });
          await settings.save(
            'default',
            appId,
            kind === 'header'
              ? { kind: 'header', name: 'cw', headerName: 'X-ChatWorkToken', value: 'cw-token' }
              : { kind: 'token', name: 'cw', token: 'cw-token' },
          );
        },
      );
      try {
        expect(run.incidents).toEqual([]);
        expect(run.data.q_msg).toBe('1234567890');
        const req = chatwork.requests.at(-1)!;
        expect(req.path).toBe('/v2/rooms/42/messages');
        expect(req.headers.authorization).toBeUndefined();
        expect(new URLSearchParams(req.body.toString()).get('body')).toBe('[info]承認されました[/info]');
      } finally {
        await run.t.close();
      }
    });
  }

  it('a room id that is not a number is refused before any call', async () => {
    const before = chatwork.requests.length;
    const run = await runStep(
      config(),
      'chatwork',
      (t) =>
        chatworkConnector({
          fetch,
          baseUrl: chatwork.base,
          authorization: new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch }),
        }),
      stepApp('chatwork', { auth: 'cw', roomId: '../admin', message: 'x' }, items),
      {},
    );
    try {
      expect(run.incidents[0]?.message).toMatch(/config "roomId" must be a number/);
      expect(chatwork.requests.length).toBe(before);
    } finally {
      await run.t.close();
    }
  });
});
