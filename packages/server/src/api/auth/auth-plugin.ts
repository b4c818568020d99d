import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameSecret } from '../../identity/secrets.js';
import type { Store } from '../../store/database.js';
import { NagareError } from '../errors.js';
import { authenticate, BadCredentials, BasicVerifications } from './authenticate.js';
import { csrfTokenFor } from './sessions.js';

export interface AuthOptions {
  /** Requests per user (session, Basic) or per OAuth client in `timeWindowMs`; default 1200 a minute. */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number };
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session id a request was authenticated with (for logout and the CSRF token). */
const sessionIds = new WeakMap<FastifyRequest, string>();
export function requestSessionId(request: FastifyRequest): string | undefined {
  return sessionIds.get(request);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: skip the CSRF check (sign-in itself). */
    csrf?: boolean;
    /** `false`: do not read credentials at all (the OAuth token endpoint authenticates clients itself). */
    authenticate?: boolean;
  }
}

/** The rate-limit key: per OAuth client, else per user; anonymous requests are not limited here. */
export function rateLimitKey(request: FastifyRequest): string {
  const p = request.principal;
  if (p === undefined) return 'anonymous';
  return p.clientId !== undefined ? `client:${p.clientId}` : `user:${p.workspaceId}:${p.userId}`;
}

export const rateLimited = (max: number, after: string): NagareError =>
  new NagareError('NAGARE_RATE_LIMITED', `Too many requests: at most ${max}, retry in ${after}`);

/**
 * Sets `request.principal` on every request (docs/auth.md): session cookie, HTTP Basic or
 * Bearer; enforces the OAuth `read` scope (GET only), CSRF tokens for cookie sessions that
 * change state, and per-user / per-client rate limits. Registered before every route plugin.
 */
async function authPlugin(
  app: FastifyInstance,
  options: { store: Store; auth?: AuthOptions },
): Promise<void> {
  const db = options.store.db;
  const basic = new BasicVerifications();
  await app.register(cookie);
  app.decorateRequest('principal', undefined);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.authenticate === false) return;
    try {
      const result = await authenticate(db, request, basic);
      if (!result) return;
      request.principal = result.principal;
      if (result.sessionId !== undefined) sessionIds.set(request, result.sessionId);
    } catch (error) {
      if (error instanceof BadCredentials) void reply.header('www-authenticate', error.challenge);
      throw error;
    }
    const p = request.principal;
    if (p && !p.scopes.includes('any') && !SAFE_METHODS.has(request.method)) {
      throw new NagareError(
        'NAGARE_INSUFFICIENT_SCOPE',
        `The token's scope is "${p.scopes.join(' ')}": ${request.method} needs scope "any"`,
      );
    }
  });

  // After body parsing (a form may carry the token as `csrf`), before the schema check.
  app.addHook('preValidation', async (request) => {
    const sessionId = sessionIds.get(request);
    if (sessionId === undefined || SAFE_METHODS.has(request.method)) return;
    if (request.routeOptions.config?.csrf === false) return;
    const header = request.headers[CSRF_HEADER];
    const body = request.body as { csrf?: unknown } | undefined;
    const sent = typeof header === 'string' ? header : typeof body?.csrf === 'string' ? body.csrf : undefined;
    if (sent === undefined || !sameSecret(sent, csrfTokenFor(sessionId))) {
      throw new NagareError(
        'NAGARE_CSRF',
        `A signed-in browser request that changes state needs the ${CSRF_HEADER} header (see GET /api/auth/session)`,
      );
    }
  });

  const limit = options.auth?.rateLimit ?? { max: 1200, timeWindowMs: 60_000 };
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    keyGenerator: rateLimitKey,
    allowList: (_request, key) => key === 'anonymous',
    errorResponseBuilder: (_request, context) => rateLimited(context.max, context.after),
  });
}

// Not encapsulated: the decoration and hooks apply to every route (what fastify-plugin does).
(authPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export { authPlugin };
