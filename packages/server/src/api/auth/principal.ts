import type { FastifyRequest } from 'fastify';
import { NagareError } from '../errors.js';

/** OAuth 2.0 scopes: `read` allows GET (and HEAD) only, `any` allows everything the user may do. */
export type Scope = 'read' | 'any';

/**
 * Who is calling: the signed-in user of a workspace and how they signed in. Set by the auth
 * plugin (auth-plugin.ts) from a session cookie, HTTP Basic (the user's API password) or an
 * OAuth 2.0 Bearer token; undefined for anonymous requests.
 */
export interface Principal {
  readonly workspaceId: string;
  readonly userId: string;
  readonly via: 'session' | 'basic' | 'oauth';
  /** Sessions and Basic get both scopes; OAuth tokens what was granted. */
  readonly scopes: readonly Scope[];
  /** The OAuth client, for `via: 'oauth'`. */
  readonly clientId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, or undefined when the request carries no (valid) credentials. */
    principal: Principal | undefined;
  }
}

/** 401 NAGARE_UNAUTHORIZED: the route needs a signed-in caller. */
export class Unauthorized extends NagareError {
  constructor(message = 'Sign in first: send a session cookie, HTTP Basic or a Bearer token') {
    super('NAGARE_UNAUTHORIZED', message);
  }
}

/** 403 NAGARE_FORBIDDEN: signed in, but without the authority the route needs. */
export class Forbidden extends NagareError {
  constructor(message: string) {
    super('NAGARE_FORBIDDEN', message);
  }
}

/** The caller, or a 401 NAGARE_UNAUTHORIZED. Routes that need a signed-in user start with this. */
export function requirePrincipal(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (principal === undefined) throw new Unauthorized();
  return principal;
}
