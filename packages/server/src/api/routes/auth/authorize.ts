import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../../store/database.js';
import { requestSessionId } from '../../auth/auth-plugin.js';
import { findClient, findClientAnywhere, type OAuthClient } from '../../auth/oauth-clients.js';
import { OAuthError } from '../../auth/oauth-error.js';
import { createCode, grantedScopes } from '../../auth/oauth-grants.js';
import { type Principal, Unauthorized } from '../../auth/principal.js';
import { csrfTokenFor } from '../../auth/sessions.js';
import { BadRequest, ErrorBody } from '../../errors.js';
import { escapeHtml, Html, hidden, page } from './html.js';

// Every field optional here: the route checks them itself, because an error after the client and
// redirect URI are known goes back to the client as a redirect (RFC 6749 §4.1.2.1), not as a 400.
const str = Type.Optional(Type.String({ maxLength: 4000 }));
const AuthorizeQuery = Type.Object({
  response_type: str,
  client_id: str,
  redirect_uri: str,
  scope: str,
  state: str,
  code_challenge: str,
  code_challenge_method: str,
});
type AuthorizeQuery = Static<typeof AuthorizeQuery>;
const Decision = Type.Composite([
  AuthorizeQuery,
  Type.Object({ decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]), csrf: str }),
]);

const SCOPE_TEXT = { read: 'read your data (GET requests only)', any: 'act as you (read and change)' };

/** Checks that cannot be answered by redirect: the client, and that the redirect URI is one of its own. */
async function knownClient(
  store: Store,
  principal: Principal | undefined,
  q: AuthorizeQuery,
): Promise<OAuthClient> {
  if (q.client_id === undefined) throw new BadRequest('client_id is missing');
  // Signed in: only the user's workspace's clients exist; not yet: any (the sign-in picks the workspace).
  const client = principal
    ? await findClient(store.db, principal.workspaceId, q.client_id)
    : await findClientAnywhere(store.db, q.client_id);
  if (!client) throw new BadRequest(`Unknown client_id "${q.client_id}"`);
  if (q.redirect_uri === undefined || !client.redirectUris.includes(q.redirect_uri)) {
    throw new BadRequest('redirect_uri is missing or is not registered for this client (matched exactly)');
  }
  return client;
}

/** The rest: PKCE S256 required, response_type code, scopes the client may have. */
function checkRequest(client: OAuthClient, q: AuthorizeQuery) {
  if (q.response_type !== 'code') {
    throw new OAuthError('unsupported_response_type', 'response_type must be "code"');
  }
  if (
    q.code_challenge_method !== 'S256' ||
    q.code_challenge === undefined ||
    !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge)
  ) {
    throw new OAuthError(
      'invalid_request',
      'PKCE is required: code_challenge (43 base64url characters) with code_challenge_method=S256',
    );
  }
  return { scopes: grantedScopes(client, q.scope), codeChallenge: q.code_challenge };
}

function redirectBack(reply: FastifyReply, redirectUri: string, params: Record<string, string | undefined>) {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  void reply.header('cache-control', 'no-store');
  return reply.redirect(url.toString(), 302);
}

function signedInBySession(request: FastifyRequest): Principal | undefined {
  return request.principal?.via === 'session' ? request.principal : undefined;
}

/** The authorization endpoint: a signed-in (cookie) user consents on a minimal HTML page. */
export const authorizeRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/oauth/authorize',
    {
      schema: {
        summary: 'OAuth 2.0 authorization endpoint (code + PKCE S256): the consent page',
        tags: ['oauth'],
        querystring: AuthorizeQuery,
        produces: ['text/html'],
        response: {
          200: Html('The consent page'),
          302: Type.Null({ description: 'To the sign-in page, or back to the client with an error' }),
          400: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const principal = signedInBySession(request);
      const client = await knownClient(store, principal, q);
      let checked: ReturnType<typeof checkRequest>;
      try {
        checked = checkRequest(client, q);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        return redirectBack(reply, client.redirectUris.find((u) => u === q.redirect_uri)!, {
          error: error.code,
          error_description: error.message,
          state: q.state,
        });
      }
      if (!principal) {
        const next = request.url;
        return reply.redirect(`/login?${new URLSearchParams({ next, workspace: client.workspaceId })}`, 302);
      }
      const sessionId = requestSessionId(request)!;
      const scopes = checked.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s])}</li>`).join('');
      void reply.header('cache-control', 'no-store').header('x-frame-options', 'DENY');
      return reply.type('text/html; charset=utf-8').send(
        page(
          'Allow access?',
          `<p><strong>${escapeHtml(client.name)}</strong> asks to:</p><ul>${scopes}</ul>
<form method="post" action="/oauth/authorize">
${hidden({
  response_type: 'code',
  client_id: client.id,
  redirect_uri: q.redirect_uri,
  scope: checked.scopes.join(' '),
  state: q.state,
  code_challenge: checked.codeChallenge,
  code_challenge_method: 'S256',
  csrf: csrfTokenFor(sessionId),
})}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
        ),
      );
    },
  );

  app.post(
    '/oauth/authorize',
    {
      schema: {
        summary: 'The consent form post: redirects to the client with a code (or access_denied)',
        tags: ['oauth'],
        consumes: ['application/x-www-form-urlencoded'],
        body: Decision,
        response: {
          302: Type.Null({ description: 'Back to the client: `code` and `state`, or `error`' }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const principal = signedInBySession(request);
      if (!principal) throw new Unauthorized('Sign in with the browser first');
      const body = request.body;
      const client = await knownClient(store, principal, body);
      let checked: ReturnType<typeof checkRequest>;
      try {
        checked = checkRequest(client, body);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        return redirectBack(reply, body.redirect_uri!, {
          error: error.code,
          error_description: error.message,
          state: body.state,
        });
      }
      if (body.decision === 'deny') {
        return redirectBack(reply, body.redirect_uri!, { error: 'access_denied', state: body.state });
      }
      const code = await createCode(store.db, {
        client,
        userId: principal.userId,
        redirectUri: body.redirect_uri!,
        scopes: checked.scopes,
        codeChallenge: checked.codeChallenge,
      });
      return redirectBack(reply, body.redirect_uri!, { code, state: body.state });
    },
  );
};
