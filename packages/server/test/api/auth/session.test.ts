import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type NagareApp } from '../../../src/api/app.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

describe('sign-in: session cookie, CSRF, Basic, Bearer, rate limits', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  beforeEach(async () => {
    t = await buildTestApp();
    ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [{ key: 'admin', authorities: ['systemAdministrator'] }, { key: 'bob' }],
    });
  });
  afterEach(async () => {
    await t.close();
  });

  async function login(key = 'bob', headers: Record<string, string> = {}) {
    const u = ws.users[key]!;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers,
      payload: { email: u.email.toUpperCase(), password: u.password },
    });
    expect(r.statusCode, r.body).toBe(200);
    const cookie = r.cookies.find((c) => c.name === 'nagare_session')!;
    return {
      response: r,
      cookie,
      header: `nagare_session=${cookie.value}`,
      csrf: r.json().csrfToken as string,
    };
  }

  it('login sets an HttpOnly, SameSite=Lax cookie (Secure behind HTTPS) and never returns the password', async () => {
    const { response, cookie } = await login();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeUndefined();
    expect(response.body).not.toMatch(/password_hash|\$argon2|bob-password/);
    expect(response.json().user).toMatchObject({ id: ws.users.bob!.id, hasPassword: true });
    const behindTls = await login('bob', { 'x-forwarded-proto': 'https' });
    expect(behindTls.cookie.secure).toBe(true);
    // The session id is stored only as a hash.
    const rows = await t.store.db.selectFrom('auth_session').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(cookie.value);
  });

  it('the session is server-side: another node over the same store accepts it; logout ends it everywhere', async () => {
    const { header, csrf } = await login();
    const other = await buildApp({ store: t.store });
    try {
      const me = await other.inject({ url: '/api/auth/session', headers: { cookie: header } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({
        userId: ws.users.bob!.id,
        via: 'session',
        workspaceId: 'default',
        csrfToken: csrf,
      });
      const out = await t.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie: header, 'x-csrf-token': csrf },
      });
      expect(out.statusCode).toBe(204);
      expect(out.cookies.find((c) => c.name === 'nagare_session')?.value).toBe('');
      const after = await other.inject({ url: '/api/auth/session', headers: { cookie: header } });
      expect(after.statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('state-changing requests with a cookie session need the CSRF token', async () => {
    const { header, csrf } = await login();
    const put = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/system/me/api-password',
        headers: { cookie: header, ...headers },
        payload: { apiPassword: 'new-api-password' },
      });
    const none = await put({});
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('NAGARE_CSRF');
    const wrong = await put({ 'x-csrf-token': 'x'.repeat(43) });
    expect(wrong.json().error.code).toBe('NAGARE_CSRF');
    const right = await put({ 'x-csrf-token': csrf });
    expect(right.statusCode, right.body).toBe(200);
    // Reads need none; Basic needs none.
    expect((await t.app.inject({ url: '/api/system/me', headers: { cookie: header } })).statusCode).toBe(200);
  });

  it('wrong credentials: one message, 401, WWW-Authenticate; nothing is created', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ws.users.bob!.email, password: 'not-it' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toEqual({
      code: 'NAGARE_UNAUTHORIZED',
      message: 'Wrong e-mail, password or workspace',
    });
    const otherWorkspace = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ws.users.bob!.email, password: ws.users.bob!.password, workspace: 'nowhere' },
    });
    expect(otherWorkspace.json().error.message).toBe('Wrong e-mail, password or workspace');
    expect(await t.store.db.selectFrom('auth_session').selectAll().execute()).toEqual([]);

    const basic = (s: string) =>
      t.app.inject({
        url: '/api/system/me',
        headers: { authorization: `Basic ${Buffer.from(s).toString('base64')}` },
      });
    const wrongApi = await basic(`${ws.users.bob!.email}:${ws.users.bob!.password}`); // the sign-in password is not the API password
    expect(wrongApi.statusCode).toBe(401);
    expect(wrongApi.headers['www-authenticate']).toMatch(/^Basic realm="Nagare"/);
    expect((await basic('no-colon')).statusCode).toBe(401);
    const bearer = await t.app.inject({ url: '/api/system/me', headers: { authorization: 'Bearer nope' } });
    expect(bearer.statusCode).toBe(401);
    expect(bearer.headers['www-authenticate']).toContain('error="invalid_token"');
    const scheme = await t.app.inject({ url: '/api/system/me', headers: { authorization: 'Digest x' } });
    expect(scheme.json().error.code).toBe('NAGARE_UNAUTHORIZED');
  });

  it('a suspended user cannot sign in nor use Basic', async () => {
    await t.store.db
      .updateTable('workspace_user')
      .set({ active: 0 })
      .where('id', '=', ws.users.bob!.id)
      .execute();
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ws.users.bob!.email, password: ws.users.bob!.password },
    });
    expect(r.statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/system/me', headers: ws.users.bob!.headers })).statusCode).toBe(
      401,
    );
  });

  it('HTTP Basic can be turned off per workspace (by a system administrator)', async () => {
    const off = await t.app.inject({
      method: 'PUT',
      url: '/api/system/auth-settings',
      headers: ws.users.admin!.headers,
      payload: { basicAuth: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    const refused = await t.app.inject({ url: '/api/system/me', headers: ws.users.bob!.headers });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toBe('HTTP Basic: turned off in workspace "default"');
    // Still reachable by session, and the admin turns it back on that way.
    const { header, csrf } = await login('admin');
    const on = await t.app.inject({
      method: 'PUT',
      url: '/api/system/auth-settings',
      headers: { cookie: header, 'x-csrf-token': csrf },
      payload: { basicAuth: true },
    });
    expect(on.json()).toEqual({ basicAuth: true });
    expect((await t.app.inject({ url: '/api/system/me', headers: ws.users.bob!.headers })).statusCode).toBe(
      200,
    );
  });

  it('the HTML sign-in page redirects only to same-site paths', async () => {
    const page = await t.app.inject({ url: '/login?next=/oauth/authorize%3Fa%3D1' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="next" value="/oauth/authorize?a=1"');
    const post = (next: string) =>
      t.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          email: ws.users.bob!.email,
          password: ws.users.bob!.password,
          next,
        }).toString(),
      });
    expect((await post('/somewhere')).headers.location).toBe('/somewhere');
    expect((await post('//evil.example/x')).headers.location).toBe('/');
    expect((await post('https://evil.example/')).headers.location).toBe('/');
  });
});

