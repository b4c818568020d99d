import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { randomSecret, sameSecret, secretHash } from '../../identity/secrets.js';
import { findUserRow } from '../../identity/users.js';
import type { OAuthTokenTable } from '../../store/schema/identity.js';
import type { Database } from '../../store/schema.js';
import { parseScopes } from './access-tokens.js';
import type { OAuthClient } from './oauth-clients.js';
import { OAuthError } from './oauth-error.js';
import type { Scope } from './principal.js';

export const ACCESS_TOKEN_TTL_S = 12 * 60 * 60;
export const REFRESH_TOKEN_TTL_S = 30 * 24 * 60 * 60;
export const CODE_TTL_S = 10 * 60;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

const later = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/**
 * The scopes a request may have: the asked ones (space-separated) if the client may have them
 * all, else invalid_scope; none asked: all the client's.
 */
export function grantedScopes(client: OAuthClient, requested: string | undefined): Scope[] {
  if (requested === undefined || requested.trim() === '') return [...client.scopes];
  const asked = [...new Set(requested.trim().split(/\s+/))];
  for (const s of asked) {
    if (s !== 'read' && s !== 'any')
      throw new OAuthError('invalid_scope', `Unknown scope "${s}" (read, any)`);
    if (!client.scopes.includes(s))
      throw new OAuthError('invalid_scope', `The client may not have scope "${s}"`);
  }
  return asked as Scope[];
}

/** An authorization code for the consent just given; single use, 10 minutes, PKCE S256 bound. */
export async function createCode(
  db: Kysely<Database>,
  args: {
    client: OAuthClient;
    userId: string;
    redirectUri: string;
    scopes: readonly Scope[];
    codeChallenge: string;
  },
  now = new Date(),
): Promise<string> {
  const code = randomSecret();
  await db
    .insertInto('oauth_code')
    .values({
      code_hash: secretHash(code),
      workspace_id: args.client.workspaceId,
      client_id: args.client.id,
      user_id: args.userId,
      redirect_uri: args.redirectUri,
      scope: args.scopes.join(' '),
      code_challenge: args.codeChallenge,
      expires_at: later(now, CODE_TTL_S),
      used_at: null,
    })
    .execute();
  return code;
}

async function issue(
  trx: Transaction<Database>,
  args: { client: OAuthClient; userId: string; scope: string; familyId: string; refresh: boolean },
  now: Date,
): Promise<TokenResponse> {
  const access = randomSecret();
  const base = {
    workspace_id: args.client.workspaceId,
    client_id: args.client.id,
    user_id: args.userId,
    scope: args.scope,
    family_id: args.familyId,
    created_at: now.toISOString(),
    used_at: null,
    revoked_at: null,
  };
  const rows: OAuthTokenTable[] = [
    {
      ...base,
      token_hash: secretHash(access),
      kind: 'access' as const,
      expires_at: later(now, ACCESS_TOKEN_TTL_S),
    },
  ];
  const refresh = args.refresh ? randomSecret() : undefined;
  if (refresh !== undefined) {
    rows.push({
      ...base,
      token_hash: secretHash(refresh),
      kind: 'refresh' as const,
      expires_at: later(now, REFRESH_TOKEN_TTL_S),
    });
  }
  await trx.insertInto('oauth_token').values(rows).execute();
  return {
    access_token: access,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_S,
    scope: args.scope,
    ...(refresh === undefined ? {} : { refresh_token: refresh }),
  };
}

async function checkUser(db: Kysely<Database> | Transaction<Database>, workspaceId: string, userId: string) {
  const user = await findUserRow(db, workspaceId, userId);
  if (user?.active !== 1) throw new OAuthError('invalid_grant', 'The user is suspended or deleted');
}

