import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findClient } from '../../../src/api/auth/oauth-clients.js';
import { createCode } from '../../../src/api/auth/oauth-grants.js';
import { createOrganization } from '../../../src/identity/organizations.js';
import { createRole } from '../../../src/identity/roles.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

/**
 * Two workspaces, each with users (the same e-mail in both), an organization, a role, an OAuth
 * client, a session and tokens: no id, credential or token of one ever resolves in the other.
 */
describe('workspace isolation', () => {
  let t: TestApp;
  const ws: Record<'a' | 'b', SeededWorkspace> = {} as never;
  const made: Record<
    'a' | 'b',
    {
      org: string;
      role: string;
      client: string;
      secret: string;
      cookie: string;
      token: string;
      refresh: string;
    }
  > = {} as never;

  beforeAll(async () => {
    t = await buildTestApp();
    for (const key of ['a', 'b'] as const) {
      ws[key] = await seedWorkspace(t.store, {
        workspaceId: `ws-${key}`,
        users: [
          { key: 'admin', authorities: ['systemAdministrator'] },
          // The same person's address in both workspaces, with different passwords.
          {
            key: 'same',
            email: 'same@example.com',
            password: `same-${key}-password`,
            apiPassword: `same-${key}-api-password`,
          },
        ],
      });
      const w = ws[key];
      const org = await createOrganization(t.store.db, w.workspaceId, { name: `Org ${key}` });
      const role = await createRole(t.store.db, w.workspaceId, { name: `Role ${key}` });
      const reg = await t.app.inject({
        method: 'POST',
        url: '/api/system/oauth-clients',
        headers: w.users.admin!.headers,
        payload: { name: `Client ${key}`, type: 'confidential', redirectUris: ['https://cb.example/cb'] },
      });
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'same@example.com', password: `same-${key}-password`, workspace: w.workspaceId },
      });
      expect(login.statusCode, login.body).toBe(200);
      const client = reg.json().client.id as string;
      const secret = reg.json().clientSecret as string;
      // A code for `same` through the store (the consent page is covered by the e2e test).
      const verifier = 'v'.repeat(50);
      const code = await createCode(t.store.db, {
        client: (await findClient(t.store.db, w.workspaceId, client))!,
        userId: w.users.same!.id,
        redirectUri: 'https://cb.example/cb',
        scopes: ['any'],
        codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      });
      const tokens = await t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        ...form({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'https://cb.example/cb',
          code_verifier: verifier,
          client_id: client,
          client_secret: secret,
        }),
      });
      expect(tokens.statusCode, tokens.body).toBe(200);
      made[key] = {
        org: org.id,
        role: role.id,
        client,
        secret,
        cookie: `nagare_session=${login.cookies.find((c) => c.name === 'nagare_session')!.value}`,
        token: tokens.json().access_token,
        refresh: tokens.json().refresh_token,
      };
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('users, organizations, roles, role members and clients of A are not found from B', async () => {
    const a = made.a;
    const asB = ws.b.users.admin!.headers;
    const urls = [
      `/api/system/users/${ws.a.users.admin!.id}`,
      `/api/system/users/${ws.a.users.same!.id}`,
      `/api/system/organizations/${a.org}`,
      `/api/system/roles/${a.role}`,
      `/api/system/roles/${a.role}/members`,
      `/api/system/oauth-clients/${a.client}`,
    ];
    for (const url of urls) {
      const r = await t.app.inject({ url, headers: asB });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code).toBe('NAGARE_NOT_FOUND');
    }
    // And the same ids answer in A.
    for (const url of urls)
      expect((await t.app.inject({ url, headers: ws.a.users.admin!.headers })).statusCode, url).toBe(200);
    // Lists show only B's own.
    const users = (await t.app.inject({ url: '/api/system/users', headers: asB })).json();
    expect(users.items.map((u: { id: string }) => u.id).sort()).toEqual(
      [ws.b.users.admin!.id, ws.b.users.same!.id].sort(),
    );
    const clients = (await t.app.inject({ url: '/api/system/oauth-clients', headers: asB })).json();
    expect(clients.items.map((c: { id: string }) => c.id)).toEqual([made.b.client]);
  });

  it('sessions and tokens resolve only to their own workspace', async () => {
    for (const key of ['a', 'b'] as const) {
      const bySession = await t.app.inject({
        url: '/api/auth/session',
        headers: { cookie: made[key].cookie },
      });
      expect(bySession.json()).toMatchObject({
        workspaceId: `ws-${key}`,
        userId: ws[key].users.same!.id,
        via: 'session',
      });
      // A workspace header does not move a Bearer token elsewhere.
      const other = key === 'a' ? 'ws-b' : 'ws-a';
      const byToken = await t.app.inject({
        url: '/api/system/me',
        headers: { authorization: `Bearer ${made[key].token}`, 'nagare-workspace': other },
      });
      expect(byToken.json().id).toBe(ws[key].users.same!.id);
    }
  });

  it('the same e-mail: A’s passwords never sign in to B', async () => {
    const basic = (password: string, workspace: string) =>
      t.app.inject({
        url: '/api/system/me',
        headers: {
          authorization: `Basic ${Buffer.from(`same@example.com:${password}`).toString('base64')}`,
          'nagare-workspace': workspace,
        },
      });
    expect((await basic('same-a-api-password', 'ws-a')).json().id).toBe(ws.a.users.same!.id);
    expect((await basic('same-a-api-password', 'ws-b')).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'same@example.com', password: 'same-a-password', workspace: 'ws-b' },
    });
    expect(login.statusCode).toBe(401);
  });

  it('OAuth: B’s user cannot authorize A’s client; A’s refresh token and code do not work with B’s client', async () => {
    const authorize = await t.app.inject({
      url: `/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: made.a.client,
        redirect_uri: 'https://cb.example/cb',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      })}`,
      headers: { cookie: made.b.cookie },
    });
    expect(authorize.statusCode).toBe(400);
    expect(authorize.json().error.message).toBe(`Unknown client_id "${made.a.client}"`);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      ...form({
        grant_type: 'refresh_token',
        refresh_token: made.a.refresh,
        client_id: made.b.client,
        client_secret: made.b.secret,
      }),
    });
    expect(refresh.statusCode).toBe(400);
    expect(refresh.json().error).toBe('invalid_grant');
    // A's refresh token still works for A (the refusal above did not revoke it).
    const own = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      ...form({
        grant_type: 'refresh_token',
        refresh_token: made.a.refresh,
        client_id: made.a.client,
        client_secret: made.a.secret,
      }),
    });
    expect(own.statusCode, own.body).toBe(200);
    // A's client secret is not B's.
    const wrongSecret = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      ...form({ grant_type: 'client_credentials', client_id: made.b.client, client_secret: made.a.secret }),
    });
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.json().error).toBe('invalid_client');
  });

  it('B’s administrator cannot act on A’s people through B', async () => {
    const asB = ws.b.users.admin!.headers;
    const attempts = [
      {
        method: 'PATCH' as const,
        url: `/api/system/users/${ws.a.users.same!.id}`,
        payload: { name: 'taken over' },
      },
      { method: 'DELETE' as const, url: `/api/system/users/${ws.a.users.same!.id}` },
      {
        method: 'PUT' as const,
        url: `/api/system/organizations/${made.b.org}/members/${ws.a.users.same!.id}`,
        payload: { position: 'leader' },
      },
      { method: 'PUT' as const, url: `/api/system/roles/${made.a.role}/members/${ws.b.users.same!.id}` },
      { method: 'DELETE' as const, url: `/api/system/oauth-clients/${made.a.client}` },
      { method: 'PUT' as const, url: `/api/system/authorities/userManager/${ws.a.users.same!.id}` },
    ];
    for (const a of attempts) {
      const r = await t.app.inject({ ...a, headers: asB });
      expect(r.statusCode, `${a.method} ${a.url}`).toBe(404);
    }
    const still = await t.app.inject({
      url: `/api/system/users/${ws.a.users.same!.id}`,
      headers: ws.a.users.admin!.headers,
    });
    expect(still.json().name).toBe('same');
  });
});