describe('rate limits per user and per client', () => {
  let t: TestApp;
  let limited: NagareApp | undefined;
  afterEach(async () => {
    await limited?.close();
    await t?.close();
  });
  /** The test app's store, served by an app with a low limit. */
  async function withLimit(max: number): Promise<TestApp> {
    const base = await buildTestApp();
    limited = await buildApp({ store: base.store, auth: { rateLimit: { max, timeWindowMs: 60_000 } } });
    return { app: limited, store: base.store, close: () => base.close() };
  }

  it('429 in the error format once a user is over the limit; other users are not affected', async () => {
    t = await withLimit(3);
    const ws = await seedWorkspace(t.store, { workspaceId: 'default', users: [{ key: 'a' }, { key: 'b' }] });
    const get = (key: string) => t.app.inject({ url: '/api/system/me', headers: ws.users[key]!.headers });
    for (let i = 0; i < 3; i++) expect((await get('a')).statusCode).toBe(200);
    const over = await get('a');
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('NAGARE_RATE_LIMITED');
    expect(over.headers['retry-after']).toBeDefined();
    expect((await get('b')).statusCode).toBe(200);
    // Anonymous requests (health checks) are not counted against anyone.
    for (let i = 0; i < 5; i++) expect((await t.app.inject('/api/health')).statusCode).toBe(200);
  });

  it('sign-in is limited per address: the 11th attempt in a minute is a 429', async () => {
    t = await buildTestApp();
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'x@example.com', password: 'guess' },
      });
    for (let i = 0; i < 10; i++) expect((await attempt()).statusCode).toBe(401);
    const over = await attempt();
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('NAGARE_RATE_LIMITED');
  });

  it('the token endpoint is limited per client', async () => {
    t = await withLimit(2);
    const ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [{ key: 'admin', authorities: ['systemAdministrator'] }],
    });
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/system/oauth-clients',
      headers: ws.users.admin!.headers,
      payload: { name: 'c', type: 'confidential', redirectUris: ['https://app.example/cb'] },
    });
    const { client, clientSecret } = reg.json();
    const token = () =>
      t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: clientSecret,
        }).toString(),
      });
    expect((await token()).statusCode).toBe(200);
    expect((await token()).statusCode).toBe(200);
    const over = await token();
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code, over.body).toBe('NAGARE_RATE_LIMITED');
  });
});
