import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { OrganizationTable } from '../store/schema/identity.js';
import type { Database } from '../store/schema.js';
import { IdentityError, notFound } from './identity-error.js';
import { decodeCursor, type Page, type PageRequest, pageSize, toPage } from './page.js';
import { checkEmail, checkName } from './validate.js';

/** An organization in the workspace's tree (Questetra's organization/group), with an e-mail. */
export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly parentId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface OrganizationInput {
  readonly id?: string;
  readonly name: string;
  readonly email?: string | null;
  readonly parentId?: string | null;
}

type Db = Kysely<Database> | Transaction<Database>;

const toOrganization = (row: OrganizationTable): Organization => ({
  id: row.id,
  name: row.name,
  email: row.email,
  parentId: row.parent_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

function findRow(db: Db, workspaceId: string, id: string) {
  return db
    .selectFrom('organization')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findOrganization(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<Organization | undefined> {
  const row = await findRow(db, workspaceId, id);
  return row ? toOrganization(row) : undefined;
}

/** The parent must exist in the workspace, and must not be the organization itself or below it. */
async function checkParent(db: Db, workspaceId: string, id: string, parentId: string | null | undefined) {
  if (parentId === undefined || parentId === null) return;
  for (let at: string | null = parentId, depth = 0; at !== null; depth++) {
    if (at === id) {
      throw new IdentityError(
        'invalid',
        `parentId "${parentId}" would put organization "${id}" below itself`,
      );
    }
    const row = await findRow(db, workspaceId, at);
    if (!row) throw new IdentityError('invalid', `parentId: no organization with id "${at}"`);
    if (depth > 1000) throw new IdentityError('invalid', 'parentId: the organization tree has a cycle');
    at = row.parent_id;
  }
}

export async function createOrganization(
  db: Kysely<Database>,
  workspaceId: string,
  input: OrganizationInput,
): Promise<Organization> {
  const id = input.id ?? randomUUID();
  const name = checkName(input.name, 'name');
  const email = input.email === undefined || input.email === null ? null : checkEmail(input.email, 'email');
  return db.transaction().execute(async (trx) => {
    if (await findRow(trx, workspaceId, id)) {
      throw new IdentityError('conflict', `An organization with id "${id}" already exists`);
    }
    await checkParent(trx, workspaceId, id, input.parentId);
    const now = new Date().toISOString();
    const row: OrganizationTable = {
      workspace_id: workspaceId,
      id,
      name,
      email,
      parent_id: input.parentId ?? null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('organization').values(row).execute();
    return toOrganization(row);
  });
}

export async function updateOrganization(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Partial<Omit<OrganizationInput, 'id'>>,
): Promise<Organization> {
  const changes: Partial<OrganizationTable> = {};
  if (patch.name !== undefined) changes.name = checkName(patch.name, 'name');
  if (patch.email !== undefined)
    changes.email = patch.email === null ? null : checkEmail(patch.email, 'email');
  if (patch.parentId !== undefined) changes.parent_id = patch.parentId;
  return db.transaction().execute(async (trx) => {
    const row = await findRow(trx, workspaceId, id);
    if (!row) throw notFound('organization', id);
    await checkParent(trx, workspaceId, id, changes.parent_id);
    const updated_at = new Date().toISOString();
    await trx
      .updateTable('organization')
      .set({ ...changes, updated_at })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
    return toOrganization({ ...row, ...changes, updated_at });
  });
}

/**
 * Deletes an organization without sub-organizations (409 otherwise: move or delete them first);
 * its memberships and App authority grants go, users' primary organization is cleared.
 */
export async function deleteOrganization(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await findRow(trx, workspaceId, id))) throw notFound('organization', id);
    const child = await trx
      .selectFrom('organization')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('parent_id', '=', id)
      .executeTakeFirst();
    if (child) {
      throw new IdentityError('conflict', `Organization "${id}" has sub-organizations (e.g. "${child.id}")`);
    }
    await trx
      .deleteFrom('membership')
      .where('workspace_id', '=', workspaceId)
      .where('organization_id', '=', id)
      .execute();
    await trx
      .deleteFrom('app_authority')
      .where('workspace_id', '=', workspaceId)
      .where('grantee_kind', '=', 'organization')
      .where('grantee_id', '=', id)
      .execute();
    await trx
      .updateTable('workspace_user')
      .set({ primary_organization_id: null })
      .where('workspace_id', '=', workspaceId)
      .where('primary_organization_id', '=', id)
      .execute();
    await trx
      .deleteFrom('organization')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  });
}

export async function listOrganizations(
  db: Db,
  workspaceId: string,
  request: PageRequest & { readonly parentId?: string },
): Promise<Page<Organization>> {
  const limit = pageSize(request);
  const after = decodeCursor(request.cursor);
  let query = db.selectFrom('organization').selectAll().where('workspace_id', '=', workspaceId);
  if (request.parentId !== undefined) query = query.where('parent_id', '=', request.parentId);
  if (after !== undefined) query = query.where('id', '>', after);
  const rows = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, toOrganization);
}
