import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { secretHash, verifyPassword } from '../../identity/secrets.js';
import { findUserRow, findUserRowByEmail } from '../../identity/users.js';
import { workspaceAuthSettings } from '../../identity/workspaces.js';
import type { Database } from '../../store/schema.js';
import { findAccessToken } from './access-tokens.js';
import { type Principal, Unauthorized } from './principal.js';
import { findSession, SESSION_COOKIE } from './sessions.js';

/** The header naming the workspace for HTTP Basic (e-mail addresses are unique per workspace only). */
export const WORKSPACE_HEADER = 'nagare-workspace';
export const DEFAULT_WORKSPACE = 'default';

/** 401 with the `WWW-Authenticate` challenge of the scheme that failed. */
export class BadCredentials extends Unauthorized {
  readonly challenge: string;
  constructor(message: string, challenge: string) {
    super(message);
    this.challenge = challenge;
  }
}

/**
 * Remembers API passwords already verified, keyed by a hash of (workspace, header), with the
 * stored argon2 hash they were checked against: a repeat request skips argon2 (tens of ms)
 * while a changed or removed API password still fails at once (the stored hash differs).
 */
export class BasicVerifications {
  private readonly verified = new Map<string, string>();
  constructor(private readonly capacity = 1000) {}
  matches(key: string, storedHash: string): boolean {
    return this.verified.get(key) === storedHash;
  }
  remember(key: string, storedHash: string): void {
    if (this.verified.size >= this.capacity) this.verified.clear();
    this.verified.set(key, storedHash);
  }
}

/**
 * Who sent the request: `Authorization: Basic` or `Bearer` when present (a wrong one is a 401,
 * never a fallback to the cookie), else the session cookie (an unknown or expired one is
 * simply anonymous). Suspended and deleted users are never principals.
 */
export async function authenticate(
  db: Kysely<Database>,
  request: FastifyRequest,
  basic: BasicVerifications,
): Promise<{ principal: Principal; sessionId?: string } | undefined> {
  const header = request.headers.authorization;
  if (header !== undefined && header !== '') {
    const [scheme = '', value = ''] = header.split(/\s+/, 2);
    switch (scheme.toLowerCase()) {
      case 'basic':
        return { principal: await viaBasic(db, request, value, basic) };
      case 'bearer':
        return { principal: await viaBearer(db, value) };
      default:
        throw new BadCredentials(
          `Authorization scheme "${scheme}" is not Basic or Bearer`,
          'Basic realm="Nagare"',
        );
    }
  }
  const sessionId = request.cookies[SESSION_COOKIE];
  if (sessionId === undefined || sessionId === '') return undefined;
  const session = await findSession(db, sessionId);
  if (!session) return undefined;
  const user = await findUserRow(db, session.workspaceId, session.userId);
  if (user?.active !== 1) return undefined;
  return {
    principal: {
      workspaceId: session.workspaceId,
      userId: session.userId,
      via: 'session',
      scopes: ['read', 'any'],
    },
    sessionId,
  };
}

async function viaBasic(
  db: Kysely<Database>,
  request: FastifyRequest,
  value: string,
  basic: BasicVerifications,
): Promise<Principal> {
  const fail = (why: string) =>
    new BadCredentials(`HTTP Basic: ${why}`, 'Basic realm="Nagare", charset="UTF-8"');
  const header = request.headers[WORKSPACE_HEADER];
  const workspaceId = typeof header === 'string' && header !== '' ? header : DEFAULT_WORKSPACE;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw fail('send base64 of "<e-mail>:<API password>"');
  const email = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const settings = await workspaceAuthSettings(db, workspaceId);
  if (!settings.basicAuth) throw fail(`turned off in workspace "${workspaceId}"`);
  const user = await findUserRowByEmail(db, workspaceId, email);
  // One message for every wrong combination: do not tell which part was wrong.
  const wrong = fail(`wrong e-mail, API password or workspace`);
  if (user?.active !== 1 || user.api_password_hash === null) throw wrong;
  const key = secretHash(`${workspaceId}\n${value}`);
  if (!basic.matches(key, user.api_password_hash)) {
    if (!(await verifyPassword(user.api_password_hash, password))) throw wrong;
    basic.remember(key, user.api_password_hash);
  }
  return { workspaceId, userId: user.id, via: 'basic', scopes: ['read', 'any'] };
}

async function viaBearer(db: Kysely<Database>, token: string): Promise<Principal> {
  const invalid = new BadCredentials(
    'The Bearer token is unknown, expired or revoked',
    'Bearer realm="Nagare", error="invalid_token"',
  );
  if (token === '') throw invalid;
  const record = await findAccessToken(db, token);
  if (!record) throw invalid;
  const user = await findUserRow(db, record.workspaceId, record.userId);
  if (user?.active !== 1) throw invalid;
  return {
    workspaceId: record.workspaceId,
    userId: record.userId,
    via: 'oauth',
    scopes: record.scopes,
    clientId: record.clientId,
  };
}
