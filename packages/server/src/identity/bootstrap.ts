import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { grantSystemAuthority } from './authorities.js';
import { IdentityError } from './identity-error.js';
import { createUser, type User } from './users.js';

/**
 * The first system administrator of a workspace (no one can create users before one exists):
 * for the CLI and installers. Refused once the workspace has a system administrator.
 */
export async function bootstrapAdministrator(
  db: Kysely<Database>,
  workspaceId: string,
  input: { readonly name: string; readonly email: string; readonly password: string },
): Promise<User> {
  const existing = await db
    .selectFrom('system_authority')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('authority', '=', 'systemAdministrator')
    .executeTakeFirst();
  if (existing) {
    throw new IdentityError('conflict', `Workspace "${workspaceId}" already has a system administrator`);
  }
  const workspace = await db
    .selectFrom('workspace')
    .select('id')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (!workspace) throw new IdentityError('notFound', `No workspace with id "${workspaceId}"`);
  const user = await createUser(db, workspaceId, input);
  await grantSystemAuthority(db, workspaceId, user.id, 'systemAdministrator');
  return user;
}
