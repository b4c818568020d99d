import { createHash } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { findAccessToken } from '../../src/api/auth/access-tokens.js';
import { findClient, registerClient } from '../../src/api/auth/oauth-clients.js';
import {
  clientCredentials,
  createCode,
  redeemCode,
  rotateRefreshToken,
} from '../../src/api/auth/oauth-grants.js';
import { purgeExpiredCredentials } from '../../src/api/auth/purge.js';
import { createSession, findSession } from '../../src/api/auth/sessions.js';
import {
  grantAppAuthority,
  grantSystemAuthority,
  hasAppAuthority,
  hasSystemAuthority,
  revokeSystemAuthority,
} from '../../src/identity/authorities.js';
import { bootstrapAdministrator } from '../../src/identity/bootstrap.js';
import type { IdentityError } from '../../src/identity/identity-error.js';
import { listMemberships, setMembership } from '../../src/identity/memberships.js';
import {
  createOrganization,
  deleteOrganization,
  updateOrganization,
} from '../../src/identity/organizations.js';
import { addRoleMember, createRole, deleteRole } from '../../src/identity/roles.js';
import { secretHash } from '../../src/identity/secrets.js';
import { storeDirectorySeed } from '../../src/identity/store-directory.js';
import { createUser, deleteUser, findUser, listUsers, updateUser } from '../../src/identity/users.js';
import { createWorkspace } from '../../src/identity/workspaces.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from '../support/dialects.js';
import { SEED } from './support/org-chart.js';

