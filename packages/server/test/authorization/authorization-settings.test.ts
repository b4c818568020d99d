import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthorizationSettings } from '../../src/authorization/index.js';
import { createOutboundFetch } from '../../src/outbound/index.js';
import { describeEachDialect } from '../support/dialects.js';
import { openRuntime, S2, type TestRuntime } from '../support/runtime.js';
import { type OAuthServer, startOAuthServer } from './oauth-server.js';

const KEY = randomBytes(32).toString('base64');
const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
let oauth: OAuthServer;

beforeAll(async () => {
  oauth = await startOAuthServer();
});
afterAll(() => oauth.close());

describeEachDialect('authorization settings', ({ config }) => {
  async function setup(now = { t: Date.parse('2026-01-05T09:00:00Z') }, key: string | undefined = KEY) {
    const t: TestRuntime = await openRuntime(config());
    const { appId } = await t.runtime.deploy({ bpmn: S2 });
    const settings = new AuthorizationSettings({ db: t.store.db, secretKey: key, fetch, now: () => now.t });
    return { t, appId, settings, now };
  }

  it('fixed token, Basic and custom header: headers made, secrets sealed at rest and never shown', async () => {
    const { t, appId, settings } = await setup();
    try {
      await settings.save('default', appId, { kind: 'token', name: 'stripe', token: 'sk_test_SECRET1' });
      await settings.save('default', appId, {
        kind: 'basic',
        name: 'b',
        username: 'ann',
        password: 'pw SECRET2',
      });
      await settings.save('default', appId, {
        kind: 'header',
        name: 'kintone',
        headerName: 'X-Cybozu-API-Token',
        value: 'SECRET3',
      });
      expect(await settings.headersFor('default', appId, 'stripe')).toEqual({
        authorization: 'Bearer sk_test_SECRET1',
      });
      expect(await settings.headersFor('default', appId, 'b')).toEqual({
        authorization: `Basic ${Buffer.from('ann:pw SECRET2').toString('base64')}`,
      });
      expect(await settings.headersFor('default', appId, 'kintone')).toEqual({
        'X-Cybozu-API-Token': 'SECRET3',
      });
      const views = await settings.list('default', appId);
      expect(views.map((v) => [v.name, v.kind])).toEqual([
        ['b', 'basic'],
        ['kintone', 'header'],
        ['stripe', 'token'],
      ]);
      const rows = await t.store.db.selectFrom('authorization_setting').selectAll().execute();
      expect(JSON.stringify(rows)).not.toMatch(/SECRET/);
      expect(JSON.stringify(views)).not.toMatch(/SECRET/);
      // another workspace sees nothing
      await expect(settings.headersFor('other', appId, 'stripe')).rejects.toMatchObject({
        code: 'UNKNOWN_SETTING',
      });
      expect(await settings.list('other', appId)).toEqual([]);
      expect(await settings.remove('default', appId, 'b')).toBe(true);
      await expect(settings.headersFor('default', appId, 'b')).rejects.toMatchObject({
        code: 'UNKNOWN_SETTING',
      });
    } finally {
      await t.close();
    }
  });

  it('refuses to store secrets without NAGARE_SECRET_KEY, and bad input, naming the field; stores nothing', async () => {
    const { t, appId, settings } = await setup(undefined, '');
    try {
      await expect(
        settings.save('default', appId, { kind: 'token', name: 'x', token: 't' }),
      ).rejects.toMatchObject({
        code: 'NO_SECRET_KEY',
        message: expect.stringMatching(/NAGARE_SECRET_KEY is not set/),
      });
      const ok = new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch });
      const bad: [unknown, RegExp][] = [
        [null, /must be an object/],
        [{ kind: 'magic', name: 'x' }, /"kind" must be one of/],
        [{ kind: 'token', name: '' }, /"name" is required/],
        [{ kind: 'token', name: 'x' }, /"token" is required/],
        [{ kind: 'token', name: 'x', token: 'a\r\nInjected: 1' }, /line breaks/],
        [{ kind: 'basic', name: 'x', username: 'a:b', password: 'p' }, /"username" must not contain ":"/],
        [{ kind: 'header', name: 'x', headerName: 'Bad Header', value: 'v' }, /not a header name/],
        [{ kind: 'header', name: 'x', headerName: 'Host', value: 'v' }, /may not be Host/],
        [
          {
            kind: 'oauth2',
            name: 'x',
            authorizeUrl: 'ftp://a',
            tokenUrl: 'http://a',
            clientId: 'c',
            redirectUri: 'http://r',
          },
          /"authorizeUrl" must be http or https/,
        ],
        [
          { kind: 'oauth2ClientCredentials', name: 'x', tokenUrl: 'http://a', clientId: 'c' },
          /"clientSecret" is required/,
        ],
      ];
      for (const [input, message] of bad) {
        await expect(ok.save('default', appId, input), JSON.stringify(input)).rejects.toMatchObject({
          code: 'BAD_INPUT',
          message: expect.stringMatching(message),
        });
      }
      await expect(
        ok.save('default', 'no-such-app', { kind: 'token', name: 'x', token: 't' }),
      ).rejects.toMatchObject({
        code: 'BAD_INPUT',
      });
      expect(await t.store.db.selectFrom('authorization_setting').selectAll().execute()).toEqual([]);
      // a ciphertext does not open under another key
      await ok.save('default', appId, { kind: 'token', name: 'x', token: 't' });
      const other = new AuthorizationSettings({
        db: t.store.db,
        secretKey: randomBytes(32).toString('hex'),
        fetch,
      });
      await expect(other.headersFor('default', appId, 'x')).rejects.toMatchObject({ code: 'NO_SECRET_KEY' });
      expect(() => new AuthorizationSettings({ db: t.store.db, secretKey: 'c2hvcnQ=', fetch })).not.toThrow();
      const short = new AuthorizationSettings({ db: t.store.db, secretKey: 'c2hvcnQ=', fetch });
      await expect(
        short.save('default', appId, { kind: 'token', name: 'y', token: 't' }),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/must be 32 bytes/),
      });
    } finally {
      await t.close();
    }
  });

  it('OAuth 2.0 authorization code: PKCE, state once, refresh when about to expire, rotation kept', async () => {
    const { t, appId, settings, now } = await setup();
    try {
      await settings.save('default', appId, {
        kind: 'oauth2',
        name: 'drive',
        authorizeUrl: `${oauth.base}/authorize`,
        tokenUrl: `${oauth.base}/token`,
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        scope: 'files',
        redirectUri: 'https://nagare.example/oauth2/callback',
      });
      await expect(settings.headersFor('default', appId, 'drive')).rejects.toMatchObject({
        code: 'NOT_CONNECTED',
      });
      const { url, state } = await settings.beginAuthorization('default', appId, 'drive');
      const params = new URL(url).searchParams;
      expect(params.get('code_challenge_method')).toBe('S256');
      expect(params.get('state')).toBe(state);
      expect(params.get('scope')).toBe('files');
      // the "browser": the provider consents and redirects back with the code
      const consent = await globalThis.fetch(url, { redirect: 'manual' });
      const back = new URL(consent.headers.get('location')!);
      expect(back.searchParams.get('state')).toBe(state);
      const code = back.searchParams.get('code')!;
      const view = await settings.completeAuthorization({ state, code });
      expect(view).toMatchObject({ connected: true, name: 'drive' });
      // state is single use
      await expect(settings.completeAuthorization({ state, code })).rejects.toMatchObject({
        code: 'UNKNOWN_STATE',
      });
      const first = await settings.headersFor('default', appId, 'drive');
      const token1 = first.authorization!.replace('Bearer ', '');
      expect(oauth.valid.has(token1)).toBe(true);
      // still fresh: the same token, no call
      const grantsBefore = oauth.grants.length;
      const refreshesBefore = oauth.grants.filter((g) => g === 'refresh_token').length;
      expect(await settings.headersFor('default', appId, 'drive')).toEqual(first);
      expect(oauth.grants.length).toBe(grantsBefore);
      // 30 s before expiry (within the margin): refreshed, and the rotated refresh token kept
      now.t += (3600 - 30) * 1000;
      const second = await settings.headersFor('default', appId, 'drive');
      expect(second).not.toEqual(first);
      expect(oauth.grants.at(-1)).toBe('refresh_token');
      now.t += 3600 * 1000;
      const third = await settings.headersFor('default', appId, 'drive');
      expect(third).not.toEqual(second); // the second refresh used the rotated token: the old one is refused
      expect(oauth.grants.filter((g) => g === 'refresh_token')).toHaveLength(refreshesBefore + 2);
      const rows = await t.store.db.selectFrom('authorization_setting').selectAll().execute();
      expect(JSON.stringify(rows)).not.toMatch(/at-\d|rt-\d|shh/);
    } finally {
      await t.close();
    }
  });

  it('two nodes refreshing a rotating token at once both end with a valid token', async () => {
    const { t, appId, settings, now } = await setup();
    try {
      await settings.save('default', appId, {
        kind: 'oauth2',
        name: 'r',
        authorizeUrl: `${oauth.base}/authorize`,
        tokenUrl: `${oauth.base}/token`,
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        redirectUri: 'https://nagare.example/oauth2/callback',
      });
      const { url, state } = await settings.beginAuthorization('default', appId, 'r');
      const code = new URL(
        (await globalThis.fetch(url, { redirect: 'manual' })).headers.get('location')!,
      ).searchParams.get('code')!;
      await settings.completeAuthorization({ state, code });
      const other = new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch, now: () => now.t });
      now.t += 3600 * 1000;
      const [a, b] = await Promise.all([
        settings.headersFor('default', appId, 'r'),
        other.headersFor('default', appId, 'r'),
      ]);
      expect(oauth.valid.has(a.authorization!.slice(7))).toBe(true);
      expect(oauth.valid.has(b.authorization!.slice(7))).toBe(true);
      // and the stored refresh token still works afterwards
      now.t += 3600 * 1000;
      const c = await settings.headersFor('default', appId, 'r');
      expect(oauth.valid.has(c.authorization!.slice(7))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('a wrong PKCE verifier, a provider error and an expired state are refused', async () => {
    const { t, appId, settings, now } = await setup();
    try {
      await settings.save('default', appId, {
        kind: 'oauth2',
        name: 'o',
        authorizeUrl: `${oauth.base}/authorize`,
        tokenUrl: `${oauth.base}/token`,
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        redirectUri: 'https://nagare.example/oauth2/callback',
      });
      // a code obtained for another authorization (another challenge): PKCE fails at the provider
      const a = await settings.beginAuthorization('default', appId, 'o');
      const b = await settings.beginAuthorization('default', appId, 'o');
      const codeA = new URL(
        (await globalThis.fetch(a.url, { redirect: 'manual' })).headers.get('location')!,
      ).searchParams.get('code')!;
      await expect(settings.completeAuthorization({ state: b.state, code: codeA })).rejects.toMatchObject({
        code: 'OAUTH_FAILED',
        message: expect.stringMatching(/PKCE/),
      });
      const c = await settings.beginAuthorization('default', appId, 'o');
      await expect(
        settings.completeAuthorization({ state: c.state, error: 'access_denied', errorDescription: 'no' }),
      ).rejects.toMatchObject({ code: 'OAUTH_FAILED', message: expect.stringMatching(/access_denied/) });
      const d = await settings.beginAuthorization('default', appId, 'o');
      now.t += 11 * 60_000;
      await expect(settings.completeAuthorization({ state: d.state, code: 'x' })).rejects.toMatchObject({
        code: 'UNKNOWN_STATE',
      });
      await expect(settings.completeAuthorization({})).rejects.toMatchObject({ code: 'UNKNOWN_STATE' });
      expect((await settings.get('default', appId, 'o'))?.connected).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('OAuth 2.0 client credentials: a token fetched when needed, again when expiring', async () => {
    const { t, appId, settings, now } = await setup();
    try {
      await settings.save('default', appId, {
        kind: 'oauth2ClientCredentials',
        name: 'cc',
        tokenUrl: `${oauth.base}/token`,
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
      });
      const h1 = await settings.headersFor('default', appId, 'cc');
      expect(oauth.grants.at(-1)).toBe('client_credentials');
      expect(await settings.headersFor('default', appId, 'cc')).toEqual(h1);
      now.t += 3600 * 1000;
      const h2 = await settings.headersFor('default', appId, 'cc');
      expect(h2).not.toEqual(h1);
      expect(oauth.valid.has(h2.authorization!.slice(7))).toBe(true);
      // a wrong client secret: a clear, non-retryable failure
      await settings.save('default', appId, {
        kind: 'oauth2ClientCredentials',
        name: 'cc',
        tokenUrl: `${oauth.base}/token`,
        clientId: oauth.clientId,
        clientSecret: 'wrong',
      });
      await expect(settings.headersFor('default', appId, 'cc')).rejects.toMatchObject({
        code: 'OAUTH_FAILED',
        retryable: false,
        message: expect.stringMatching(/401 \(invalid_client\)/),
      });
    } finally {
      await t.close();
    }
  });
});
