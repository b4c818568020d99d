import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sharedDir } from '../../../../scripts/shared-dir.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../support/identity.js';

const file = join(sharedDir(), 'addon-corpus', 'questetra-addon-xml', 'stripe-customer-create.xml');
const xml = readFileSync(file, 'utf8');

describe('add-on routes', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;
  beforeEach(async () => {
    t = await buildTestApp();
    ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [{ key: 'admin', authorities: ['systemAdministrator'] }, { key: 'bob' }],
    });
    other = await seedWorkspace(t.store, { users: [{ key: 'admin', authorities: ['systemAdministrator'] }] });
  });
  afterEach(async () => {
    await t.close();
  });

  const put = (key: string, id: string, payload: unknown, w = ws) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/addons/${id}`,
      headers: w.users[key]!.headers,
      payload: payload as object,
    });

  it('imports, lists, shows the config form and exports byte for byte', async () => {
    const r = await put('admin', 'stripe-customer-create', { xml });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ addonId: 'stripe-customer-create', version: 1, type: 'SERVICE_TASK' });
    expect((await put('admin', 'stripe-customer-create', { xml })).json().version).toBe(2);

    const list = await t.app.inject({ url: '/api/addons', headers: ws.users.bob!.headers });
    expect(list.json().map((a: { addonId: string; version: number }) => [a.addonId, a.version])).toEqual([
      ['stripe-customer-create', 2],
    ]);
    const one = await t.app.inject({
      url: '/api/addons/stripe-customer-create',
      headers: ws.users.bob!.headers,
    });
    expect(one.json().configs).toContainEqual(
      expect.objectContaining({ name: 'conf_Language', formType: 'SELECT_ITEM', items: expect.any(Array) }),
    );
    const versions = await t.app.inject({
      url: '/api/addons/stripe-customer-create/versions',
      headers: ws.users.bob!.headers,
    });
    expect(versions.json().map((a: { version: number }) => a.version)).toEqual([1, 2]);
    const exported = await t.app.inject({
      url: '/api/addons/stripe-customer-create/versions/1/xml',
      headers: ws.users.bob!.headers,
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^application\/xml/);
    expect(exported.rawPayload.equals(readFileSync(file))).toBe(true);
  });

  it('refuses bad XML with its code and line and stores nothing', async () => {
    const r = await put('admin', 'broken', { xml: '<service-task-definition>\n<label>x</label>\n<script>' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({
      code: 'NAGARE_BAD_REQUEST',
      details: { code: 'ADDON_MALFORMED_XML', line: 3 },
    });
    const bad = await put('admin', 'x', { xml: '<items/>' });
    expect(bad.json().error.details).toEqual({ code: 'ADDON_NOT_AN_ADDON', line: 1 });
    expect((await put('admin', 'x', { nope: 1 })).statusCode).toBe(400);
    expect((await put('admin', 'bad id!', { xml })).json().error.details).toEqual({ code: 'ADDON_BAD_ID' });
    const list = await t.app.inject({ url: '/api/addons', headers: ws.users.admin!.headers });
    expect(list.json()).toEqual([]);
  });

  it('only a system administrator imports; workspaces do not see each other', async () => {
    expect((await put('bob', 'a', { xml })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/api/addons/a', payload: { xml } })).statusCode).toBe(
      401,
    );
    expect((await put('admin', 'a', { xml })).statusCode).toBe(200);
    const theirs = await t.app.inject({ url: '/api/addons/a', headers: other.users.admin!.headers });
    expect(theirs.statusCode).toBe(404);
    const exported = await t.app.inject({
      url: '/api/addons/a/versions/1/xml',
      headers: other.users.admin!.headers,
    });
    expect(exported.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/addons', headers: other.users.admin!.headers })).json()).toEqual(
      [],
    );
  });
});