/** authorization_code: the code once, for the client and redirect_uri it was given to, with the PKCE verifier. */
export async function redeemCode(
  db: Kysely<Database>,
  client: OAuthClient,
  args: { code: string; redirectUri: string | undefined; codeVerifier: string | undefined },
  now = new Date(),
): Promise<TokenResponse> {
  if (args.codeVerifier === undefined || !/^[A-Za-z0-9._~-]{43,128}$/.test(args.codeVerifier)) {
    throw new OAuthError('invalid_request', 'code_verifier is missing or not 43-128 unreserved characters');
  }
  const verifier = args.codeVerifier;
  return db.transaction().execute(async (trx) => {
    const hash = secretHash(args.code);
    const row = await trx
      .selectFrom('oauth_code')
      .selectAll()
      .where('code_hash', '=', hash)
      .executeTakeFirst();
    const invalid = new OAuthError(
      'invalid_grant',
      'The code is unknown, expired, used, or not this client’s',
    );
    if (!row || row.client_id !== client.id || row.expires_at <= now.toISOString()) throw invalid;
    // Single use, even when two requests race: only one update finds it unused.
    const used = await trx
      .updateTable('oauth_code')
      .set({ used_at: now.toISOString() })
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw invalid;
    if (args.redirectUri !== row.redirect_uri) {
      throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request’s');
    }
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!sameSecret(challenge, row.code_challenge)) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge (S256)');
    }
    await checkUser(trx, row.workspace_id, row.user_id);
    return issue(
      trx,
      { client, userId: row.user_id, scope: row.scope, familyId: randomUUID(), refresh: true },
      now,
    );
  });
}

/**
 * refresh_token: rotated on every use (the old one stops working, a new one comes back). A
 * refresh token used twice means it leaked: the whole family (every token of that consent) is revoked.
 */
export async function rotateRefreshToken(
  db: Kysely<Database>,
  client: OAuthClient,
  args: { refreshToken: string; scope: string | undefined },
  now = new Date(),
): Promise<TokenResponse> {
  const outcome = await db.transaction().execute(async (trx) => {
    const hash = secretHash(args.refreshToken);
    const row = await trx
      .selectFrom('oauth_token')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (row?.kind !== 'refresh' || row.client_id !== client.id) {
      return new OAuthError('invalid_grant', 'The refresh token is unknown or not this client’s');
    }
    if (row.revoked_at !== null || row.expires_at <= now.toISOString()) {
      return new OAuthError('invalid_grant', 'The refresh token is expired or revoked');
    }
    const used = await trx
      .updateTable('oauth_token')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) {
      await trx
        .updateTable('oauth_token')
        .set({ revoked_at: now.toISOString() })
        .where('family_id', '=', row.family_id)
        .where('revoked_at', 'is', null)
        .execute();
      return new OAuthError(
        'invalid_grant',
        'The refresh token was already used: every token of this grant is now revoked',
      );
    }
    let scope = row.scope;
    if (args.scope !== undefined && args.scope.trim() !== '') {
      const had = parseScopes(row.scope);
      const asked = [...new Set(args.scope.trim().split(/\s+/))];
      const extra = asked.find((s) => !had.includes(s as Scope));
      if (extra !== undefined) return new OAuthError('invalid_scope', `Scope "${extra}" was not granted`);
      scope = asked.join(' ');
    }
    const user = await findUserRow(trx, row.workspace_id, row.user_id);
    if (user?.active !== 1) return new OAuthError('invalid_grant', 'The user is suspended or deleted');
    return issue(trx, { client, userId: row.user_id, scope, familyId: row.family_id, refresh: true }, now);
  });
  // Returned, not thrown, so the family revocation above commits.
  if (outcome instanceof OAuthError) throw outcome;
  return outcome;
}

/** client_credentials: a confidential client acting as its configured user; no refresh token. */
export async function clientCredentials(
  db: Kysely<Database>,
  client: OAuthClient,
  scope: string | undefined,
  now = new Date(),
): Promise<TokenResponse> {
  if (client.type !== 'confidential') {
    throw new OAuthError('unauthorized_client', 'A public client cannot use client_credentials');
  }
  const scopes = grantedScopes(client, scope);
  return db.transaction().execute(async (trx) => {
    await checkUser(trx, client.workspaceId, client.userId);
    return issue(
      trx,
      { client, userId: client.userId, scope: scopes.join(' '), familyId: randomUUID(), refresh: false },
      now,
    );
  });
}

/** RFC 7009: revoking a refresh token revokes its family; an unknown token is not an error. */
export async function revokeToken(db: Kysely<Database>, client: OAuthClient, token: string): Promise<void> {
  const row = await db
    .selectFrom('oauth_token')
    .select(['family_id', 'client_id', 'kind'])
    .where('token_hash', '=', secretHash(token))
    .executeTakeFirst();
  if (!row || row.client_id !== client.id) return;
  const now = new Date().toISOString();
  let query = db.updateTable('oauth_token').set({ revoked_at: now }).where('revoked_at', 'is', null);
  query =
    row.kind === 'refresh'
      ? query.where('family_id', '=', row.family_id)
      : query.where('token_hash', '=', secretHash(token));
  await query.execute();
}
