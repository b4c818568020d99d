import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsXml, sample } from '../../options/support.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

let t: TestApp;
let ws: SeededWorkspace;
let other: SeededWorkspace;

beforeAll(async () => {
  t = await buildTestApp();
  ws = await seedWorkspace(t.store, {
    users: [
      { key: 'admin', authorities: ['systemAdministrator'] },
      { key: 'creator', authorities: ['appCreator'] },
      { key: 'user' },
    ],
  });
  other = await seedWorkspace(t.store, { users: [{ key: 'admin', authorities: ['systemAdministrator'] }] });
});
afterAll(async () => {
  await t.close();
});

function put(master: string, body: string, headers: Record<string, string>, contentType = 'application/xml') {
  return t.app.inject({
    method: 'PUT',
    url: `/api/options/${master}`,
    headers: { ...headers, 'content-type': contentType },
    payload: body,
  });
}

describe('options master routes', () => {
  it('imports a master, lists it and answers search-select lookups with paging', async () => {
    // when
    const res = await put('jp-postal-areas.xml', sample('jp-postal-areas.xml'), ws.users.creator!.headers);

    // then
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'jp-postal-areas.xml', version: 1, itemCount: 951 });
    const list = await t.app.inject({ url: '/api/options', headers: ws.users.user!.headers });
    expect(list.json().masters.map((m: { name: string }) => m.name)).toEqual(['jp-postal-areas.xml']);

    const found = await t.app.inject({
      url: `/api/options/jp-postal-areas.xml/choices?q=${encodeURIComponent('札幌市北区')}`,
      headers: ws.users.user!.headers,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({
      master: 'jp-postal-areas.xml',
      version: 1,
      choices: [
        { id: '001', label: '001 北海道札幌市北区' },
        { id: '002', label: '002 北海道札幌市北区' },
      ],
    });

    // paging: ids starting with 0 (dependent select under parent "0"), pages of 100
    const ids: string[] = [];
    let cursor = '';
    for (let page = 0; page < 20; page++) {
      const res = await t.app.inject({
        url: `/api/options/jp-postal-areas.xml/choices?parentId=0&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        headers: ws.users.user!.headers,
      });
      const body = res.json();
      ids.push(...body.choices.map((c: { id: string }) => c.id));
      if (!body.nextCursor) break;
      cursor = body.nextCursor;
    }
    const expected = [...sample('jp-postal-areas.xml').matchAll(/value="(0[^"]*)"/g)].map((m) => m[1]);
    expect(ids).toEqual(expected);
  });

  it('refuses a bad file with each problem and its line, changing nothing', async () => {
    await put('prefs', optionsXml([['13', '東京都']]), ws.users.admin!.headers);

    // when
    const res = await put(
      'prefs',
      '<items>\n<item value="01" display="北海道"/>\n<item display="x"/>\n</items>',
      ws.users.admin!.headers,
    );

    // then
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'NAGARE_INVALID_OPTIONS_XML',
        message: 'options master "prefs": line 3: <item> without value (OPTIONS_MISSING_ATTRIBUTE)',
        details: [{ code: 'OPTIONS_MISSING_ATTRIBUTE', message: '<item> without value', line: 3 }],
      },
    });
    const after = await t.app.inject({ url: '/api/options/prefs/choices', headers: ws.users.admin!.headers });
    expect(after.json()).toMatchObject({ version: 1, choices: [{ id: '13', label: '東京都' }] });
  });

  it('refuses callers without the authority, other content types, bad names and bodies over the limit', async () => {
    const xml = optionsXml([['1', 'a']]);
    expect((await put('m', xml, {})).json().error.code).toBe('NAGARE_UNAUTHORIZED');
    const forbidden = await put('m', xml, ws.users.user!.headers);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('NAGARE_FORBIDDEN');
    const json = await put('m', JSON.stringify({ items: [] }), ws.users.admin!.headers, 'application/json');
    expect(json.statusCode).toBe(400);
    const form = await put('m', 'a=b', ws.users.admin!.headers, 'application/x-www-form-urlencoded');
    expect([400, 415]).toContain(form.statusCode);
    const badName = await put('..%2Fetc', xml, ws.users.admin!.headers);
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.message).toContain('an options master name is 1 to 128 letters');
    const big = await put('big', `<items>${' '.repeat(33 * 1024 * 1024)}</items>`, ws.users.admin!.headers);
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('NAGARE_PAYLOAD_TOO_LARGE');
    const list = await t.app.inject({ url: '/api/options', headers: ws.users.admin!.headers });
    expect(list.json().masters.map((m: { name: string }) => m.name)).not.toContain('m');
    expect((await t.app.inject({ url: '/api/options' })).statusCode).toBe(401);
  });

  it('does not resolve another workspace’s master, and refuses bad lookups', async () => {
    await put('customers', optionsXml([['C1', 'Acme']]), ws.users.admin!.headers);

    const elsewhere = await t.app.inject({
      url: '/api/options/customers/choices',
      headers: other.users.admin!.headers,
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error).toEqual({
      code: 'NAGARE_NOT_FOUND',
      message: 'no options master "customers" in this workspace',
    });
    expect((await t.app.inject({ url: '/api/options', headers: other.users.admin!.headers })).json()).toEqual(
      { masters: [] },
    );

    const lookup = (query: string) =>
      t.app.inject({ url: `/api/options/customers/choices?${query}`, headers: ws.users.user!.headers });
    const badCursor = await lookup('cursor=not-ours');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.code).toBe('NAGARE_INVALID_CURSOR');
    const badLimit = await lookup('limit=0');
    expect(badLimit.json().error).toMatchObject({
      code: 'NAGARE_INVALID_REQUEST',
      details: [{ field: 'querystring.limit' }],
    });
    expect((await lookup(`q=${'x'.repeat(201)}`)).json().error.code).toBe('NAGARE_INVALID_REQUEST');
    expect((await t.app.inject({ url: '/api/options/customers/choices' })).statusCode).toBe(401);
  });
});
