import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AppAuthorityTable } from '../store/schema/identity.js';
import type { Database } from '../store/schema.js';
import type { AppAuthority, AuthorityGrant, Position } from './directory.js';
import { IdentityError } from './identity-error.js';

/** Workspace-wide authorities (Questetra's system authorities), granted to users. */
export type SystemAuthority = 'systemAdministrator' | 'appCreator' | 'userManager';
export const SYSTEM_AUTHORITIES: readonly SystemAuthority[] = [
  'systemAdministrator',
  'appCreator',
  'userManager',
];
export const APP_AUTHORITIES: readonly AppAuthority[] = ['appAdministrator', 'processManager', 'dataViewer'];

/** Whom an authority check is about: a principal fits. */
export interface Caller {
  readonly workspaceId: string;
  readonly userId: string;
}

type Db = Kysely<Database> | Transaction<Database>;

async function userExists(db: Db, workspaceId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('workspace_user')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether the caller holds a system authority. A system administrator holds them all (as in
 * the product: the administrator can do what the user manager and App creator can).
 */
export async function hasSystemAuthority(
  db: Db,
  caller: Caller,
  authority: SystemAuthority,
): Promise<boolean> {
  const wanted: SystemAuthority[] =
    authority === 'systemAdministrator' ? ['systemAdministrator'] : [authority, 'systemAdministrator'];
  const row = await db
    .selectFrom('system_authority')
    .select('authority')
    .where('workspace_id', '=', caller.workspaceId)
    .where('user_id', '=', caller.userId)
    .where('authority', 'in', wanted)
    .executeTakeFirst();
  return row !== undefined;
}

export async function grantSystemAuthority(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
  authority: SystemAuthority,
): Promise<void> {
  if (!(await userExists(db, workspaceId, userId)))
    throw new IdentityError('notFound', `No user with id "${userId}"`);
  await db
    .insertInto('system_authority')
    .values({ workspace_id: workspaceId, authority, user_id: userId, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['workspace_id', 'authority', 'user_id']).doNothing())
    .execute();
}

/** Revokes; refuses to remove the workspace's last system administrator (no one could undo it). */
export async function revokeSystemAuthority(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
  authority: SystemAuthority,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const held = await trx
      .selectFrom('system_authority')
      .select('user_id')
      .where('workspace_id', '=', workspaceId)
      .where('authority', '=', authority)
      .execute();
    if (!held.some((r) => r.user_id === userId)) {
      throw new IdentityError('notFound', `User "${userId}" does not hold ${authority}`);
    }
    if (authority === 'systemAdministrator' && held.length === 1) {
      throw new IdentityError(
        'conflict',
        `User "${userId}" is the last system administrator of the workspace`,
      );
    }
    await trx
      .deleteFrom('system_authority')
      .where('workspace_id', '=', workspaceId)
      .where('authority', '=', authority)
      .where('user_id', '=', userId)
      .execute();
  });
}

export interface SystemAuthorityGrant {
  readonly authority: SystemAuthority;
  readonly userId: string;
}

