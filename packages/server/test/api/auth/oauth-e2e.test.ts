import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

/**
 * The real OAuth 2.0 client library (openid-client 6) against a listening server: authorization
 * code with PKCE (through sign-in and the consent page, as a browser would), refresh with
 * rotation and reuse detection, client credentials, and the tokens used on the API.
 */
describe('OAuth 2.0 with openid-client against a running server', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  let base: string;
  let confidential: { id: string; secret: string };
  let publicClient: string;

  beforeAll(async () => {
    t = await buildTestApp();
    ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [{ key: 'admin', authorities: ['systemAdministrator'] }, { key: 'alice' }],
    });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const register = async (payload: object) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/system/oauth-clients',
        headers: ws.users.admin!.headers,
        payload,
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json();
    };
    const c = await register({ name: 'Report tool', type: 'confidential', redirectUris: [REDIRECT] });
    confidential = { id: c.client.id, secret: c.clientSecret };
    publicClient = (
      await register({ name: 'CLI', type: 'public', redirectUris: [REDIRECT], scopes: ['read'] })
    ).client.id;
  });
  afterAll(async () => {
    await t.close();
  });

  /** A browser: signs in with the form, opens the consent page, allows; returns the redirect it was sent to. */
  async function consent(authorizationUrl: URL, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
    const first = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toMatch(/^\/login\?next=/);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ws.users.alice!.email, password: ws.users.alice!.password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(authorizationUrl, { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Allow access?');
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields.set(m[1]!, m[2]!.replaceAll('&amp;', '&').replaceAll('&quot;', '"'));
    }
    fields.set('decision', decision);
    const post = await fetch(`${base}/oauth/authorize`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: fields,
      redirect: 'manual',
    });
    expect(post.status).toBe(302);
    return new URL(post.headers.get('location')!);
  }

  const api = (token: string, path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });

  it('publishes RFC 8414 metadata that openid-client discovers', async () => {
    const config = await oidc.discovery(new URL(base), confidential.id, confidential.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
      algorithm: 'oauth2',
    });
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(base);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.token_endpoint).toBe(`${base}/oauth/token`);
  });

  it('authorization code with PKCE, then refresh (rotated; reuse revokes the family)', async () => {
    const config = await oidc.discovery(new URL(base), confidential.id, confidential.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
      algorithm: 'oauth2',
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'any',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await consent(url);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(12 * 60 * 60);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope).toBe('any');

    const me = await api(tokens.access_token, '/api/system/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(ws.users.alice!.id);

    // The code is single use.
    await expect(
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await api(refreshed.access_token, '/api/system/me')).status).toBe(200);

    // Reusing the rotated refresh token: refused, and every token of the grant is revoked.
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await api(refreshed.access_token, '/api/system/me')).status).toBe(401);
    expect((await api(tokens.access_token, '/api/system/me')).status).toBe(401);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('a public client with PKCE and scope read: GET works, changes are refused', async () => {
    const config = await oidc.discovery(new URL(base), publicClient, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
      algorithm: 'oauth2',
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const tokens = await oidc.authorizationCodeGrant(config, await consent(url), {
      pkceCodeVerifier: verifier,
    });
    expect(tokens.scope).toBe('read');
    expect((await api(tokens.access_token, '/api/system/users')).status).toBe(200);
    const put = await api(tokens.access_token, '/api/system/me/api-password', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiPassword: 'whatever-long' }),
    });
    expect(put.status).toBe(403);
    expect(((await put.json()) as { error: { code: string } }).error.code).toBe('NAGARE_INSUFFICIENT_SCOPE');
    // A public client cannot use client credentials.
    await expect(oidc.clientCredentialsGrant(config, { scope: 'read' })).rejects.toMatchObject({
      error: 'unauthorized_client',
    });
  });

  it('deny at the consent page sends access_denied back', async () => {
    const config = await oidc.discovery(new URL(base), publicClient, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
      algorithm: 'oauth2',
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's1',
    });
    const back = await consent(url, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s1');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('client credentials: a token acting as the client’s user, no refresh token; wrong secret refused', async () => {
    const config = await oidc.discovery(new URL(base), confidential.id, confidential.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
      algorithm: 'oauth2',
    });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'read' });
    expect(tokens.refresh_token).toBeUndefined();
    const me = await api(tokens.access_token, '/api/system/me');
    expect(((await me.json()) as { id: string }).id).toBe(ws.users.admin!.id);

    const wrong = await oidc.discovery(new URL(base), confidential.id, 'not-the-secret', undefined, {
      execute: [oidc.allowInsecureRequests],
      algorithm: 'oauth2',
    });
    // 401 with a Basic challenge (RFC 6749 §5.2): openid-client reports the challenge.
    const refused = await oidc.clientCredentialsGrant(wrong, { scope: 'read' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    expect(refused).toMatchObject({ status: 401 });
    expect(await (refused as oidc.WWWAuthenticateChallengeError).response.json()).toMatchObject({
      error: 'invalid_client',
    });
  });

  it('tokens are stored only as hashes', async () => {
    const config = await oidc.discovery(new URL(base), confidential.id, confidential.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
      algorithm: 'oauth2',
    });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'any' });
    const rows = await t.store.db.selectFrom('oauth_token').select('token_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash === tokens.access_token)).toBe(false);
    const clients = await t.store.db.selectFrom('oauth_client').select('secret_hash').execute();
    expect(clients.some((c) => c.secret_hash === confidential.secret)).toBe(false);
  });
});
