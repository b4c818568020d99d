import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { IdentityError } from './identity-error.js';
import { checkTimeZone } from './validate.js';

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
