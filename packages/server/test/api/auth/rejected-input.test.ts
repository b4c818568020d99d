import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

const REDIRECT = 'https://cb.example/cb';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The sign-in and OAuth routes refuse bad input with a clear error, and never a 500. */
describe('auth routes: rejected input', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  let client: { id: string; secret: string };
  let cookie: string;
  let csrf: string;

  beforeAll(async () => {
    t = await buildTestApp();
    ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [{ key: 'admin', authorities: ['systemAdministrator'] }],
    });
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/system/oauth-clients',
      headers: ws.users.admin!.headers,
      payload: { name: 'C', type: 'confidential', redirectUris: [REDIRECT], scopes: ['read'] },
    });
    client = { id: reg.json().client.id, secret: reg.json().clientSecret };
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ws.users.admin!.email, password: ws.users.admin!.password },
    });
    cookie = `nagare_session=${login.cookies.find((c) => c.name === 'nagare_session')!.value}`;
    csrf = login.json().csrfToken;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('login, logout, session', () => {
    it.each([
      [{ email: 'a@b.example' }, /body\.password/],
      [{ email: 5, password: 'x' }, /body\.email/],
      [{ email: 'a@b.example', password: 'x', remember: true }, /body\.remember/],
      [{ email: '', password: 'x' }, /body\.email/],
    ])('POST /api/auth/login %j → 400', async (payload, field) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('NAGARE_INVALID_REQUEST');
      expect(r.json().error.message).toMatch(field);
    });
    it('POST /api/auth/login with a text body: 400 naming the body', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'text/plain' },
        payload: 'x',
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toMatch(/^Invalid request: body/);
    });
    it('logout and session without a session: 401', async () => {
      const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout' });
      expect(out.statusCode).toBe(401);
      const s = await t.app.inject({
        url: '/api/auth/session',
        headers: { cookie: 'nagare_session=forged' },
      });
      expect(s.statusCode).toBe(401);
    });
    it('logout without the CSRF token: 403, and the session lives on', async () => {
      const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      expect(out.json().error.code).toBe('NAGARE_CSRF');
      expect((await t.app.inject({ url: '/api/auth/session', headers: { cookie } })).statusCode).toBe(200);
    });
    it('POST /login form without e-mail: 400', async () => {
      const r = await t.app.inject({ method: 'POST', url: '/login', headers: FORM, payload: 'password=x' });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toMatch(/body\.email/);
    });
  });

  describe('GET /oauth/authorize', () => {
    const authorize = (params: Record<string, string>, withSession = true) =>
      t.app.inject({
        url: `/oauth/authorize?${new URLSearchParams(params)}`,
        headers: withSession ? { cookie } : {},
      });
    const good = () => ({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: REDIRECT,
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      state: 'st',
    });

    it('answers the consent page for a good request', async () => {
      const r = await authorize(good());
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
    });
    it.each([
      ['no client_id', { client_id: undefined }, /client_id is missing/],
      ['an unknown client_id', { client_id: 'nope' }, /Unknown client_id "nope"/],
      ['no redirect_uri', { redirect_uri: undefined }, /redirect_uri/],
      [
        'a redirect_uri that only starts like a registered one',
        { redirect_uri: `${REDIRECT}/../evil` },
        /redirect_uri/,
      ],
      ['a redirect_uri with extra query', { redirect_uri: `${REDIRECT}?x=1` }, /redirect_uri/],
    ])('%s: 400, no redirect', async (_name, change, message) => {
      const params: Record<string, string> = { ...good() };
      for (const [k, v] of Object.entries(change)) {
        if (v === undefined) delete params[k];
        else params[k] = v;
      }
      const r = await authorize(params);
      expect(r.statusCode).toBe(400);
      expect(r.headers.location).toBeUndefined();
      expect(r.json().error.message).toMatch(message);
    });
    it.each([
      ['response_type token', { response_type: 'token' }, 'unsupported_response_type'],
      ['no PKCE', { code_challenge: undefined }, 'invalid_request'],
      ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['a short challenge', { code_challenge: 'abc' }, 'invalid_request'],
      ['a scope the client may not have', { scope: 'any' }, 'invalid_scope'],
      ['an unknown scope', { scope: 'write' }, 'invalid_scope'],
    ])('%s: redirected back with the error and the state', async (_name, change, error) => {
      const params: Record<string, string> = { ...good() };
      for (const [k, v] of Object.entries(change)) {
        if (v === undefined) delete params[k];
        else params[k] = v;
      }
      const r = await authorize(params);
      expect(r.statusCode).toBe(302);
      const back = new URL(r.headers.location as string);
      expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
      expect(back.searchParams.get('error')).toBe(error);
      expect(back.searchParams.get('state')).toBe('st');
      expect(back.searchParams.get('code')).toBeNull();
    });
    it('not signed in: to the sign-in page, then back', async () => {
      const r = await authorize(good(), false);
      expect(r.statusCode).toBe(302);
      const to = new URL(r.headers.location as string, 'http://x');
      expect(to.pathname).toBe('/login');
      expect(to.searchParams.get('next')).toMatch(/^\/oauth\/authorize\?/);
    });
    it('POST without a session: 401; without CSRF: 403; bad decision: 400; no code is made', async () => {
      const body = new URLSearchParams({ ...good(), decision: 'allow' }).toString();
      const anonymous = await t.app.inject({
        method: 'POST',
        url: '/oauth/authorize',
        headers: FORM,
        payload: body,
      });
      expect(anonymous.statusCode).toBe(401);
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/oauth/authorize',
        headers: { ...FORM, cookie },
        payload: body,
      });
      expect(noCsrf.json().error.code).toBe('NAGARE_CSRF');
      const maybe = await t.app.inject({
        method: 'POST',
        url: '/oauth/authorize',
        headers: { ...FORM, cookie },
        payload: new URLSearchParams({ ...good(), decision: 'maybe', csrf }).toString(),
      });
      expect(maybe.statusCode).toBe(400);
      expect(maybe.json().error.message).toMatch(/body\.decision/);
      expect(await t.store.db.selectFrom('oauth_code').selectAll().execute()).toEqual([]);
    });
  });

  describe('POST /oauth/token and /oauth/revoke', () => {
    const token = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...FORM, ...headers },
        payload: new URLSearchParams(fields).toString(),
      });
    const auth = () => ({ client_id: client.id, client_secret: client.secret });

    it.each([
      ['no grant_type', {}, 400, 'invalid_request'],
      ['an unknown grant_type', { grant_type: 'password' }, 400, 'unsupported_grant_type'],
      ['authorization_code without code', { grant_type: 'authorization_code' }, 400, 'invalid_request'],
      [
        'an unknown code',
        {
          grant_type: 'authorization_code',
          code: 'x',
          code_verifier: 'v'.repeat(43),
          redirect_uri: REDIRECT,
        },
        400,
        'invalid_grant',
      ],
      [
        'a code without verifier',
        { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT },
        400,
        'invalid_request',
      ],
      [
        'an unknown refresh token',
        { grant_type: 'refresh_token', refresh_token: 'nope' },
        400,
        'invalid_grant',
      ],
      ['refresh_token without the token', { grant_type: 'refresh_token' }, 400, 'invalid_request'],
      [
        'client_credentials with a scope it may not have',
        { grant_type: 'client_credentials', scope: 'any' },
        400,
        'invalid_scope',
      ],
    ])('%s → %i %s', async (_name, fields, status, error) => {
      const r = await token({ ...auth(), ...fields });
      expect(r.statusCode).toBe(status);
      expect(r.json().error).toBe(error);
      expect(r.headers['cache-control']).toBe('no-store');
    });
    it('client authentication: none, unknown, wrong secret, malformed Basic → 401 invalid_client', async () => {
      for (const r of [
        await token({ grant_type: 'client_credentials' }),
        await token({ grant_type: 'client_credentials', client_id: 'nope', client_secret: 'x' }),
        await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: 'wrong' }),
        await token(
          { grant_type: 'client_credentials' },
          { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` },
        ),
      ]) {
        expect(r.statusCode).toBe(401);
        expect(r.json().error).toBe('invalid_client');
      }
    });
    it('a repeated field is invalid_request, not a crash', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: FORM,
        payload: `grant_type=client_credentials&grant_type=password&client_id=${client.id}&client_secret=${client.secret}`,
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toBe('invalid_request');
    });
    it('JSON is not accepted by the token endpoint', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', ...auth() },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toEqual({
        error: 'invalid_request',
        error_description: 'Send the parameters as application/x-www-form-urlencoded',
      });
    });
    it('revoke: no token → invalid_request; no client → invalid_client; an unknown token is fine (RFC 7009)', async () => {
      const revoke = (fields: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/oauth/revoke',
          headers: FORM,
          payload: new URLSearchParams(fields).toString(),
        });
      expect((await revoke(auth())).json().error).toBe('invalid_request');
      expect((await revoke({ token: 'x' })).json().error).toBe('invalid_client');
      expect((await revoke({ ...auth(), token: 'unknown' })).statusCode).toBe(200);
    });
    it('revoking a client-credentials token ends it', async () => {
      const issued = (await token({ grant_type: 'client_credentials', ...auth() })).json();
      const me = () =>
        t.app.inject({ url: '/api/system/me', headers: { authorization: `Bearer ${issued.access_token}` } });
      expect((await me()).statusCode).toBe(200);
      await t.app.inject({
        method: 'POST',
        url: '/oauth/revoke',
        headers: FORM,
        payload: new URLSearchParams({ ...auth(), token: issued.access_token }).toString(),
      });
      expect((await me()).statusCode).toBe(401);
    });
  });
});
