import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

export interface PurgedCredentials {
  readonly sessions: number;
  readonly codes: number;
  readonly tokens: number;
}

/**
 * Deletes sessions, OAuth codes and tokens that can no longer be used (expired). They are
 * refused anyway; this only keeps the tables small. Revoked tokens stay until they expire, so a
 * reused refresh token is still recognised as reuse while it could have been valid.
 */
export async function purgeExpiredCredentials(
  db: Kysely<Database>,
  now = new Date(),
): Promise<PurgedCredentials> {
  const at = now.toISOString();
  const sessions = await db.deleteFrom('auth_session').where('expires_at', '<=', at).executeTakeFirst();
  const codes = await db.deleteFrom('oauth_code').where('expires_at', '<=', at).executeTakeFirst();
  const tokens = await db.deleteFrom('oauth_token').where('expires_at', '<=', at).executeTakeFirst();
  return {
    sessions: Number(sessions.numDeletedRows),
    codes: Number(codes.numDeletedRows),
    tokens: Number(tokens.numDeletedRows),
  };
}
