import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { IdentityError, notFound } from '../../identity/identity-error.js';
import { decodeCursor, type Page, type PageRequest, pageSize, toPage } from '../../identity/page.js';
import { randomSecret, sameSecret, secretHash } from '../../identity/secrets.js';
import { findUserRow } from '../../identity/users.js';
import { checkName } from '../../identity/validate.js';
import type { OAuthClientTable } from '../../store/schema/identity.js';
import type { Database } from '../../store/schema.js';
import type { Scope } from './principal.js';

/** An OAuth 2.0 client registered by an administrator (never its secret). */
export interface OAuthClient {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  /** `confidential`: has a secret (client_secret_basic / _post); `public`: none, PKCE only. */
  readonly type: 'confidential' | 'public';
  /** Compared exactly (no prefix, no pattern) with the authorization request's redirect_uri. */
  readonly redirectUris: string[];
  readonly scopes: Scope[];
  /** Whom client-credentials tokens act as. */
  readonly userId: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface OAuthClientInput {
  readonly name: string;
  readonly type: 'confidential' | 'public';
  readonly redirectUris: readonly string[];
  readonly scopes?: readonly Scope[];
  /** Default: the registering administrator. */
  readonly userId?: string;
}

const toClient = (row: OAuthClientTable): OAuthClient => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  type: row.type,
  redirectUris: JSON.parse(row.redirect_uris) as string[],
  scopes: JSON.parse(row.scopes) as Scope[],
  userId: row.user_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

function checkRedirectUri(uri: string, index: number): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new IdentityError('invalid', `redirectUris[${index}] "${uri}" is not an absolute URL`);
  }
  if (url.hash !== '' || uri.includes('#')) {
    throw new IdentityError('invalid', `redirectUris[${index}] "${uri}" must not have a fragment`);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new IdentityError(
      'invalid',
      `redirectUris[${index}] "${uri}" must use https (http only for loopback)`,
    );
  }
  if (url.protocol === 'javascript:' || url.protocol === 'data:') {
    throw new IdentityError('invalid', `redirectUris[${index}] "${uri}" has a forbidden scheme`);
  }
  return uri;
}

/** Registers a client; a confidential client's secret is returned here once and stored only hashed. */
export async function registerClient(
  db: Kysely<Database>,
  workspaceId: string,
  createdBy: string,
  input: OAuthClientInput,
): Promise<{ client: OAuthClient; clientSecret?: string }> {
  const name = checkName(input.name, 'name');
  const redirectUris = input.redirectUris.map(checkRedirectUri);
  const scopes: Scope[] =
    input.scopes && input.scopes.length > 0 ? [...new Set(input.scopes)] : ['read', 'any'];
  const userId = input.userId ?? createdBy;
  if (!(await findUserRow(db, workspaceId, userId))) {
    throw new IdentityError('invalid', `userId: no user with id "${userId}"`);
  }
  const clientSecret = input.type === 'confidential' ? randomSecret() : undefined;
  const row: OAuthClientTable = {
    id: randomUUID(),
    workspace_id: workspaceId,
    name,
    type: input.type,
    secret_hash: clientSecret === undefined ? null : secretHash(clientSecret),
    redirect_uris: JSON.stringify(redirectUris),
    scopes: JSON.stringify(scopes),
    user_id: userId,
    created_by: createdBy,
    created_at: new Date().toISOString(),
  };
  await db.insertInto('oauth_client').values(row).execute();
  return clientSecret === undefined ? { client: toClient(row) } : { client: toClient(row), clientSecret };
}

/** A client by its id, in any workspace (the token endpoint learns the workspace from it). */
export async function findClientAnywhere(
  db: Kysely<Database>,
  clientId: string,
): Promise<OAuthClient | undefined> {
  const row = await db.selectFrom('oauth_client').selectAll().where('id', '=', clientId).executeTakeFirst();
  return row ? toClient(row) : undefined;
}

export async function findClient(
  db: Kysely<Database>,
  workspaceId: string,
  clientId: string,
): Promise<OAuthClient | undefined> {
  const client = await findClientAnywhere(db, clientId);
  return client?.workspaceId === workspaceId ? client : undefined;
}

/** The client if the secret is right (confidential) or it is public and sent none. */
export async function authenticateClient(
  db: Kysely<Database>,
  clientId: string,
  secret: string | undefined,
): Promise<OAuthClient | undefined> {
  const row = await db.selectFrom('oauth_client').selectAll().where('id', '=', clientId).executeTakeFirst();
  if (!row) return undefined;
  if (row.secret_hash === null) return secret === undefined || secret === '' ? toClient(row) : undefined;
  if (secret === undefined || !sameSecret(secretHash(secret), row.secret_hash)) return undefined;
  return toClient(row);
}

export async function listClients(
  db: Kysely<Database>,
  workspaceId: string,
  request: PageRequest,
): Promise<Page<OAuthClient>> {
  const limit = pageSize(request);
  const after = decodeCursor(request.cursor);
  let query = db.selectFrom('oauth_client').selectAll().where('workspace_id', '=', workspaceId);
  if (after !== undefined) query = query.where('id', '>', after);
  const rows = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, toClient);
}

/** Deletes a client and revokes every token it was given. */
export async function deleteClient(
  db: Kysely<Database>,
  workspaceId: string,
  clientId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom('oauth_client')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', clientId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('OAuth client', clientId);
    await trx
      .updateTable('oauth_token')
      .set({ revoked_at: new Date().toISOString() })
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .execute();
    await trx.deleteFrom('oauth_code').where('client_id', '=', clientId).execute();
  });
}