/** The identity store on both dialects: what the API tests (SQLite) rely on holds on PostgreSQL too. */
describeEachDialect('identity store', ({ config }) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(config());
    await migrateToLatest(store);
    await createWorkspace(store.db, { id: 'acme', name: 'Acme', timeZone: 'Asia/Tokyo' });
    await createWorkspace(store.db, { id: 'other', name: 'Other' });
  });
  afterEach(async () => {
    await store.close();
  });
  const refusal = (kind: IdentityError['kind'], message: RegExp) =>
    expect.objectContaining({ name: 'IdentityError', kind, message: expect.stringMatching(message) });

  it('users: create, change, page, refuse duplicates per workspace only', async () => {
    const db = store.db;
    const a = await createUser(db, 'acme', {
      id: 'a',
      name: 'A',
      email: 'A@Example.com',
      password: 'password-a',
    });
    expect(a).toMatchObject({
      email: 'a@example.com',
      hasPassword: true,
      hasApiPassword: false,
      language: 'en',
    });
    await expect(createUser(db, 'acme', { name: 'B', email: 'a@example.com' })).rejects.toEqual(
      refusal('conflict', /already used/),
    );
    // The same address and id in another workspace are another user.
    await createUser(db, 'other', { id: 'a', name: 'Other A', email: 'a@example.com' });
    expect((await findUser(db, 'acme', 'a'))?.name).toBe('A');
    expect((await findUser(db, 'other', 'a'))?.name).toBe('Other A');
    const changed = await updateUser(db, 'acme', 'a', {
      name: 'A2',
      timeZone: 'Asia/Tokyo',
      language: 'ja',
      active: false,
    });
    expect(changed).toMatchObject({ name: 'A2', timeZone: 'Asia/Tokyo', language: 'ja', active: false });
    await expect(updateUser(db, 'acme', 'nobody', { name: 'x' })).rejects.toEqual(
      refusal('notFound', /nobody/),
    );
    for (let i = 0; i < 5; i++)
      await createUser(db, 'acme', { id: `u${i}`, name: `U${i}`, email: `u${i}@example.com` });
    const first = await listUsers(db, 'acme', { limit: 4 });
    const second = await listUsers(db, 'acme', {
      limit: 4,
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });
    expect([...first.items, ...second.items].map((u) => u.id)).toEqual(['a', 'u0', 'u1', 'u2', 'u3', 'u4']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('organizations: a tree without cycles; deleting one with children is refused', async () => {
    const db = store.db;
    await createOrganization(db, 'acme', { id: 'corp', name: 'Corp' });
    await createOrganization(db, 'acme', { id: 'sales', name: 'Sales', parentId: 'corp' });
    await createOrganization(db, 'acme', { id: 'tokyo', name: 'Tokyo', parentId: 'sales' });
    await expect(updateOrganization(db, 'acme', 'corp', { parentId: 'tokyo' })).rejects.toEqual(
      refusal('invalid', /below itself/),
    );
    await expect(deleteOrganization(db, 'acme', 'sales')).rejects.toEqual(
      refusal('conflict', /sub-organizations/),
    );
    await createUser(db, 'acme', {
      id: 'u',
      name: 'U',
      email: 'u@example.com',
      primaryOrganizationId: 'tokyo',
    });
    await setMembership(db, 'acme', 'tokyo', 'u', 'member');
    await setMembership(db, 'acme', 'tokyo', 'u', 'leader');
    expect((await listMemberships(db, 'acme', { userId: 'u' })).items).toMatchObject([
      { organizationId: 'tokyo', position: 'leader' },
    ]);
    await deleteOrganization(db, 'acme', 'tokyo');
    expect((await listMemberships(db, 'acme', { userId: 'u' })).items).toEqual([]);
    expect((await findUser(db, 'acme', 'u'))?.primaryOrganizationId).toBeNull();
  });

  it('authorities: system administrator holds all; App authorities through user, role, organization, sub-organization, position', async () => {
    const db = store.db;
    await storeDirectorySeed(db, 'acme', SEED);
    const who = (userId: string) => ({ workspaceId: 'acme', userId });
    await grantSystemAuthority(db, 'acme', 'u01', 'systemAdministrator');
    await grantSystemAuthority(db, 'acme', 'u25', 'userManager');
    expect(await hasSystemAuthority(db, who('u01'), 'userManager')).toBe(true);
    expect(await hasSystemAuthority(db, who('u25'), 'userManager')).toBe(true);
    expect(await hasSystemAuthority(db, who('u25'), 'systemAdministrator')).toBe(false);
    expect(await hasSystemAuthority(db, { workspaceId: 'other', userId: 'u01' }, 'userManager')).toBe(false);
    await expect(revokeSystemAuthority(db, 'acme', 'u01', 'systemAdministrator')).rejects.toEqual(
      refusal('conflict', /last/),
    );
    // The seed grants on App "expense": admin u01 + role approver (u24 u02 u12); process managers: finance leaders (u28);
    // data viewers: admin and everything below (u24..u30, u33).
    const app = async (userId: string, authority: 'appAdministrator' | 'processManager' | 'dataViewer') =>
      hasAppAuthority(db, who(userId), 'expense', authority);
    expect(await app('u01', 'appAdministrator')).toBe(true);
    expect(await app('u12', 'appAdministrator')).toBe(true);
    expect(await app('u13', 'appAdministrator')).toBe(false);
    expect(await app('u28', 'processManager')).toBe(true);
    expect(await app('u29', 'processManager')).toBe(false);
    expect(await app('u33', 'dataViewer')).toBe(true);
    expect(await app('u26', 'dataViewer')).toBe(true);
    expect(await app('u03', 'dataViewer')).toBe(false);
    expect(await hasAppAuthority(db, who('u01'), 'travel', 'appAdministrator')).toBe(false);
    expect(
      await hasAppAuthority(db, { workspaceId: 'other', userId: 'u01' }, 'expense', 'appAdministrator'),
    ).toBe(false);
    // A role's deletion takes its grants with it.
    await deleteRole(db, 'acme', 'approver');
    expect(await app('u12', 'appAdministrator')).toBe(false);
    await grantAppAuthority(db, 'acme', 'travel', 'dataViewer', { kind: 'user', user: 'u05' });
    await expect(
      grantAppAuthority(db, 'acme', 'travel', 'dataViewer', { kind: 'role', role: 'nope' }),
    ).rejects.toEqual(refusal('notFound', /role/));
  });

  it('deleting a user: memberships, roles, authorities and sessions go; tasks move to the delegate; in one transaction', async () => {
    const db = store.db;
    await createOrganization(db, 'acme', { id: 'o', name: 'O' });
    await createUser(db, 'acme', { id: 'leaving', name: 'L', email: 'l@example.com' });
    await createUser(db, 'acme', { id: 'taking', name: 'T', email: 't@example.com' });
    await setMembership(db, 'acme', 'o', 'leaving', 'leader');
    await createRole(db, 'acme', { id: 'r', name: 'R' });
    await addRoleMember(db, 'acme', 'r', 'leaving');
    await grantSystemAuthority(db, 'acme', 'leaving', 'appCreator');
    const session = await createSession(db, 'acme', 'leaving');
    const now = new Date().toISOString();
    const base = {
      seq: 1,
      app_id: 'x',
      node: 'n',
      name: null,
      lane: null,
      team: null,
      buttons: null,
      due_at: null,
      deadline: null,
      created_at: now,
      ended_at: null,
      completed_by: null,
    };
    await db
      .insertInto('task')
      .values([
        {
          ...base,
          id: 't1',
          workspace_id: 'acme',
          issue_id: 'i1',
          status: 'allocated',
          assignee: 'leaving',
          candidates: null,
        },
        {
          ...base,
          id: 't2',
          workspace_id: 'acme',
          issue_id: 'i2',
          status: 'offered',
          assignee: null,
          candidates: '["leaving","x"]',
        },
        {
          ...base,
          id: 't3',
          workspace_id: 'other',
          issue_id: 'i3',
          status: 'allocated',
          assignee: 'leaving',
          candidates: null,
        },
      ])
      .execute();
    // A bad delegate changes nothing.
    await expect(deleteUser(db, 'acme', 'leaving', { delegateId: 'ghost' })).rejects.toEqual(
      refusal('invalid', /delegateId/),
    );
    expect(await findUser(db, 'acme', 'leaving')).toBeDefined();
    expect(await findSession(db, session.sessionId)).toBeDefined();

    expect(await deleteUser(db, 'acme', 'leaving', { delegateId: 'taking', deletedBy: 'taking' })).toEqual({
      id: 'leaving',
      delegateId: 'taking',
      tasksMoved: 2,
    });
    expect(await findUser(db, 'acme', 'leaving')).toBeUndefined();
    expect(await findSession(db, session.sessionId)).toBeUndefined();
    expect(await db.selectFrom('membership').selectAll().where('user_id', '=', 'leaving').execute()).toEqual(
      [],
    );
    expect(await db.selectFrom('role_member').selectAll().where('user_id', '=', 'leaving').execute()).toEqual(
      [],
    );
    expect(
      await db.selectFrom('system_authority').selectAll().where('user_id', '=', 'leaving').execute(),
    ).toEqual([]);
    const tasks = await db
      .selectFrom('task')
      .select(['id', 'assignee', 'candidates'])
      .orderBy('id')
      .execute();
    expect(tasks).toEqual([
      { id: 't1', assignee: 'taking', candidates: null },
      { id: 't2', assignee: null, candidates: '["taking","x"]' },
      { id: 't3', assignee: 'leaving', candidates: null },
    ]);
    expect(await db.selectFrom('deleted_user').select(['id', 'delegate_id']).execute()).toEqual([
      { id: 'leaving', delegate_id: 'taking' },
    ]);
  });

  it('OAuth tokens: client credentials, refresh reuse revokes the family (on this dialect too)', async () => {
    const db = store.db;
    await createUser(db, 'acme', { id: 'admin', name: 'Admin', email: 'admin@example.com' });
    const { client } = await registerClient(db, 'acme', 'admin', {
      name: 'c',
      type: 'confidential',
      redirectUris: ['https://cb.example/cb'],
    });
    expect(await findClient(db, 'other', client.id)).toBeUndefined();
    const cc = await clientCredentials(db, client, 'read');
    expect(await findAccessToken(db, cc.access_token)).toMatchObject({
      workspaceId: 'acme',
      userId: 'admin',
      scopes: ['read'],
    });
    // A refresh family by hand: one refresh token, rotated, then reused.
    const familyId = 'family-1';
    await db
      .insertInto('oauth_token')
      .values({
        token_hash: secretHash('r0'),
        workspace_id: 'acme',
        kind: 'refresh',
        client_id: client.id,
        user_id: 'admin',
        scope: 'read any',
        family_id: familyId,
        created_at: new Date().toISOString(),
        expires_at: new Date(Date.now() + 60_000).toISOString(),
        used_at: null,
        revoked_at: null,
      })
      .execute();
    const next = await rotateRefreshToken(db, client, { refreshToken: 'r0', scope: 'read' });
    expect(next.scope).toBe('read');
    expect(await findAccessToken(db, next.access_token)).toBeDefined();
    await expect(
      rotateRefreshToken(db, client, { refreshToken: 'r0', scope: undefined }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(await findAccessToken(db, next.access_token)).toBeUndefined();
    await expect(
      rotateRefreshToken(db, client, { refreshToken: next.refresh_token!, scope: undefined }),
    ).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });
  it('bootstrapAdministrator: the first system administrator, once', async () => {
    const admin = await bootstrapAdministrator(store.db, 'acme', {
      name: 'Root',
      email: 'root@example.com',
      password: 'first-password',
    });
    expect(
      await hasSystemAuthority(store.db, { workspaceId: 'acme', userId: admin.id }, 'systemAdministrator'),
    ).toBe(true);
    await expect(
      bootstrapAdministrator(store.db, 'acme', {
        name: 'Again',
        email: 'again@example.com',
        password: 'first-password',
      }),
    ).rejects.toEqual(refusal('conflict', /already has/));
    await expect(
      bootstrapAdministrator(store.db, 'nowhere', {
        name: 'X',
        email: 'x@example.com',
        password: 'first-password',
      }),
    ).rejects.toEqual(refusal('notFound', /nowhere/));
    expect(await findUser(store.db, 'acme', admin.id)).toMatchObject({ hasPassword: true });
  });

  it('purgeExpiredCredentials deletes only what has expired', async () => {
    const db = store.db;
    await createUser(db, 'acme', { id: 'u', name: 'U', email: 'u@example.com' });
    const past = new Date(Date.now() - 24 * 3600_000);
    const old = await createSession(db, 'acme', 'u', past);
    const live = await createSession(db, 'acme', 'u');
    expect(await purgeExpiredCredentials(db)).toEqual({ sessions: 1, codes: 0, tokens: 0 });
    expect(await db.selectFrom('auth_session').select('id_hash').execute()).toEqual([
      { id_hash: secretHash(live.sessionId) },
    ]);
    expect(await findSession(db, old.sessionId)).toBeUndefined();
  });
  it('tokens expire: access after 12 h, refresh after 30 days, codes after 10 minutes', async () => {
    const db = store.db;
    await createUser(db, 'acme', { id: 'admin', name: 'Admin', email: 'admin@example.com' });
    const { client } = await registerClient(db, 'acme', 'admin', {
      name: 'c',
      type: 'confidential',
      redirectUris: ['https://cb.example/cb'],
    });
    const issuedAt = new Date('2026-01-01T00:00:00Z');
    const at = (hours: number) => new Date(issuedAt.getTime() + hours * 3600_000);
    const cc = await clientCredentials(db, client, 'read', issuedAt);
    expect(await findAccessToken(db, cc.access_token, at(11.9))).toBeDefined();
    expect(await findAccessToken(db, cc.access_token, at(12))).toBeUndefined();
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await createCode(
      db,
      {
        client,
        userId: 'admin',
        redirectUri: 'https://cb.example/cb',
        scopes: ['read'],
        codeChallenge: challenge,
      },
      issuedAt,
    );
    await expect(
      redeemCode(db, client, { code, redirectUri: 'https://cb.example/cb', codeVerifier: verifier }, at(0.2)),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
    const fresh = await createCode(
      db,
      {
        client,
        userId: 'admin',
        redirectUri: 'https://cb.example/cb',
        scopes: ['read'],
        codeChallenge: challenge,
      },
      issuedAt,
    );
    const tokens = await redeemCode(
      db,
      client,
      { code: fresh, redirectUri: 'https://cb.example/cb', codeVerifier: verifier },
      at(0.1),
    );
    await expect(
      rotateRefreshToken(
        db,
        client,
        { refreshToken: tokens.refresh_token!, scope: undefined },
        at(30 * 24 + 0.2),
      ),
    ).rejects.toMatchObject({ code: 'invalid_grant', message: expect.stringMatching(/expired/) });
    const next = await rotateRefreshToken(
      db,
      client,
      { refreshToken: tokens.refresh_token!, scope: undefined },
      at(29 * 24),
    );
    expect(next.expires_in).toBe(12 * 3600);
  });
});
