import type { Kysely } from 'kysely';
import { secretHash } from '../../identity/secrets.js';
import type { Database } from '../../store/schema.js';
import type { Scope } from './principal.js';

export interface AccessTokenRecord {
  readonly workspaceId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly scopes: readonly Scope[];
}

export function parseScopes(scope: string): Scope[] {
  return scope.split(' ').filter((s): s is Scope => s === 'read' || s === 'any');
}

/** The live (unexpired, unrevoked) access token for a Bearer value, or undefined. */
export async function findAccessToken(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<AccessTokenRecord | undefined> {
  const row = await db
    .selectFrom('oauth_token')
    .select(['workspace_id', 'user_id', 'client_id', 'scope', 'expires_at', 'revoked_at', 'kind'])
    .where('token_hash', '=', secretHash(token))
    .executeTakeFirst();
  if (row?.kind !== 'access' || row.revoked_at !== null || row.expires_at <= now.toISOString()) {
    return undefined;
  }
  return {
    workspaceId: row.workspace_id,
    userId: row.user_id,
    clientId: row.client_id,
    scopes: parseScopes(row.scope),
  };
}
