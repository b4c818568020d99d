import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { RoleTable } from '../store/schema/identity.js';
import type { Database } from '../store/schema.js';
import { IdentityError, notFound } from './identity-error.js';
import { decodeCursor, encodeCursor, type Page, type PageRequest, pageSize, toPage } from './page.js';
import { checkName } from './validate.js';

/** A role (Questetra's role): a named set of users, across organizations. */
export interface Role {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

type Db = Kysely<Database> | Transaction<Database>;

const toRole = (row: RoleTable): Role => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

function findRow(db: Db, workspaceId: string, id: string) {
  return db
    .selectFrom('role')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findRole(db: Db, workspaceId: string, id: string): Promise<Role | undefined> {
  const row = await findRow(db, workspaceId, id);
  return row ? toRole(row) : undefined;
}

export async function createRole(
  db: Kysely<Database>,
  workspaceId: string,
  input: { readonly id?: string; readonly name: string },
): Promise<Role> {
  const id = input.id ?? randomUUID();
  const name = checkName(input.name, 'name');
  return db.transaction().execute(async (trx) => {
    if (await findRow(trx, workspaceId, id))
      throw new IdentityError('conflict', `A role with id "${id}" already exists`);
    const now = new Date().toISOString();
    const row: RoleTable = { workspace_id: workspaceId, id, name, created_at: now, updated_at: now };
    await trx.insertInto('role').values(row).execute();
    return toRole(row);
  });
}

export async function updateRole(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: { readonly name?: string },
): Promise<Role> {
  const name = patch.name === undefined ? undefined : checkName(patch.name, 'name');
  return db.transaction().execute(async (trx) => {
    const row = await findRow(trx, workspaceId, id);
    if (!row) throw notFound('role', id);
    const updated = { ...row, ...(name === undefined ? {} : { name }), updated_at: new Date().toISOString() };
    await trx
      .updateTable('role')
      .set({ name: updated.name, updated_at: updated.updated_at })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
    return toRole(updated);
  });
}

/** Deletes a role, its members and the App authorities granted to it. */
export async function deleteRole(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await findRow(trx, workspaceId, id))) throw notFound('role', id);
    await trx
      .deleteFrom('role_member')
      .where('workspace_id', '=', workspaceId)
      .where('role_id', '=', id)
      .execute();
    await trx
      .deleteFrom('app_authority')
      .where('workspace_id', '=', workspaceId)
      .where('grantee_kind', '=', 'role')
      .where('grantee_id', '=', id)
      .execute();
    await trx.deleteFrom('role').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  });
}

export async function listRoles(db: Db, workspaceId: string, request: PageRequest): Promise<Page<Role>> {
  const limit = pageSize(request);
  const after = decodeCursor(request.cursor);
  let query = db.selectFrom('role').selectAll().where('workspace_id', '=', workspaceId);
  if (after !== undefined) query = query.where('id', '>', after);
  const rows = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, toRole);
}

export async function addRoleMember(
  db: Kysely<Database>,
  workspaceId: string,
  roleId: string,
  userId: string,
) {
  await db.transaction().execute(async (trx) => {
    if (!(await findRow(trx, workspaceId, roleId))) throw notFound('role', roleId);
    const user = await trx
      .selectFrom('workspace_user')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw notFound('user', userId);
    await trx
      .insertInto('role_member')
      .values({
        workspace_id: workspaceId,
        role_id: roleId,
        user_id: userId,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'role_id', 'user_id']).doNothing())
      .execute();
  });
}

export async function removeRoleMember(
  db: Kysely<Database>,
  workspaceId: string,
  roleId: string,
  userId: string,
) {
  const result = await db
    .deleteFrom('role_member')
    .where('workspace_id', '=', workspaceId)
    .where('role_id', '=', roleId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new IdentityError('notFound', `User "${userId}" does not hold role "${roleId}"`);
  }
}

/** The user ids holding a role, in id order. */
export async function listRoleMembers(
  db: Db,
  workspaceId: string,
  roleId: string,
  request: PageRequest,
): Promise<Page<string>> {
  if (!(await findRow(db, workspaceId, roleId))) throw notFound('role', roleId);
  const limit = pageSize(request);
  const after = decodeCursor(request.cursor);
  let query = db
    .selectFrom('role_member')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('role_id', '=', roleId);
  if (after !== undefined) query = query.where('user_id', '>', after);
  const rows = await query
    .orderBy('user_id')
    .limit(limit + 1)
    .execute();
  const kept = rows.slice(0, limit).map((r) => r.user_id);
  const last = kept[kept.length - 1];
  return rows.length > limit && last ? { items: kept, nextCursor: encodeCursor(last) } : { items: kept };
}
