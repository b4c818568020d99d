import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { grantAppAuthority } from '../../src/identity/authorities.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../support/identity.js';
import { S2 } from '../support/runtime.js';
import { type OAuthServer, startOAuthServer } from './oauth-server.js';

let oauth: OAuthServer;
let t: TestApp;
let ws: SeededWorkspace;
let appId = '';

beforeAll(async () => {
  vi.stubEnv('NAGARE_SECRET_KEY', randomBytes(32).toString('base64'));
  vi.stubEnv('NAGARE_OUTBOUND_ALLOW', '127.0.0.1/32');
  oauth = await startOAuthServer();
  t = await buildTestApp();
  ws = await seedWorkspace(t.store, {
    workspaceId: 'default',
    users: [{ key: 'owner' }, { key: 'other' }, { key: 'sysadmin', authorities: ['systemAdministrator'] }],
  });
  const runtime = createRuntime(t.store);
  appId = (await runtime.deploy({ bpmn: S2 })).appId;
  await runtime.close();
  await grantAppAuthority(t.store.db, 'default', appId, 'appAdministrator', {
    kind: 'user',
    user: ws.users.owner!.id,
  });
});
afterAll(async () => {
  await t.close();
  await oauth.close();
  vi.unstubAllEnvs();
});

it('an App administrator saves and lists settings; secrets never come back; others are refused', async () => {
  const owner = ws.users.owner!.headers;
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/apps/${appId}/authorization-settings/kintone`,
    headers: owner,
    payload: { kind: 'header', headerName: 'X-Cybozu-API-Token', value: 'SECRET-VALUE' },
  });
  expect(put.statusCode).toBe(200);
  expect(put.json()).toMatchObject({
    name: 'kintone',
    kind: 'header',
    config: { headerName: 'X-Cybozu-API-Token' },
  });
  const list = await t.app.inject({
    method: 'GET',
    url: `/api/apps/${appId}/authorization-settings`,
    headers: owner,
  });
  expect(list.json()).toHaveLength(1);
  expect(list.body + put.body).not.toContain('SECRET-VALUE');
  const other = await t.app.inject({
    method: 'GET',
    url: `/api/apps/${appId}/authorization-settings`,
    headers: ws.users.other!.headers,
  });
  expect(other.statusCode).toBe(403);
  const anonymous = await t.app.inject({ method: 'GET', url: `/api/apps/${appId}/authorization-settings` });
  expect(anonymous.statusCode).toBe(401);
  const bad = await t.app.inject({
    method: 'PUT',
    url: `/api/apps/${appId}/authorization-settings/x`,
    headers: owner,
    payload: { kind: 'header', headerName: 'Bad Header', value: 'v' },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error.message).toMatch(/not a header name/);
  const unknown = await t.app.inject({
    method: 'DELETE',
    url: `/api/apps/${appId}/authorization-settings/nope`,
    headers: owner,
  });
  expect(unknown.statusCode).toBe(404);
  expect(
    (
      await t.app.inject({
        method: 'DELETE',
        url: `/api/apps/${appId}/authorization-settings/kintone`,
        headers: owner,
      })
    ).statusCode,
  ).toBe(204);
});

it('OAuth 2.0: authorize URL, the browser round trip, the callback exchanges the code once', async () => {
  const owner = ws.users.owner!.headers;
  await t.app.inject({
    method: 'PUT',
    url: `/api/apps/${appId}/authorization-settings/drive`,
    headers: owner,
    payload: {
      kind: 'oauth2',
      authorizeUrl: `${oauth.base}/authorize`,
      tokenUrl: `${oauth.base}/token`,
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      redirectUri: 'http://nagare.test/api/oauth2/callback',
    },
  });
  const start = await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/authorization-settings/drive/authorize`,
    headers: owner,
  });
  expect(start.statusCode).toBe(200);
  const consent = await fetch(start.json().url, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location')!);
  const callback = await t.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
  expect(callback.statusCode).toBe(200);
  expect(callback.json()).toMatchObject({ name: 'drive', connected: true });
  expect(callback.body).not.toMatch(/at-\d|rt-\d/);
  const again = await t.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
  expect(again.statusCode).toBe(400);
  expect(again.json().error.message).toMatch(/UNKNOWN_STATE/);
  const denied = await t.app.inject({ method: 'GET', url: '/api/oauth2/callback?error=access_denied' });
  expect(denied.statusCode).toBe(400);
});

it('a system administrator keeps the outbound allow-list; bad ranges are refused', async () => {
  const admin = ws.users.sysadmin!.headers;
  const add = await t.app.inject({
    method: 'POST',
    url: '/api/system/outbound-allow',
    headers: admin,
    payload: { cidr: '10.0.0.0/8' },
  });
  expect(add.json()).toEqual(['10.0.0.0/8']);
  const bad = await t.app.inject({
    method: 'POST',
    url: '/api/system/outbound-allow',
    headers: admin,
    payload: { cidr: 'intranet' },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error.message).toMatch(/"intranet" is not an IP address/);
  const refused = await t.app.inject({
    method: 'POST',
    url: '/api/system/outbound-allow',
    headers: ws.users.owner!.headers,
    payload: { cidr: '192.168.0.0/16' },
  });
  expect(refused.statusCode).toBe(403);
  const removed = await t.app.inject({
    method: 'DELETE',
    url: '/api/system/outbound-allow',
    headers: admin,
    payload: { cidr: '10.0.0.0/8' },
  });
  expect(removed.json()).toEqual([]);
});
