import type { Kysely } from 'kysely';
import { randomSecret, secretHash } from '../../identity/secrets.js';
import type { Database } from '../../store/schema.js';

/** Browser sessions live in the store (any node can check them); the cookie holds a random id, the row its hash. */
export const SESSION_COOKIE = 'nagare_session';
/** How long a session lasts after sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionRecord {
  readonly workspaceId: string;
  readonly userId: string;
  readonly expiresAt: string;
}

export async function createSession(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
  now = new Date(),
): Promise<{ sessionId: string; expiresAt: string }> {
  const sessionId = randomSecret();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await db
    .insertInto('auth_session')
    .values({
      id_hash: secretHash(sessionId),
      workspace_id: workspaceId,
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { sessionId, expiresAt };
}

/** The live session for a cookie value, or undefined (unknown, expired). */
export async function findSession(
  db: Kysely<Database>,
  sessionId: string,
  now = new Date(),
): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('auth_session')
    .select(['workspace_id', 'user_id', 'expires_at'])
    .where('id_hash', '=', secretHash(sessionId))
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return undefined;
  return { workspaceId: row.workspace_id, userId: row.user_id, expiresAt: row.expires_at };
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('auth_session').where('id_hash', '=', secretHash(sessionId)).execute();
}

/**
 * The CSRF token of a session: derived from the session id, so it needs no storage and every
 * node computes the same one. Cookie-session requests that change state must send it.
 */
export function csrfTokenFor(sessionId: string): string {
  return secretHash(`csrf:${sessionId}`);
}
