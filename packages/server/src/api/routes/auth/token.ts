import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../../store/database.js';
import { rateLimited } from '../../auth/auth-plugin.js';
import { authenticateClient, type OAuthClient } from '../../auth/oauth-clients.js';
import { OAuthError } from '../../auth/oauth-error.js';
import { clientCredentials, redeemCode, revokeToken, rotateRefreshToken } from '../../auth/oauth-grants.js';
import { ErrorBody } from '../../errors.js';

const str = Type.Optional(Type.String({ maxLength: 4000 }));
const TokenRequest = Type.Object({
  grant_type: str,
  code: str,
  redirect_uri: str,
  code_verifier: str,
  refresh_token: str,
  scope: str,
  client_id: str,
  client_secret: str,
});
type TokenRequest = Static<typeof TokenRequest>;
const TokenResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    scope: Type.String(),
    refresh_token: Type.Optional(Type.String()),
  },
  { title: 'TokenResponse' },
);
const OAuthErrorBody = Type.Object(
  { error: Type.String(), error_description: Type.Optional(Type.String()) },
  {
    title: 'OAuthError',
    description: 'RFC 6749 §5.2 (not the NAGARE_* format: OAuth clients parse this one)',
  },
);

/** client_secret_basic (Authorization header, form-encoded parts) or client_secret_post / public client_id. */
function clientCredentialsOf(request: FastifyRequest, body: TokenRequest): { id?: string; secret?: string } {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'Malformed client_secret_basic header');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replaceAll('+', ' '));
      } catch {
        throw new OAuthError('invalid_client', 'Malformed client_secret_basic header');
      }
    };
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  }
  return {
    ...(body.client_id === undefined ? {} : { id: body.client_id }),
    ...(body.client_secret === undefined ? {} : { secret: body.client_secret }),
  };
}

async function client(store: Store, request: FastifyRequest, body: TokenRequest): Promise<OAuthClient> {
  // RFC 6749 §3.2: form-encoded only (the app accepts JSON elsewhere, not here).
  if (!request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded');
  }
  const { id, secret } = clientCredentialsOf(request, body);
  if (id === undefined || id === '') throw new OAuthError('invalid_client', 'No client_id');
  const found = await authenticateClient(store.db, id, secret);
  if (!found) throw new OAuthError('invalid_client', 'Unknown client, or a wrong or missing client secret');
  return found;
}

function sendOAuthError(reply: FastifyReply, error: OAuthError) {
  if (error.code === 'invalid_client') void reply.header('www-authenticate', 'Basic realm="Nagare OAuth"');
  return reply.status(error.status).header('cache-control', 'no-store').send(error.toBody());
}

/** Per OAuth client (from the header or the form), like the per-user limit elsewhere. */
function clientKey(request: FastifyRequest): string {
  try {
    return `client:${clientCredentialsOf(request, (request.body ?? {}) as TokenRequest).id ?? request.ip}`;
  } catch {
    return `client:${request.ip}`;
  }
}

/** The token and revocation endpoints: they authenticate clients, not users (no session, no Basic user). */
export const tokenRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const config = {
    authenticate: false,
    csrf: false,
    rateLimit: {
      keyGenerator: clientKey,
      errorResponseBuilder: (_r: FastifyRequest, c: { max: number; after: string }) =>
        rateLimited(c.max, c.after),
    },
  };
  // A form that fails the schema (e.g. a repeated field) is still an OAuth invalid_request.
  const errorHandler = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) return sendOAuthError(reply, new OAuthError('invalid_request', error.message));
    throw error;
  };

  app.post(
    '/oauth/token',
    {
      config,
      errorHandler,
      schema: {
        summary:
          'OAuth 2.0 token endpoint: authorization_code (PKCE), refresh_token (rotated), client_credentials',
        tags: ['oauth'],
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequest,
        response: { 200: TokenResponse, 400: OAuthErrorBody, 401: OAuthErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const c = await client(store, request, body);
        let tokens: Static<typeof TokenResponse>;
        switch (body.grant_type) {
          case 'authorization_code':
            if (body.code === undefined) throw new OAuthError('invalid_request', 'code is missing');
            tokens = await redeemCode(store.db, c, {
              code: body.code,
              redirectUri: body.redirect_uri,
              codeVerifier: body.code_verifier,
            });
            break;
          case 'refresh_token':
            if (body.refresh_token === undefined)
              throw new OAuthError('invalid_request', 'refresh_token is missing');
            tokens = await rotateRefreshToken(store.db, c, {
              refreshToken: body.refresh_token,
              scope: body.scope,
            });
            break;
          case 'client_credentials':
            tokens = await clientCredentials(store.db, c, body.scope);
            break;
          case undefined:
            throw new OAuthError('invalid_request', 'grant_type is missing');
          default:
            throw new OAuthError(
              'unsupported_grant_type',
              `grant_type "${body.grant_type}" is not supported`,
            );
        }
        return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokens);
      } catch (error) {
        if (error instanceof OAuthError) return sendOAuthError(reply, error);
        throw error;
      }
    },
  );

  app.post(
    '/oauth/revoke',
    {
      config,
      errorHandler,
      schema: {
        summary: 'OAuth 2.0 token revocation (RFC 7009): a refresh token takes its whole grant with it',
        tags: ['oauth'],
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.Composite([TokenRequest, Type.Object({ token: str, token_type_hint: str })]),
        response: { 200: Type.Object({}), 400: OAuthErrorBody, 401: OAuthErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      try {
        const c = await client(store, request, request.body);
        if (request.body.token === undefined) throw new OAuthError('invalid_request', 'token is missing');
        await revokeToken(store.db, c, request.body.token);
        return reply.send({});
      } catch (error) {
        if (error instanceof OAuthError) return sendOAuthError(reply, error);
        throw error;
      }
    },
  );
};
