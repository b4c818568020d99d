import { beforeEach, expect, it } from 'vitest';
import { buildApp, type NagareApp } from '../../../src/api/app.js';
import { createConnectorRegistry } from '../../../src/connectors/connector.js';
import { scriptConnector } from '../../../src/connectors/script/connector.js';
import { describeEachDialect } from '../../support/dialects.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';
import { bpmn, flows, openRuntime, type TestRuntime } from '../../support/runtime.js';

/**
 * The workspace's own settings (name, time zone) through the system settings API: anyone signed
 * in reads their own workspace's, only a system administrator changes them, bad input changes
 * nothing, and another workspace is never seen or touched.
 */
describeEachDialect('system settings: the workspace', ({ config }) => {
  let t: TestRuntime;
  let app: NagareApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;

  beforeEach(async () => {
    const connectors = createConnectorRegistry([
      scriptConnector({ fetch: () => Promise.reject(new Error('no network in this test')) }),
    ]);
    t = await openRuntime(config(), { connectors });
    app = await buildApp({ store: t.store });
    ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [
        { key: 'admin', authorities: ['systemAdministrator'] },
        { key: 'manager', authorities: ['userManager'] },
        { key: 'plain' },
      ],
    });
    other = await seedWorkspace(t.store, {
      workspaceId: 'other',
      name: 'Other Inc.',
      users: [{ key: 'admin', authorities: ['systemAdministrator'] }],
    });
    return async () => {
      await app.close();
      await t.close();
    };
  });

  const call = async (
    who: { headers: Record<string, string> } | undefined,
    method: 'GET' | 'PATCH',
    payload?: unknown,
  ) => {
    const r = await app.inject({
      method,
      url: '/api/system/workspace',
      headers: who?.headers ?? {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: r.statusCode, body: r.body === '' ? undefined : r.json() };
  };
  const admin = () => ws.users.admin!;
  const plain = () => ws.users.plain!;
  const otherAdmin = () => other.users.admin!;
  const rows = async () =>
    JSON.stringify(await t.store.db.selectFrom('workspace').selectAll().orderBy('id').execute());

  it('any signed-in member reads the name and time zone of their own workspace', async () => {
    for (const who of [admin(), plain(), ws.users.manager!]) {
      const r = await call(who, 'GET');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        id: 'default',
        name: 'Default',
        timeZone: 'UTC',
        createdAt: expect.any(String),
      });
      expect(new Date(r.body.createdAt).toISOString()).toBe(r.body.createdAt);
    }
    expect((await call(otherAdmin(), 'GET')).body).toMatchObject({
      id: 'other',
      name: 'Other Inc.',
      timeZone: 'UTC',
    });
    const anonymous = await call(undefined, 'GET');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('NAGARE_UNAUTHORIZED');
  });

  it('a system administrator changes the name and the time zone; they read back; the other workspace is untouched', async () => {
    const before = await call(admin(), 'GET');
    const otherBefore = await call(otherAdmin(), 'GET');

    const renamed = await call(admin(), 'PATCH', { name: '  Acme Japan  ' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toEqual({ ...before.body, name: 'Acme Japan' });

    const moved = await call(admin(), 'PATCH', { timeZone: 'Asia/Tokyo' });
    expect(moved.body).toEqual({ ...before.body, name: 'Acme Japan', timeZone: 'Asia/Tokyo' });

    const both = await call(admin(), 'PATCH', { name: 'Acme', timeZone: 'America/New_York' });
    expect(both.body).toEqual({ ...before.body, name: 'Acme', timeZone: 'America/New_York' });

    // read back by a plain member
    expect((await call(plain(), 'GET')).body).toEqual(both.body);
    // the other workspace: same as before, and its administrator sees only its own
    expect(await call(otherAdmin(), 'GET')).toEqual(otherBefore);
    // and the other way round
    await call(otherAdmin(), 'PATCH', { name: 'Other GmbH', timeZone: 'Europe/Berlin' });
    expect((await call(admin(), 'GET')).body).toEqual(both.body);
    expect((await call(otherAdmin(), 'GET')).body).toMatchObject({
      id: 'other',
      name: 'Other GmbH',
      timeZone: 'Europe/Berlin',
    });
  });

  // Schema checks answer NAGARE_INVALID_REQUEST, the store's checks NAGARE_BAD_REQUEST; both 400.
  const SCHEMA = 'NAGARE_INVALID_REQUEST';
  const STORE = 'NAGARE_BAD_REQUEST';
  it.each([
    [
      'an unknown time zone',
      { timeZone: 'Mars/Olympus' },
      STORE,
      /^timeZone "Mars\/Olympus" is not an IANA time zone/,
    ],
    [
      'an unknown time zone with a valid name',
      { name: 'Renamed', timeZone: 'Mars/Olympus' },
      STORE,
      /^timeZone "Mars\/Olympus"/,
    ],
    ['an empty name', { name: '' }, SCHEMA, /body\.name must be string length greater or equal to 1/],
    ['a blank name', { name: '   ' }, STORE, /^name must not be blank/],
    [
      'a blank name with a valid time zone',
      { name: ' ', timeZone: 'Asia/Tokyo' },
      STORE,
      /^name must not be blank/,
    ],
    [
      'a name too long',
      { name: 'x'.repeat(201) },
      SCHEMA,
      /body\.name must be string length less or equal to 200/,
    ],
    ['a name of the wrong type', { name: 5 }, SCHEMA, /body\.name must be string/],
    ['a time zone of the wrong type', { timeZone: null }, SCHEMA, /body\.timeZone must be string/],
    ['an unknown property', { name: 'Renamed', id: 'other' }, SCHEMA, /body\.id Unexpected property/],
    ['an empty body', {}, SCHEMA, /body must be object to have at least 1 propert/],
  ])('%s: 400 naming the field, nothing changes', async (_name, payload, code, message) => {
    const before = await rows();
    const r = await call(admin(), 'PATCH', payload);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await rows()).toBe(before);
  });

  it('a plain member or a user manager gets 403 on PATCH and nothing changes', async () => {
    const before = await rows();
    for (const who of [plain(), ws.users.manager!]) {
      const r = await call(who, 'PATCH', { name: 'Mine now', timeZone: 'Asia/Tokyo' });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('NAGARE_FORBIDDEN');
    }
    expect((await call(undefined, 'PATCH', { name: 'Anyone' })).status).toBe(401);
    expect(await rows()).toBe(before);
  });

  it('a script run after the change sees the new time zone (the zone is read on every run)', async () => {
    const workspaceId = 'default';
    const { appId } = await t.runtime.deploy({
      workspaceId,
      bpmn: bpmn(
        `<bpmn:startEvent id="start"/>
         <bpmn:scriptTask id="work" scriptFormat="javascript">
           <bpmn:extensionElements><nagare:automation type="script"></nagare:automation></bpmn:extensionElements>
           <bpmn:script><![CDATA[engine.setDataByVarName('zone', engine.getTimeZoneId());]]></bpmn:script>
         </bpmn:scriptTask>
         <bpmn:endEvent id="end"/>
         ${flows('start>work', 'work>end')}`,
        { items: '<nagare:dataItem number="1" fieldName="zone" type="string"/>', id: 'Zone' },
      ),
    });
    const run = async () => {
      const { issueId } = await t.runtime.startIssue({ appId, workspaceId, data: {} });
      await t.runtime.createWorker().runOnce();
      expect(await t.runtime.listIncidents({ issueId, workspaceId })).toEqual([]);
      return (await t.runtime.getIssue(issueId)).state.data.zone;
    };
    expect(await run()).toBe('GMT');
    expect((await call(admin(), 'PATCH', { timeZone: 'Asia/Tokyo' })).status).toBe(200);
    expect(await run()).toBe('Asia/Tokyo');
    expect((await call(admin(), 'PATCH', { timeZone: 'America/New_York' })).status).toBe(200);
    expect(await run()).toBe('America/New_York');
  }, 60_000);
});