export async function listSystemAuthorities(db: Db, workspaceId: string): Promise<SystemAuthorityGrant[]> {
  const rows = await db
    .selectFrom('system_authority')
    .select(['authority', 'user_id'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('authority')
    .orderBy('user_id')
    .execute();
  return rows.map((r) => ({ authority: r.authority, userId: r.user_id }));
}

/** An App authority grant as stored, with its id (for revoking). */
export type AppAuthorityRecord = AuthorityGrant & {
  readonly id: string;
  readonly appId: string;
  readonly authority: AppAuthority;
};

export function toGrant(row: AppAuthorityTable): AuthorityGrant {
  switch (row.grantee_kind) {
    case 'user':
      return { kind: 'user', user: row.grantee_id };
    case 'role':
      return { kind: 'role', role: row.grantee_id };
    case 'organization':
      return {
        kind: 'organization',
        organization: row.grantee_id,
        ...(row.include_sub_organizations === 1 ? { includeSubOrganizations: true } : {}),
        ...(row.position === null ? {} : { position: row.position }),
      };
  }
}

const toRecord = (row: AppAuthorityTable): AppAuthorityRecord => ({
  ...toGrant(row),
  id: row.id,
  appId: row.app_id,
  authority: row.authority,
});

/** Grants an App authority to a user, an organization or a role of the workspace. */
export async function grantAppAuthority(
  db: Kysely<Database>,
  workspaceId: string,
  appId: string,
  authority: AppAuthority,
  grant: AuthorityGrant,
): Promise<AppAuthorityRecord> {
  const [table, granteeId] =
    grant.kind === 'user'
      ? (['workspace_user', grant.user] as const)
      : grant.kind === 'role'
        ? (['role', grant.role] as const)
        : (['organization', grant.organization] as const);
  const found = await db
    .selectFrom(table)
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', granteeId)
    .executeTakeFirst();
  if (!found) throw new IdentityError('notFound', `No ${grant.kind} with id "${granteeId}"`);
  const row: AppAuthorityTable = {
    workspace_id: workspaceId,
    id: randomUUID(),
    app_id: appId,
    authority,
    grantee_kind: grant.kind,
    grantee_id: granteeId,
    include_sub_organizations: grant.kind === 'organization' && grant.includeSubOrganizations ? 1 : 0,
    position: grant.kind === 'organization' ? (grant.position ?? null) : null,
    created_at: new Date().toISOString(),
  };
  await db.insertInto('app_authority').values(row).execute();
  return toRecord(row);
}

export async function revokeAppAuthority(
  db: Kysely<Database>,
  workspaceId: string,
  appId: string,
  grantId: string,
) {
  const result = await db
    .deleteFrom('app_authority')
    .where('workspace_id', '=', workspaceId)
    .where('app_id', '=', appId)
    .where('id', '=', grantId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new IdentityError('notFound', `No authority grant with id "${grantId}" on App "${appId}"`);
  }
}

export async function listAppAuthorities(
  db: Db,
  workspaceId: string,
  appId: string,
): Promise<AppAuthorityRecord[]> {
  const rows = await db
    .selectFrom('app_authority')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('app_id', '=', appId)
    .orderBy('authority')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** The organization and every organization above it, nearest first. */
async function ancestry(db: Db, workspaceId: string, organizationId: string): Promise<string[]> {
  const out: string[] = [];
  for (let at: string | null = organizationId; at !== null && !out.includes(at); ) {
    out.push(at);
    const row = await db
      .selectFrom('organization')
      .select('parent_id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', at)
      .executeTakeFirst();
    at = row?.parent_id ?? null;
  }
  return out;
}

function positionMatches(position: Position, filter: Position | undefined): boolean {
  return filter === undefined || filter === position;
}

/**
 * Whether the caller holds an App authority, through a grant to them, to a role they hold, or
 * to an organization they belong to (with the grant's position and sub-organization rules,
 * like the swimlane `authority` rule).
 */
export async function hasAppAuthority(
  db: Db,
  caller: Caller,
  appId: string,
  authority: AppAuthority,
): Promise<boolean> {
  const grants = (
    await db
      .selectFrom('app_authority')
      .selectAll()
      .where('workspace_id', '=', caller.workspaceId)
      .where('app_id', '=', appId)
      .where('authority', '=', authority)
      .execute()
  ).map(toGrant);
  if (grants.length === 0) return false;
  if (grants.some((g) => g.kind === 'user' && g.user === caller.userId)) return true;
  const roles = grants.flatMap((g) => (g.kind === 'role' ? [g.role] : []));
  if (roles.length > 0) {
    const held = await db
      .selectFrom('role_member')
      .select('role_id')
      .where('workspace_id', '=', caller.workspaceId)
      .where('user_id', '=', caller.userId)
      .where('role_id', 'in', roles)
      .executeTakeFirst();
    if (held) return true;
  }
  const orgGrants = grants.flatMap((g) => (g.kind === 'organization' ? [g] : []));
  if (orgGrants.length === 0) return false;
  const memberships = await db
    .selectFrom('membership')
    .select(['organization_id', 'position'])
    .where('workspace_id', '=', caller.workspaceId)
    .where('user_id', '=', caller.userId)
    .execute();
  for (const m of memberships) {
    const above = await ancestry(db, caller.workspaceId, m.organization_id);
    for (const g of orgGrants) {
      const covered = g.includeSubOrganizations
        ? above.includes(g.organization)
        : m.organization_id === g.organization;
      if (covered && positionMatches(m.position, g.position)) return true;
    }
  }
  return false;
}
