import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

const SECRET_FIELDS = /password_hash|api_password_hash|"password"|"apiPassword"|secret_hash|\$argon2/;

describe('system settings: users', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  beforeEach(async () => {
    t = await buildTestApp();
    ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [
        { key: 'admin', authorities: ['systemAdministrator'] },
        { key: 'manager', authorities: ['userManager'] },
        { key: 'plain' },
      ],
    });
  });
  afterEach(async () => {
    await t.close();
  });
  const as = (key: string) => ws.users[key]!.headers;

  it('a user manager creates, finds, lists, changes and deletes a user; no response carries a secret', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/system/users',
      headers: as('manager'),
      payload: {
        name: 'Tanaka Hina',
        email: 'Hina@Example.com',
        password: 'correct horse',
        apiPassword: 'battery staple',
        language: 'ja',
        timeZone: 'Asia/Tokyo',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.body).not.toMatch(SECRET_FIELDS);
    const user = created.json();
    expect(user).toMatchObject({
      name: 'Tanaka Hina',
      email: 'hina@example.com',
      language: 'ja',
      timeZone: 'Asia/Tokyo',
      active: true,
      hasPassword: true,
      hasApiPassword: true,
      primaryOrganizationId: null,
    });

    const found = await t.app.inject({ url: `/api/system/users/${user.id}`, headers: as('plain') });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual(user);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/system/users/${user.id}`,
      headers: as('manager'),
      payload: { name: 'Tanaka H.', active: false, apiPassword: null },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Tanaka H.',
      active: false,
      hasApiPassword: false,
      hasPassword: true,
    });

    // Pages of 2 in id order, cursors until the end.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.app.inject({
        url: '/api/system/users',
        query: { limit: '2', ...(cursor ? { cursor } : {}) },
        headers: as('plain'),
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toMatch(SECRET_FIELDS);
      const body = page.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((u: { id: string }) => u.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toHaveLength(4);

    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/system/users/${user.id}`,
      headers: as('manager'),
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(deleted.json()).toEqual({ id: user.id, delegateId: null, tasksMoved: 0 });
    const gone = await t.app.inject({ url: `/api/system/users/${user.id}`, headers: as('plain') });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('NAGARE_NOT_FOUND');
  });

  it('only a user manager or system administrator changes users; everyone signed in reads', async () => {
    const body = { name: 'X', email: 'x@example.com' };
    const byPlain = await t.app.inject({
      method: 'POST',
      url: '/api/system/users',
      headers: as('plain'),
      payload: body,
    });
    expect(byPlain.statusCode).toBe(403);
    expect(byPlain.json().error).toEqual({
      code: 'NAGARE_FORBIDDEN',
      message: 'Only a user manager may do this',
    });
    const byAdmin = await t.app.inject({
      method: 'POST',
      url: '/api/system/users',
      headers: as('admin'),
      payload: body,
    });
    expect(byAdmin.statusCode).toBe(201);
    const anonymous = await t.app.inject({ url: '/api/system/users' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('NAGARE_UNAUTHORIZED');
    const list = await t.app.inject({ url: '/api/system/users', headers: as('plain') });
    expect(list.statusCode).toBe(200);
  });

  it('deleting a user moves their open tasks (assignee and candidates) to the delegate, in this workspace only', async () => {
    const db = t.store.db;
    const leaving = ws.users.plain!.id;
    const delegate = ws.users.manager!.id;
    const task = (
      id: string,
      workspace: string,
      status: 'offered' | 'allocated' | 'done',
      assignee: string | null,
      candidates: string[] | null,
    ) => ({
      id,
      workspace_id: workspace,
      issue_id: `issue-${id}`,
      seq: 1,
      app_id: 'app',
      node: 'Task_1',
      name: null,
      lane: null,
      status,
      assignee,
      candidates: candidates === null ? null : JSON.stringify(candidates),
      team: null,
      buttons: null,
      due_at: null,
      deadline: null,
      created_at: new Date().toISOString(),
      ended_at: null,
      completed_by: null,
    });
    await db
      .insertInto('workspace')
      .values({ id: 'elsewhere', name: 'Elsewhere', time_zone: 'UTC', created_at: new Date().toISOString() })
      .execute();
    await db
      .insertInto('task')
      .values([
        task('t1', 'default', 'allocated', leaving, null),
        task('t2', 'default', 'offered', null, [ws.users.admin!.id, leaving]),
        task('t3', 'default', 'done', leaving, null),
        task('t4', 'elsewhere', 'allocated', leaving, null),
        task('t5', 'default', 'offered', null, [delegate, leaving]),
      ])
      .execute();

    const response = await t.app.inject({
      method: 'DELETE',
      url: `/api/system/users/${leaving}`,
      query: { delegateId: delegate },
      headers: as('manager'),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ id: leaving, delegateId: delegate, tasksMoved: 3 });
    const rows = await db.selectFrom('task').select(['id', 'assignee', 'candidates']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 't1', assignee: delegate, candidates: null },
      { id: 't2', assignee: null, candidates: JSON.stringify([ws.users.admin!.id, delegate]) },
      { id: 't3', assignee: leaving, candidates: null },
      { id: 't4', assignee: leaving, candidates: null },
      { id: 't5', assignee: null, candidates: JSON.stringify([delegate]) },
    ]);
    const record = await db
      .selectFrom('deleted_user')
      .selectAll()
      .where('id', '=', leaving)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ workspace_id: 'default', delegate_id: delegate, deleted_by: delegate });
    // The deleted user's API password no longer signs in.
    const after = await t.app.inject({ url: '/api/system/me', headers: as('plain') });
    expect(after.statusCode).toBe(401);
  });

  it('a bad delegate changes nothing', async () => {
    const leaving = ws.users.plain!.id;
    for (const delegateId of ['nobody', leaving]) {
      const response = await t.app.inject({
        method: 'DELETE',
        url: `/api/system/users/${leaving}`,
        query: { delegateId },
        headers: as('manager'),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(/^delegateId: /);
    }
    const still = await t.app.inject({ url: '/api/system/me', headers: as('plain') });
    expect(still.statusCode).toBe(200);
  });

  it('users set their own API password; the old one stops working at once', async () => {
    const before = await t.app.inject({ url: '/api/system/me', headers: as('plain') });
    expect(before.statusCode).toBe(200);
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/system/me/api-password',
      headers: as('plain'),
      payload: { apiPassword: 'a brand new one' },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.body).not.toMatch(SECRET_FIELDS);
    const old = await t.app.inject({ url: '/api/system/me', headers: as('plain') });
    expect(old.statusCode).toBe(401);
    const basic = `Basic ${Buffer.from(`${ws.users.plain!.email}:a brand new one`).toString('base64')}`;
    const fresh = await t.app.inject({ url: '/api/system/me', headers: { authorization: basic } });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().id).toBe(ws.users.plain!.id);
  });
});
