import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { grantAppAuthority, toGrant } from './authorities.js';
import {
  type AppAuthority,
  type AuthorityGrant,
  type Directory,
  type DirectorySeed,
  InMemoryDirectory,
} from './directory.js';
import { setMembership } from './memberships.js';
import { createOrganization } from './organizations.js';
import { addRoleMember, createRole } from './roles.js';
import { createUser } from './users.js';

export interface LoadDirectoryOptions {
  /** Load App authority grants of these Apps only (default: every App's). */
  readonly appIds?: readonly string[];
}

/**
 * The stored people of one workspace as a `Directory`. The resolver is synchronous, so the
 * store's directory is a snapshot: one query per table (workspace-scoped), then the same
 * in-memory indexes the tests use. Load it per resolution batch; it does not follow later changes.
 */
export async function loadDirectory(
  db: Kysely<Database>,
  workspaceId: string,
  options: LoadDirectoryOptions = {},
): Promise<Directory> {
  const [users, organizations, memberships, roles, roleMembers, grants] = await Promise.all([
    db
      .selectFrom('workspace_user')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .execute(),
    db.selectFrom('organization').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute(),
    db
      .selectFrom('membership')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('organization_id')
      .orderBy('user_id')
      .execute(),
    db.selectFrom('role').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute(),
    db
      .selectFrom('role_member')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('role_id')
      .orderBy('user_id')
      .execute(),
    (() => {
      let q = db.selectFrom('app_authority').selectAll().where('workspace_id', '=', workspaceId);
      if (options.appIds !== undefined) {
        if (options.appIds.length === 0) return Promise.resolve([]);
        q = q.where('app_id', 'in', options.appIds);
      }
      return q.orderBy('created_at').orderBy('id').execute();
    })(),
  ]);
  const members = new Map<string, string[]>();
  for (const rm of roleMembers) members.set(rm.role_id, [...(members.get(rm.role_id) ?? []), rm.user_id]);
  const authorities: Record<string, Partial<Record<AppAuthority, AuthorityGrant[]>>> = {};
  for (const g of grants) {
    const byApp = authorities[g.app_id] ?? {};
    authorities[g.app_id] = byApp;
    byApp[g.authority] = [...(byApp[g.authority] ?? []), toGrant(g)];
  }
  return new InMemoryDirectory({
    users: users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      active: u.active === 1,
      ...(u.primary_organization_id === null ? {} : { primaryOrganization: u.primary_organization_id }),
    })),
    organizations: organizations.map((o) => ({
      id: o.id,
      name: o.name,
      ...(o.email === null ? {} : { email: o.email }),
      ...(o.parent_id === null ? {} : { parent: o.parent_id }),
    })),
    memberships: memberships.map((m) => ({
      userId: m.user_id,
      organizationId: m.organization_id,
      position: m.position,
    })),
    roles: roles.map((r) => ({ id: r.id, name: r.name, members: members.get(r.id) ?? [] })),
    authorities,
  });
}

/**
 * Stores a directory seed (an org chart) into a workspace through the store functions, parents
 * before children. For tests, demos and imports; users get no passwords.
 */
export async function storeDirectorySeed(
  db: Kysely<Database>,
  workspaceId: string,
  seed: DirectorySeed,
): Promise<void> {
  const pending = [...seed.organizations];
  const stored = new Set<string>();
  while (pending.length > 0) {
    const index = pending.findIndex((o) => o.parent === undefined || stored.has(o.parent));
    const org = pending.splice(index === -1 ? 0 : index, 1)[0]!;
    await createOrganization(db, workspaceId, {
      id: org.id,
      name: org.name,
      email: org.email ?? null,
      parentId: org.parent ?? null,
    });
    stored.add(org.id);
  }
  for (const u of seed.users) {
    await createUser(db, workspaceId, {
      id: u.id,
      name: u.name,
      email: u.email,
      active: u.active !== false,
      primaryOrganizationId: u.primaryOrganization ?? null,
    });
  }
  for (const m of seed.memberships)
    await setMembership(db, workspaceId, m.organizationId, m.userId, m.position);
  for (const r of seed.roles ?? []) {
    await createRole(db, workspaceId, { id: r.id, name: r.name });
    for (const u of r.members) await addRoleMember(db, workspaceId, r.id, u);
  }
  for (const [appId, byAuthority] of Object.entries(seed.authorities ?? {})) {
    for (const [authority, grants] of Object.entries(byAuthority) as [AppAuthority, AuthorityGrant[]][]) {
      for (const g of grants) await grantAppAuthority(db, workspaceId, appId, authority, g);
    }
  }
}
