import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { IdentityError, notFound } from './identity-error.js';
import { checkName, checkTimeZone } from './validate.js';

export interface WorkspaceInput {
  readonly id?: string;
  readonly name: string;
  readonly timeZone?: string;
}

/** Creates a workspace (a tenant): every user, organization, role, client and token belongs to one. */
export async function createWorkspace(db: Kysely<Database>, input: WorkspaceInput): Promise<string> {
  const id = input.id ?? randomUUID();
  const timeZone = checkTimeZone(input.timeZone ?? 'UTC', 'timeZone');
  const existing = await db.selectFrom('workspace').select('id').where('id', '=', id).executeTakeFirst();
  if (existing) throw new IdentityError('conflict', `A workspace with id "${id}" already exists`);
  await db
    .insertInto('workspace')
    .values({ id, name: input.name, time_zone: timeZone, created_at: new Date().toISOString() })
    .execute();
  return id;
}

export async function workspaceExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('workspace').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}

/** The workspace's IANA time zone; undefined when there is no such workspace. */
export async function workspaceTimeZone(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('workspace')
    .select('time_zone')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return row?.time_zone;
}

/** What the system settings API shows and changes of the workspace itself. */
export interface WorkspaceSettings {
  readonly id: string;
  readonly name: string;
  /** IANA name; scripts run in it unless their step names another (read on every run, not cached). */
  readonly timeZone: string;
  readonly createdAt: string;
}

export interface WorkspaceSettingsPatch {
  readonly name?: string | undefined;
  readonly timeZone?: string | undefined;
}

export const MAX_WORKSPACE_NAME_LENGTH = 200;

export async function workspaceSettings(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<WorkspaceSettings> {
  const row = await db
    .selectFrom('workspace')
    .select(['id', 'name', 'time_zone', 'created_at'])
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) throw notFound('workspace', workspaceId);
  return { id: row.id, name: row.name, timeZone: row.time_zone, createdAt: row.created_at };
}

/**
 * Changes the workspace's name (trimmed, 1–200 characters) and/or time zone (IANA). Every field
 * is checked before anything is written: one invalid field and nothing changes.
 */
export async function updateWorkspaceSettings(
  db: Kysely<Database>,
  workspaceId: string,
  patch: WorkspaceSettingsPatch,
): Promise<WorkspaceSettings> {
  const set: { name?: string; time_zone?: string } = {};
  if (patch.name !== undefined) {
    const name = checkName(patch.name, 'name');
    if (name.length > MAX_WORKSPACE_NAME_LENGTH) {
      throw new IdentityError('invalid', `name must be at most ${MAX_WORKSPACE_NAME_LENGTH} characters`);
    }
    set.name = name;
  }
  if (patch.timeZone !== undefined) set.time_zone = checkTimeZone(patch.timeZone, 'timeZone');
  if (set.name !== undefined || set.time_zone !== undefined) {
    const result = await db
      .updateTable('workspace')
      .set(set)
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('workspace', workspaceId);
  }
  return workspaceSettings(db, workspaceId);
}

export interface WorkspaceAuthSettings {
  /** HTTP Basic with a user's API password (default on). */
  readonly basicAuth: boolean;
}

export async function workspaceAuthSettings(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<WorkspaceAuthSettings> {
  const row = await db
    .selectFrom('workspace_auth')
    .select('basic_auth')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return { basicAuth: row ? row.basic_auth === 1 : true };
}

export async function setWorkspaceAuthSettings(
  db: Kysely<Database>,
  workspaceId: string,
  settings: WorkspaceAuthSettings,
): Promise<WorkspaceAuthSettings> {
  const now = new Date().toISOString();
  await db
    .insertInto('workspace_auth')
    .values({ workspace_id: workspaceId, basic_auth: settings.basicAuth ? 1 : 0, updated_at: now })
    .onConflict((oc) =>
      oc.column('workspace_id').doUpdateSet({ basic_auth: settings.basicAuth ? 1 : 0, updated_at: now }),
    )
    .execute();
  return settings;
}
