import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

const Metadata = Type.Object(
  {
    issuer: Type.String(),
    authorization_endpoint: Type.String(),
    token_endpoint: Type.String(),
    revocation_endpoint: Type.String(),
    response_types_supported: Type.Array(Type.String()),
    grant_types_supported: Type.Array(Type.String()),
    code_challenge_methods_supported: Type.Array(Type.String()),
    token_endpoint_auth_methods_supported: Type.Array(Type.String()),
    revocation_endpoint_auth_methods_supported: Type.Array(Type.String()),
    scopes_supported: Type.Array(Type.String()),
  },
  { title: 'AuthorizationServerMetadata' },
);

/** RFC 8414 metadata; the issuer is this server's origin as the client reached it. */
export const metadataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/.well-known/oauth-authorization-server',
    {
      config: { authenticate: false },
      schema: {
        summary: 'OAuth 2.0 authorization server metadata (RFC 8414)',
        tags: ['oauth'],
        response: { 200: Metadata },
      },
    },
    async (request) => {
      const https = request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
      const issuer = `${https ? 'https' : 'http'}://${request.host}`;
      const auth = ['client_secret_basic', 'client_secret_post', 'none'];
      return {
        issuer,
        authorization_endpoint: `${issuer}/oauth/authorize`,
        token_endpoint: `${issuer}/oauth/token`,
        revocation_endpoint: `${issuer}/oauth/revoke`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: auth,
        revocation_endpoint_auth_methods_supported: auth,
        scopes_supported: ['read', 'any'],
      };
    },
  );
};
