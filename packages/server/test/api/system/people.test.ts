import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

/** Organizations, memberships, roles and authorities through the API, as a user manager would set them up. */
describe('system settings: organizations, memberships, roles, authorities', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  beforeAll(async () => {
    t = await buildTestApp();
    ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [
        { key: 'admin', authorities: ['systemAdministrator'] },
        { key: 'manager', authorities: ['userManager'] },
        { key: 'ann' },
        { key: 'ben' },
      ],
    });
  });
  afterAll(async () => {
    await t.close();
  });
  const call = async (
    key: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => {
    const r = await t.app.inject({
      method,
      url,
      headers: ws.users[key]!.headers,
      ...(payload ? { payload } : {}),
    });
    return { status: r.statusCode, body: r.body === '' ? undefined : r.json() };
  };
  const id = (key: string) => ws.users[key]!.id;

  it('builds an organization tree with members and positions', async () => {
    const corp = await call('manager', 'POST', '/api/system/organizations', {
      name: 'Corp',
      email: 'corp@example.com',
    });
    expect(corp.status).toBe(201);
    const sales = await call('manager', 'POST', '/api/system/organizations', {
      name: 'Sales',
      parentId: corp.body.id,
    });
    expect(sales.body).toMatchObject({ name: 'Sales', parentId: corp.body.id, email: null });
    expect(
      (
        await call('manager', 'PUT', `/api/system/organizations/${sales.body.id}/members/${id('ann')}`, {
          position: 'leader',
        })
      ).body,
    ).toMatchObject({
      organizationId: sales.body.id,
      userId: id('ann'),
      position: 'leader',
    });
    await call('manager', 'PUT', `/api/system/organizations/${sales.body.id}/members/${id('ben')}`, {
      position: 'member',
    });
    const members = await call('ann', 'GET', `/api/system/memberships?organizationId=${sales.body.id}`);
    expect(
      members.body.items.map((m: { userId: string; position: string }) => [m.userId, m.position]).sort(),
    ).toEqual(
      [
        [id('ann'), 'leader'],
        [id('ben'), 'member'],
      ].sort(),
    );
    const children = await call('ann', 'GET', `/api/system/organizations?parentId=${corp.body.id}`);
    expect(children.body.items.map((o: { id: string }) => o.id)).toEqual([sales.body.id]);
    const renamed = await call('manager', 'PATCH', `/api/system/organizations/${sales.body.id}`, {
      name: 'Sales & Marketing',
      email: 'sm@example.com',
    });
    expect(renamed.body).toMatchObject({ name: 'Sales & Marketing', email: 'sm@example.com' });
    expect(
      (await call('manager', 'DELETE', `/api/system/organizations/${sales.body.id}/members/${id('ben')}`))
        .status,
    ).toBe(204);
    expect((await call('manager', 'DELETE', `/api/system/organizations/${sales.body.id}`)).status).toBe(204);
    expect((await call('ann', 'GET', `/api/system/memberships?userId=${id('ann')}`)).body.items).toEqual([]);
    // Plain users read but do not change.
    expect((await call('ann', 'POST', '/api/system/organizations', { name: 'Mine' })).status).toBe(403);
  });

  it('roles and their members', async () => {
    const role = await call('manager', 'POST', '/api/system/roles', { name: 'Auditor' });
    expect(role.status).toBe(201);
    expect(
      (await call('manager', 'PUT', `/api/system/roles/${role.body.id}/members/${id('ben')}`)).status,
    ).toBe(204);
    expect(
      (await call('manager', 'PUT', `/api/system/roles/${role.body.id}/members/${id('ben')}`)).status,
    ).toBe(204); // idempotent
    expect((await call('ben', 'GET', `/api/system/roles/${role.body.id}/members`)).body).toEqual({
      items: [id('ben')],
    });
    expect(
      (await call('manager', 'PATCH', `/api/system/roles/${role.body.id}`, { name: 'Internal auditor' })).body
        .name,
    ).toBe('Internal auditor');
    expect(
      (await call('ben', 'GET', '/api/system/roles')).body.items.map((r: { id: string }) => r.id),
    ).toContain(role.body.id);
    expect(
      (await call('manager', 'DELETE', `/api/system/roles/${role.body.id}/members/${id('ben')}`)).status,
    ).toBe(204);
    expect((await call('manager', 'DELETE', `/api/system/roles/${role.body.id}`)).status).toBe(204);
    expect((await call('ben', 'GET', `/api/system/roles/${role.body.id}`)).status).toBe(404);
  });

  it('system authorities: granted and revoked by the system administrator only', async () => {
    expect((await call('manager', 'PUT', `/api/system/authorities/appCreator/${id('ann')}`)).status).toBe(
      403,
    );
    expect((await call('admin', 'PUT', `/api/system/authorities/appCreator/${id('ann')}`)).status).toBe(204);
    const list = await call('ann', 'GET', '/api/system/authorities');
    expect(list.body.items).toContainEqual({ authority: 'appCreator', userId: id('ann') });
    expect((await call('admin', 'DELETE', `/api/system/authorities/appCreator/${id('ann')}`)).status).toBe(
      204,
    );
    // A second administrator may remove the first; the last one stays.
    expect(
      (await call('admin', 'PUT', `/api/system/authorities/systemAdministrator/${id('manager')}`)).status,
    ).toBe(204);
    expect(
      (await call('manager', 'DELETE', `/api/system/authorities/systemAdministrator/${id('admin')}`)).status,
    ).toBe(204);
    expect(
      (await call('manager', 'DELETE', `/api/system/authorities/systemAdministrator/${id('manager')}`))
        .status,
    ).toBe(409);
    expect(
      (await call('manager', 'PUT', `/api/system/authorities/systemAdministrator/${id('admin')}`)).status,
    ).toBe(204);
  });

  it('App authorities: granted by a system administrator, then by an App administrator of that App', async () => {
    const grant = await call('admin', 'POST', '/api/system/apps/expense/authorities', {
      authority: 'appAdministrator',
      grant: { kind: 'user', user: id('ann') },
    });
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({
      appId: 'expense',
      authority: 'appAdministrator',
      kind: 'user',
      user: id('ann'),
    });
    // ann administers expense now: she grants, but not on another App.
    const byAnn = await call('ann', 'POST', '/api/system/apps/expense/authorities', {
      authority: 'dataViewer',
      grant: { kind: 'user', user: id('ben') },
    });
    expect(byAnn.status).toBe(201);
    expect(
      (
        await call('ann', 'POST', '/api/system/apps/travel/authorities', {
          authority: 'dataViewer',
          grant: { kind: 'user', user: id('ben') },
        })
      ).status,
    ).toBe(403);
    const list = await call('ben', 'GET', '/api/system/apps/expense/authorities');
    expect(list.body.items.map((g: { authority: string }) => g.authority)).toEqual([
      'appAdministrator',
      'dataViewer',
    ]);
    expect(
      (await call('ann', 'DELETE', `/api/system/apps/expense/authorities/${byAnn.body.id}`)).status,
    ).toBe(204);
  });

  it('every system and auth route is in the OpenAPI document with a schema for each response, and no response has a secret field', async () => {
    const spec = (await t.app.inject('/api/openapi.json')).json();
    const paths = Object.keys(spec.paths).filter((p) =>
      /^\/(api\/system|api\/auth|oauth|login|\.well-known)/.test(p),
    );
    expect(paths.length).toBeGreaterThanOrEqual(25);
    const secret = /password|secret|token_hash|hash/i;
    for (const path of paths) {
      for (const [method, op] of Object.entries(
        spec.paths[path] as Record<
          string,
          { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }
        >,
      )) {
        expect(op.responses, `${method} ${path}`).toBeDefined();
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          const text = JSON.stringify(response);
          // Token responses carry tokens by design; the client registration its secret once.
          if (path === '/oauth/token' && status === '200') continue;
          if (path === '/api/system/oauth-clients' && status === '201') {
            expect(text).toContain('clientSecret');
            continue;
          }
          const props = [...text.matchAll(/"([A-Za-z_]+)":\{"type"/g)].map((m) => m[1]!);
          expect(
            props.filter((p) => secret.test(p) && !/^has/.test(p)),
            `${method} ${path} ${status}`,
          ).toEqual([]);
        }
      }
    }
  });
});
