import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../../../src/identity/organizations.js';
import { createRole } from '../../../src/identity/roles.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

/**
 * Every system settings route refuses bad input with the coded error naming what is wrong —
 * wrong types, missing fields, unknown ids, ids from another workspace — and changes nothing.
 */
describe('system settings: rejected input, for every route', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;
  let ids: {
    org: string;
    role: string;
    otherOrg: string;
    otherRole: string;
    otherClient: string;
    grant: string;
  };
  let before: string;

  async function snapshot(): Promise<string> {
    const db = t.store.db;
    const tables = [
      'workspace_user',
      'deleted_user',
      'organization',
      'membership',
      'role',
      'role_member',
      'system_authority',
      'app_authority',
      'workspace_auth',
      'oauth_client',
      'oauth_code',
      'oauth_token',
    ] as const;
    const out: Record<string, unknown> = {};
    for (const table of tables) out[table] = await db.selectFrom(table).selectAll().execute();
    return JSON.stringify(out);
  }

  beforeAll(async () => {
    t = await buildTestApp();
    ws = await seedWorkspace(t.store, {
      workspaceId: 'default',
      users: [{ key: 'admin', authorities: ['systemAdministrator'] }, { key: 'plain' }],
    });
    other = await seedWorkspace(t.store, {
      workspaceId: 'other',
      users: [{ key: 'admin', authorities: ['systemAdministrator'] }],
    });
    const db = t.store.db;
    const org = await createOrganization(db, 'default', { name: 'Sales' });
    await createOrganization(db, 'default', { name: 'Sales Tokyo', parentId: org.id });
    const role = await createRole(db, 'default', { name: 'Auditor' });
    const otherOrg = await createOrganization(db, 'other', { name: 'Elsewhere' });
    const otherRole = await createRole(db, 'other', { name: 'Elsewhere' });
    const client = await t.app.inject({
      method: 'POST',
      url: '/api/system/oauth-clients',
      headers: other.users.admin!.headers,
      payload: { name: 'Other', type: 'public', redirectUris: ['https://other.example/cb'] },
    });
    const grant = await t.app.inject({
      method: 'POST',
      url: '/api/system/apps/expense/authorities',
      headers: ws.users.admin!.headers,
      payload: { authority: 'dataViewer', grant: { kind: 'role', role: role.id } },
    });
    ids = {
      org: org.id,
      role: role.id,
      otherOrg: otherOrg.id,
      otherRole: otherRole.id,
      otherClient: client.json().client.id,
      grant: grant.json().id,
    };
    before = await snapshot();
  });
  afterAll(async () => {
    await t.close();
  });

  interface Case {
    readonly name: string;
    readonly request: () => InjectOptions;
    readonly status: number;
    readonly code: string;
    readonly message?: RegExp;
    /** Default: as the system administrator. */
    readonly as?: 'admin' | 'plain' | 'nobody';
  }
  const admin = 'admin';
  const u = (key: string) => ws.users[key]!.id;
  const otherUser = () => other.users.admin!.id;

  const cases: Case[] = [
    // users
    {
      name: 'GET users: limit 0',
      request: () => ({ url: '/api/system/users?limit=0' }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /querystring\.limit/,
    },
    {
      name: 'GET users: limit not a number',
      request: () => ({ url: '/api/system/users?limit=many' }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /querystring\.limit/,
    },
    {
      name: 'GET users: anonymous',
      request: () => ({ url: '/api/system/users' }),
      as: 'nobody',
      status: 401,
      code: 'NAGARE_UNAUTHORIZED',
    },
    {
      name: 'GET user: unknown id',
      request: () => ({ url: '/api/system/users/nobody' }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
      message: /user with id "nobody"/,
    },
    {
      name: 'GET user: id of another workspace',
      request: () => ({ url: `/api/system/users/${otherUser()}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'POST user: missing email',
      request: () => ({ method: 'POST', url: '/api/system/users', payload: { name: 'A' } }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.email/,
    },
    {
      name: 'POST user: name of the wrong type',
      request: () => ({
        method: 'POST',
        url: '/api/system/users',
        payload: { name: 5, email: 'a@b.example' },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.name/,
    },
    {
      name: 'POST user: not an e-mail',
      request: () => ({ method: 'POST', url: '/api/system/users', payload: { name: 'A', email: 'nope' } }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /email "nope"/,
    },
    {
      name: 'POST user: unknown time zone',
      request: () => ({
        method: 'POST',
        url: '/api/system/users',
        payload: { name: 'A', email: 'a@b.example', timeZone: 'Mars/Olympus' },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /timeZone "Mars\/Olympus"/,
    },
    {
      name: 'POST user: language fr',
      request: () => ({
        method: 'POST',
        url: '/api/system/users',
        payload: { name: 'A', email: 'a@b.example', language: 'fr' },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.language/,
    },
    {
      name: 'POST user: short password',
      request: () => ({
        method: 'POST',
        url: '/api/system/users',
        payload: { name: 'A', email: 'a@b.example', password: 'short' },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.password/,
    },
    {
      name: 'POST user: unknown field',
      request: () => ({
        method: 'POST',
        url: '/api/system/users',
        payload: { name: 'A', email: 'a@b.example', role: 'x' },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'POST user: duplicate e-mail',
      request: () => ({
        method: 'POST',
        url: '/api/system/users',
        payload: { name: 'A', email: ws.users.plain!.email.toUpperCase() },
      }),
      status: 409,
      code: 'NAGARE_CONFLICT',
      message: /already used/,
    },
    {
      name: 'POST user: organization of another workspace',
      request: () => ({
        method: 'POST',
        url: '/api/system/users',
        payload: { name: 'A', email: 'a@b.example', primaryOrganizationId: ids.otherOrg },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /primaryOrganizationId/,
    },
    {
      name: 'POST user: not a user manager',
      as: 'plain',
      request: () => ({
        method: 'POST',
        url: '/api/system/users',
        payload: { name: 'A', email: 'a@b.example' },
      }),
      status: 403,
      code: 'NAGARE_FORBIDDEN',
    },
    {
      name: 'PATCH user: empty body',
      request: () => ({ method: 'PATCH', url: `/api/system/users/${u('plain')}`, payload: {} }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'PATCH user: active not a boolean',
      request: () => ({
        method: 'PATCH',
        url: `/api/system/users/${u('plain')}`,
        payload: { active: 'yes' },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.active/,
    },
    {
      name: 'PATCH user: unknown id',
      request: () => ({ method: 'PATCH', url: '/api/system/users/nobody', payload: { name: 'B' } }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'PATCH user: id of another workspace',
      request: () => ({ method: 'PATCH', url: `/api/system/users/${otherUser()}`, payload: { name: 'B' } }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'PATCH user: e-mail taken',
      request: () => ({
        method: 'PATCH',
        url: `/api/system/users/${u('plain')}`,
        payload: { email: ws.users.admin!.email },
      }),
      status: 409,
      code: 'NAGARE_CONFLICT',
    },
    {
      name: 'DELETE user: unknown id',
      request: () => ({ method: 'DELETE', url: '/api/system/users/nobody' }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'DELETE user: id of another workspace',
      request: () => ({ method: 'DELETE', url: `/api/system/users/${otherUser()}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'DELETE user: delegate of another workspace',
      request: () => ({ method: 'DELETE', url: `/api/system/users/${u('plain')}?delegateId=${otherUser()}` }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /delegateId/,
    },
    {
      name: 'GET me: anonymous',
      as: 'nobody',
      request: () => ({ url: '/api/system/me' }),
      status: 401,
      code: 'NAGARE_UNAUTHORIZED',
    },
    {
      name: 'PUT api-password: missing',
      request: () => ({ method: 'PUT', url: '/api/system/me/api-password', payload: {} }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.apiPassword/,
    },
    {
      name: 'PUT api-password: a number',
      request: () => ({
        method: 'PUT',
        url: '/api/system/me/api-password',
        payload: { apiPassword: 12345678 },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'PUT api-password: invalid JSON',
      request: () => ({
        method: 'PUT',
        url: '/api/system/me/api-password',
        headers: { 'content-type': 'application/json' },
        payload: '{"apiPassword":',
      }),
      status: 400,
      code: 'NAGARE_INVALID_JSON',
    },
    // organizations
    {
      name: 'GET organizations: parentId empty',
      request: () => ({ url: '/api/system/organizations?parentId=' }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /querystring\.parentId/,
    },
    {
      name: 'GET organization: unknown id',
      request: () => ({ url: '/api/system/organizations/nowhere' }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'GET organization: id of another workspace',
      request: () => ({ url: `/api/system/organizations/${ids.otherOrg}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'POST organization: missing name',
      request: () => ({ method: 'POST', url: '/api/system/organizations', payload: {} }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.name/,
    },
    {
      name: 'POST organization: blank name',
      request: () => ({ method: 'POST', url: '/api/system/organizations', payload: { name: '   ' } }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /name must not be blank/,
    },
    {
      name: 'POST organization: parent of another workspace',
      request: () => ({
        method: 'POST',
        url: '/api/system/organizations',
        payload: { name: 'X', parentId: ids.otherOrg },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /parentId/,
    },
    {
      name: 'POST organization: bad e-mail',
      request: () => ({
        method: 'POST',
        url: '/api/system/organizations',
        payload: { name: 'X', email: 'at@' },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /email/,
    },
    {
      name: 'POST organization: not a user manager',
      as: 'plain',
      request: () => ({ method: 'POST', url: '/api/system/organizations', payload: { name: 'X' } }),
      status: 403,
      code: 'NAGARE_FORBIDDEN',
    },
    {
      name: 'PATCH organization: itself as parent',
      request: () => ({
        method: 'PATCH',
        url: `/api/system/organizations/${ids.org}`,
        payload: { parentId: ids.org },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /below itself/,
    },
    {
      name: 'PATCH organization: unknown id',
      request: () => ({ method: 'PATCH', url: '/api/system/organizations/nowhere', payload: { name: 'Y' } }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'PATCH organization: name null',
      request: () => ({
        method: 'PATCH',
        url: `/api/system/organizations/${ids.org}`,
        payload: { name: null },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'DELETE organization: has sub-organizations',
      request: () => ({ method: 'DELETE', url: `/api/system/organizations/${ids.org}` }),
      status: 409,
      code: 'NAGARE_CONFLICT',
      message: /sub-organizations/,
    },
    {
      name: 'DELETE organization: id of another workspace',
      request: () => ({ method: 'DELETE', url: `/api/system/organizations/${ids.otherOrg}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    // memberships
    {
      name: 'GET memberships: limit -1',
      request: () => ({ url: '/api/system/memberships?limit=-1' }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'GET memberships: a cursor not from us',
      request: () => ({ url: '/api/system/memberships?cursor=garbage' }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /cursor/,
    },
    {
      name: 'PUT member: position boss',
      request: () => ({
        method: 'PUT',
        url: `/api/system/organizations/${ids.org}/members/${u('plain')}`,
        payload: { position: 'boss' },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.position/,
    },
    {
      name: 'PUT member: missing body',
      request: () => ({ method: 'PUT', url: `/api/system/organizations/${ids.org}/members/${u('plain')}` }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'PUT member: unknown organization',
      request: () => ({
        method: 'PUT',
        url: `/api/system/organizations/nowhere/members/${u('plain')}`,
        payload: { position: 'member' },
      }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
      message: /organization/,
    },
    {
      name: 'PUT member: user of another workspace',
      request: () => ({
        method: 'PUT',
        url: `/api/system/organizations/${ids.org}/members/${otherUser()}`,
        payload: { position: 'member' },
      }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
      message: /user/,
    },
    {
      name: 'PUT member: organization of another workspace',
      request: () => ({
        method: 'PUT',
        url: `/api/system/organizations/${ids.otherOrg}/members/${u('plain')}`,
        payload: { position: 'member' },
      }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'DELETE member: not a member',
      request: () => ({
        method: 'DELETE',
        url: `/api/system/organizations/${ids.org}/members/${u('plain')}`,
      }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
      message: /not a member/,
    },
    // roles
    {
      name: 'GET roles: limit 1000',
      request: () => ({ url: '/api/system/roles?limit=1000' }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'GET role: id of another workspace',
      request: () => ({ url: `/api/system/roles/${ids.otherRole}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'POST role: missing name',
      request: () => ({ method: 'POST', url: '/api/system/roles', payload: {} }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.name/,
    },
    {
      name: 'POST role: not a user manager',
      as: 'plain',
      request: () => ({ method: 'POST', url: '/api/system/roles', payload: { name: 'R' } }),
      status: 403,
      code: 'NAGARE_FORBIDDEN',
    },
    {
      name: 'PATCH role: name a number',
      request: () => ({ method: 'PATCH', url: `/api/system/roles/${ids.role}`, payload: { name: 5 } }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'PATCH role: id of another workspace',
      request: () => ({ method: 'PATCH', url: `/api/system/roles/${ids.otherRole}`, payload: { name: 'R' } }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'DELETE role: unknown',
      request: () => ({ method: 'DELETE', url: '/api/system/roles/none' }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'GET role members: id of another workspace',
      request: () => ({ url: `/api/system/roles/${ids.otherRole}/members` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'PUT role member: user of another workspace',
      request: () => ({ method: 'PUT', url: `/api/system/roles/${ids.role}/members/${otherUser()}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'PUT role member: role of another workspace',
      request: () => ({ method: 'PUT', url: `/api/system/roles/${ids.otherRole}/members/${u('plain')}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'DELETE role member: not held',
      request: () => ({ method: 'DELETE', url: `/api/system/roles/${ids.role}/members/${u('plain')}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    // authorities
    {
      name: 'GET authorities: anonymous',
      as: 'nobody',
      request: () => ({ url: '/api/system/authorities' }),
      status: 401,
      code: 'NAGARE_UNAUTHORIZED',
    },
    {
      name: 'PUT authority: unknown authority',
      request: () => ({ method: 'PUT', url: `/api/system/authorities/king/${u('plain')}` }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /params\.authority/,
    },
    {
      name: 'PUT authority: user of another workspace',
      request: () => ({ method: 'PUT', url: `/api/system/authorities/appCreator/${otherUser()}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'PUT authority: by a user manager',
      as: 'plain',
      request: () => ({ method: 'PUT', url: `/api/system/authorities/appCreator/${u('plain')}` }),
      status: 403,
      code: 'NAGARE_FORBIDDEN',
    },
    {
      name: 'DELETE authority: the last system administrator',
      request: () => ({ method: 'DELETE', url: `/api/system/authorities/systemAdministrator/${u('admin')}` }),
      status: 409,
      code: 'NAGARE_CONFLICT',
      message: /last system administrator/,
    },
    {
      name: 'DELETE authority: not held',
      request: () => ({ method: 'DELETE', url: `/api/system/authorities/userManager/${u('plain')}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'GET App authorities: anonymous',
      as: 'nobody',
      request: () => ({ url: '/api/system/apps/expense/authorities' }),
      status: 401,
      code: 'NAGARE_UNAUTHORIZED',
    },
    {
      name: 'POST App authority: unknown authority',
      request: () => ({
        method: 'POST',
        url: '/api/system/apps/expense/authorities',
        payload: { authority: 'owner', grant: { kind: 'user', user: u('plain') } },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'POST App authority: unknown grant kind',
      request: () => ({
        method: 'POST',
        url: '/api/system/apps/expense/authorities',
        payload: { authority: 'dataViewer', grant: { kind: 'team', team: 'x' } },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'POST App authority: missing grant',
      request: () => ({
        method: 'POST',
        url: '/api/system/apps/expense/authorities',
        payload: { authority: 'dataViewer' },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.grant/,
    },
    {
      name: 'POST App authority: organization of another workspace',
      request: () => ({
        method: 'POST',
        url: '/api/system/apps/expense/authorities',
        payload: { authority: 'dataViewer', grant: { kind: 'organization', organization: ids.otherOrg } },
      }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'POST App authority: not an administrator',
      as: 'plain',
      request: () => ({
        method: 'POST',
        url: '/api/system/apps/expense/authorities',
        payload: { authority: 'dataViewer', grant: { kind: 'user', user: u('plain') } },
      }),
      status: 403,
      code: 'NAGARE_FORBIDDEN',
    },
    {
      name: 'DELETE App authority: unknown grant',
      request: () => ({ method: 'DELETE', url: '/api/system/apps/expense/authorities/nope' }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'DELETE App authority: grant of another App',
      request: () => ({ method: 'DELETE', url: `/api/system/apps/travel/authorities/${ids.grant}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    // OAuth clients
    {
      name: 'GET clients: by a plain user',
      as: 'plain',
      request: () => ({ url: '/api/system/oauth-clients' }),
      status: 403,
      code: 'NAGARE_FORBIDDEN',
    },
    {
      name: 'GET client: id of another workspace',
      request: () => ({ url: `/api/system/oauth-clients/${ids.otherClient}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    {
      name: 'POST client: unknown type',
      request: () => ({
        method: 'POST',
        url: '/api/system/oauth-clients',
        payload: { name: 'C', type: 'secret', redirectUris: [] },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.type/,
    },
    {
      name: 'POST client: redirectUris not an array',
      request: () => ({
        method: 'POST',
        url: '/api/system/oauth-clients',
        payload: { name: 'C', type: 'public', redirectUris: 'https://a.example' },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.redirectUris/,
    },
    {
      name: 'POST client: a redirect URI that is no URL',
      request: () => ({
        method: 'POST',
        url: '/api/system/oauth-clients',
        payload: { name: 'C', type: 'public', redirectUris: ['/cb'] },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /redirectUris\[0\]/,
    },
    {
      name: 'POST client: plain http to another host',
      request: () => ({
        method: 'POST',
        url: '/api/system/oauth-clients',
        payload: {
          name: 'C',
          type: 'public',
          redirectUris: ['https://ok.example/cb', 'http://evil.example/cb'],
        },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /redirectUris\[1\].*https/,
    },
    {
      name: 'POST client: a fragment',
      request: () => ({
        method: 'POST',
        url: '/api/system/oauth-clients',
        payload: { name: 'C', type: 'public', redirectUris: ['https://ok.example/cb#x'] },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /fragment/,
    },
    {
      name: 'POST client: unknown scope',
      request: () => ({
        method: 'POST',
        url: '/api/system/oauth-clients',
        payload: { name: 'C', type: 'public', redirectUris: [], scopes: ['write'] },
      }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
    },
    {
      name: 'POST client: acting as a user of another workspace',
      request: () => ({
        method: 'POST',
        url: '/api/system/oauth-clients',
        payload: { name: 'C', type: 'confidential', redirectUris: [], userId: otherUser() },
      }),
      status: 400,
      code: 'NAGARE_BAD_REQUEST',
      message: /userId/,
    },
    {
      name: 'DELETE client: id of another workspace',
      request: () => ({ method: 'DELETE', url: `/api/system/oauth-clients/${ids.otherClient}` }),
      status: 404,
      code: 'NAGARE_NOT_FOUND',
    },
    // sign-in settings
    {
      name: 'PUT auth-settings: basicAuth a string',
      request: () => ({ method: 'PUT', url: '/api/system/auth-settings', payload: { basicAuth: 'no' } }),
      status: 400,
      code: 'NAGARE_INVALID_REQUEST',
      message: /body\.basicAuth/,
    },
    {
      name: 'PUT auth-settings: by a plain user',
      as: 'plain',
      request: () => ({ method: 'PUT', url: '/api/system/auth-settings', payload: { basicAuth: false } }),
      status: 403,
      code: 'NAGARE_FORBIDDEN',
    },
    {
      name: 'GET auth-settings: anonymous',
      as: 'nobody',
      request: () => ({ url: '/api/system/auth-settings' }),
      status: 401,
      code: 'NAGARE_UNAUTHORIZED',
    },
  ];

  it.each(cases)('$name → $status $code', async (c) => {
    const request = c.request();
    const as = c.as ?? admin;
    const headers = { ...(as === 'nobody' ? {} : ws.users[as]!.headers), ...(request.headers ?? {}) };
    const response = await t.app.inject({ ...request, headers });
    expect(response.statusCode, response.body).toBe(c.status);
    const body = response.json();
    expect(body.error.code).toBe(c.code);
    if (c.message) expect(body.error.message).toMatch(c.message);
  });

  it('changed nothing', async () => {
    expect(await snapshot()).toBe(before);
  });
});
