import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { WorkspaceUserTable } from '../store/schema/identity.js';
import type { Database } from '../store/schema.js';
import { IdentityError, notFound } from './identity-error.js';
import { decodeCursor, type Page, type PageRequest, pageSize, toPage } from './page.js';
import { hashPassword } from './secrets.js';
import { checkEmail, checkName, checkPassword, checkTimeZone } from './validate.js';

export type Language = 'en' | 'ja';

/** A user as the API shows it: never a password or API password, only whether one is set. */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
  readonly language: Language;
  readonly active: boolean;
  readonly primaryOrganizationId: string | null;
  readonly hasPassword: boolean;
  readonly hasApiPassword: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface UserInput {
  /** Made up (a UUID) when absent; seeds and imports give their own. */
  readonly id?: string;
  readonly name: string;
  readonly email: string;
  readonly password?: string;
  readonly apiPassword?: string;
  readonly timeZone?: string;
  readonly language?: Language;
  readonly active?: boolean;
  readonly primaryOrganizationId?: string | null;
}

export type UserPatch = Partial<Omit<UserInput, 'id' | 'password' | 'apiPassword'>> & {
  /** A string sets it, null removes it (the user can no longer sign in that way). */
  readonly password?: string | null;
  readonly apiPassword?: string | null;
};

type Db = Kysely<Database> | Transaction<Database>;

export function toUser(row: WorkspaceUserTable): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    timeZone: row.time_zone,
    language: row.language,
    active: row.active === 1,
    primaryOrganizationId: row.primary_organization_id,
    hasPassword: row.password_hash !== null,
    hasApiPassword: row.api_password_hash !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function checkPrimaryOrganization(db: Db, workspaceId: string, id: string | null | undefined) {
  if (id === undefined || id === null) return;
  const org = await db
    .selectFrom('organization')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!org) throw new IdentityError('invalid', `primaryOrganizationId: no organization with id "${id}"`);
}

async function checkEmailFree(db: Db, workspaceId: string, email: string, exceptId?: string) {
  const other = await db
    .selectFrom('workspace_user')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .executeTakeFirst();
  if (other && other.id !== exceptId) {
    throw new IdentityError('conflict', `email "${email}" is already used by user "${other.id}"`);
  }
}

export async function createUser(db: Kysely<Database>, workspaceId: string, input: UserInput): Promise<User> {
  const id = input.id ?? randomUUID();
  const name = checkName(input.name, 'name');
  const email = checkEmail(input.email, 'email');
  const timeZone = checkTimeZone(input.timeZone ?? 'UTC', 'timeZone');
  // Hash before the transaction: argon2 takes tens of milliseconds.
  const passwordHash =
    input.password === undefined ? null : await hashPassword(checkPassword(input.password, 'password'));
  const apiPasswordHash =
    input.apiPassword === undefined
      ? null
      : await hashPassword(checkPassword(input.apiPassword, 'apiPassword'));
  return db.transaction().execute(async (trx) => {
    const existing = await findUserRow(trx, workspaceId, id);
    if (existing) throw new IdentityError('conflict', `A user with id "${id}" already exists`);
    await checkEmailFree(trx, workspaceId, email);
    await checkPrimaryOrganization(trx, workspaceId, input.primaryOrganizationId);
    const now = new Date().toISOString();
    const row: WorkspaceUserTable = {
      workspace_id: workspaceId,
      id,
      name,
      email,
      password_hash: passwordHash,
      api_password_hash: apiPasswordHash,
      time_zone: timeZone,
      language: input.language ?? 'en',
      active: input.active === false ? 0 : 1,
      primary_organization_id: input.primaryOrganizationId ?? null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('workspace_user').values(row).execute();
    return toUser(row);
  });
}

export async function updateUser(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: UserPatch,
): Promise<User> {
  const changes: Partial<WorkspaceUserTable> = {};
  if (patch.name !== undefined) changes.name = checkName(patch.name, 'name');
  if (patch.email !== undefined) changes.email = checkEmail(patch.email, 'email');
  if (patch.timeZone !== undefined) changes.time_zone = checkTimeZone(patch.timeZone, 'timeZone');
  if (patch.language !== undefined) changes.language = patch.language;
  if (patch.active !== undefined) changes.active = patch.active ? 1 : 0;
  if (patch.primaryOrganizationId !== undefined)
    changes.primary_organization_id = patch.primaryOrganizationId;
  if (patch.password !== undefined) {
    changes.password_hash =
      patch.password === null ? null : await hashPassword(checkPassword(patch.password, 'password'));
  }
  if (patch.apiPassword !== undefined) {
    changes.api_password_hash =
      patch.apiPassword === null ? null : await hashPassword(checkPassword(patch.apiPassword, 'apiPassword'));
  }
  return db.transaction().execute(async (trx) => {
    const row = await findUserRow(trx, workspaceId, id);
    if (!row) throw notFound('user', id);
    if (changes.email !== undefined) await checkEmailFree(trx, workspaceId, changes.email, id);
    await checkPrimaryOrganization(trx, workspaceId, changes.primary_organization_id);
    const updated = { ...row, ...changes, updated_at: new Date().toISOString() };
    await trx
      .updateTable('workspace_user')
      .set({ ...changes, updated_at: updated.updated_at })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
    return toUser(updated);
  });
}

export function findUserRow(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<WorkspaceUserTable | undefined> {
  return db
    .selectFrom('workspace_user')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findUser(db: Db, workspaceId: string, id: string): Promise<User | undefined> {
  const row = await findUserRow(db, workspaceId, id);
  return row ? toUser(row) : undefined;
}

/** By e-mail (case-insensitive): for sign-in. */
export function findUserRowByEmail(
  db: Db,
  workspaceId: string,
  email: string,
): Promise<WorkspaceUserTable | undefined> {
  return db
    .selectFrom('workspace_user')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export async function listUsers(db: Db, workspaceId: string, request: PageRequest): Promise<Page<User>> {
  const limit = pageSize(request);
  const after = decodeCursor(request.cursor);
  let query = db.selectFrom('workspace_user').selectAll().where('workspace_id', '=', workspaceId);
  if (after !== undefined) query = query.where('id', '>', after);
  const rows = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, toUser);
}

export interface DeleteUserOptions {
  /** Who takes over the user's open tasks (assignee and candidate rows); recorded either way. */
  readonly delegateId?: string;
  readonly deletedBy?: string;
}

export interface DeleteUserResult {
  readonly id: string;
  readonly delegateId: string | null;
  /** Open tasks whose assignee or candidates now name the delegate. */
  readonly tasksMoved: number;
}

/**
 * Deletes a user in one transaction: their memberships, roles, authorities, sessions and OAuth
 * tokens go; a `deleted_user` row keeps their name and the delegate; their open tasks (offered
 * or allocated, this workspace only) move to the delegate.
 */
export async function deleteUser(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  options: DeleteUserOptions = {},
): Promise<DeleteUserResult> {
  return db.transaction().execute(async (trx) => {
    const row = await findUserRow(trx, workspaceId, id);
    if (!row) throw notFound('user', id);
    const delegateId = options.delegateId ?? null;
    if (delegateId !== null) {
      if (delegateId === id)
        throw new IdentityError('invalid', 'delegateId: a user cannot be their own delegate');
      const delegate = await findUserRow(trx, workspaceId, delegateId);
      if (!delegate) throw new IdentityError('invalid', `delegateId: no user with id "${delegateId}"`);
    }
    const now = new Date().toISOString();
    await trx
      .insertInto('deleted_user')
      .values({
        workspace_id: workspaceId,
        id,
        name: row.name,
        email: row.email,
        delegate_id: delegateId,
        deleted_by: options.deletedBy ?? null,
        deleted_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'id']).doUpdateSet({
          name: row.name,
          email: row.email,
          delegate_id: delegateId,
          deleted_by: options.deletedBy ?? null,
          deleted_at: now,
        }),
      )
      .execute();
    const ws = (t: 'membership' | 'role_member' | 'system_authority' | 'auth_session') =>
      trx.deleteFrom(t).where('workspace_id', '=', workspaceId).where('user_id', '=', id);
    await ws('membership').execute();
    await ws('role_member').execute();
    await ws('system_authority').execute();
    await ws('auth_session').execute();
    await trx
      .deleteFrom('app_authority')
      .where('workspace_id', '=', workspaceId)
      .where('grantee_kind', '=', 'user')
      .where('grantee_id', '=', id)
      .execute();
    await trx
      .updateTable('oauth_token')
      .set({ revoked_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    await trx
      .deleteFrom('workspace_user')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
    const tasksMoved = delegateId === null ? 0 : await moveOpenTasks(trx, workspaceId, id, delegateId, now);
    return { id, delegateId, tasksMoved };
  });
}

/** Open tasks of `from` (assignee, or among the JSON candidates) go to `to`. */
async function moveOpenTasks(
  trx: Transaction<Database>,
  workspaceId: string,
  from: string,
  to: string,
  _now: string,
): Promise<number> {
  const open = ['offered', 'allocated'] as const;
  const assigned = await trx
    .updateTable('task')
    .set({ assignee: to })
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', open)
    .where('assignee', '=', from)
    .executeTakeFirst();
  let moved = Number(assigned.numUpdatedRows);
  // Candidates are a JSON array of user ids: the LIKE narrows, the parse decides.
  const offered = await trx
    .selectFrom('task')
    .select(['id', 'candidates'])
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', open)
    .where('candidates', 'like', `%${JSON.stringify(from)}%`)
    .execute();
  for (const task of offered) {
    const candidates = JSON.parse(task.candidates ?? '[]') as string[];
    if (!candidates.includes(from)) continue;
    const next = [...new Set(candidates.map((c) => (c === from ? to : c)))];
    await trx
      .updateTable('task')
      .set({ candidates: JSON.stringify(next) })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', task.id)
      .execute();
    moved++;
  }
  return moved;
}

export interface DeletedUser {
  readonly id: string;
  readonly name: string;
  readonly delegateId: string | null;
  readonly deletedAt: string;
}

export async function findDeletedUser(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<DeletedUser | undefined> {
  const row = await db
    .selectFrom('deleted_user')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? { id: row.id, name: row.name, delegateId: row.delegate_id, deletedAt: row.deleted_at }
    : undefined;
}
