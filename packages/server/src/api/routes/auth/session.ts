import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { hashPassword, randomSecret, verifyPassword } from '../../../identity/secrets.js';
import { findUserRowByEmail, toUser } from '../../../identity/users.js';
import type { Store } from '../../../store/database.js';
import type { Database } from '../../../store/schema.js';
import { requestSessionId } from '../../auth/auth-plugin.js';
import { DEFAULT_WORKSPACE } from '../../auth/authenticate.js';
import { requirePrincipal, Unauthorized } from '../../auth/principal.js';
import {
  createSession,
  csrfTokenFor,
  deleteSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
} from '../../auth/sessions.js';
import { ErrorBody } from '../../errors.js';
import { User } from '../system/schemas.js';
import { escapeHtml, Html, hidden, page, safeNext } from './html.js';

const tags = ['auth'];
const Login = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
    workspace: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Default: "default"' }),
    ),
  },
  { additionalProperties: false },
);
const LoginResult = Type.Object(
  {
    user: User,
    csrfToken: Type.String({
      description: 'Send as X-CSRF-Token on POST/PUT/PATCH/DELETE with this session',
    }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { title: 'LoginResult' },
);
const SessionInfo = Type.Object(
  {
    workspaceId: Type.String(),
    userId: Type.String(),
    via: Type.Union([Type.Literal('session'), Type.Literal('basic'), Type.Literal('oauth')]),
    scopes: Type.Array(Type.Union([Type.Literal('read'), Type.Literal('any')])),
    clientId: Type.Optional(Type.String()),
    csrfToken: Type.Optional(Type.String({ description: 'Cookie sessions only' })),
  },
  { title: 'SessionInfo' },
);

/** Sign-in: an HttpOnly, SameSite=Lax cookie (Secure behind HTTPS) naming a session stored server-side. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;
  const loginLimit = { max: 10, timeWindow: 60_000, keyGenerator: (r: FastifyRequest) => `login:${r.ip}` };

  app.post(
    '/api/auth/login',
    {
      config: { csrf: false, rateLimit: loginLimit },
      schema: {
        summary: 'Sign in with e-mail and password: sets the session cookie',
        tags,
        body: Login,
        response: { 200: LoginResult, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const signedIn = await signIn(
        db,
        reply,
        request,
        request.body.workspace ?? DEFAULT_WORKSPACE,
        email,
        password,
      );
      if (!signedIn) throw new Unauthorized('Wrong e-mail, password or workspace');
      return signedIn;
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        summary: 'Sign out: the session is deleted on the server and the cookie cleared',
        tags,
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      const sessionId = requestSessionId(request);
      if (sessionId !== undefined) await deleteSession(db, sessionId);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/session',
    {
      schema: {
        summary: 'Who is signed in, and the CSRF token of a cookie session',
        tags,
        response: { 200: SessionInfo, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const sessionId = requestSessionId(request);
      void reply.header('cache-control', 'no-store');
      return {
        ...p,
        scopes: [...p.scopes],
        ...(sessionId === undefined ? {} : { csrfToken: csrfTokenFor(sessionId) }),
      };
    },
  );

  // The HTML sign-in the OAuth authorize page sends people to (the web app replaces it later).
  const LoginPageQuery = Type.Object({
    next: Type.Optional(Type.String({ maxLength: 4000 })),
    workspace: Type.Optional(Type.String({ maxLength: 200 })),
  });
  app.get(
    '/login',
    {
      schema: {
        summary: 'Sign-in page (HTML)',
        tags,
        querystring: LoginPageQuery,
        produces: ['text/html'],
        response: { 200: Html('The sign-in form'), 400: ErrorBody },
      },
    },
    async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(loginPage(safeNext(request.query.next), request.query.workspace)),
  );
  app.post(
    '/login',
    {
      config: { csrf: false, rateLimit: loginLimit },
      schema: {
        summary: 'Sign-in form post (HTML): on success, a redirect to `next`',
        tags,
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.Object({
          email: Type.String({ maxLength: 320 }),
          password: Type.String({ maxLength: 1000 }),
          workspace: Type.Optional(Type.String({ maxLength: 200 })),
          next: Type.Optional(Type.String({ maxLength: 4000 })),
        }),
        response: {
          303: Type.Null({ description: 'Signed in: to `next` (same-site paths only)' }),
          400: ErrorBody,
          401: Html('The form again, saying the sign-in failed'),
          429: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { email, password, next, workspace } = request.body;
      const signedIn = await signIn(db, reply, request, workspace || DEFAULT_WORKSPACE, email, password);
      if (!signedIn) {
        return reply
          .status(401)
          .type('text/html; charset=utf-8')
          .send(loginPage(safeNext(next), workspace, 'Wrong e-mail, password or workspace.'));
      }
      return reply.redirect(safeNext(next), 303);
    },
  );
};

async function signIn(
  db: Kysely<Database>,
  reply: FastifyReply,
  request: FastifyRequest,
  workspaceId: string,
  email: string,
  password: string,
) {
  const user = await findUserRowByEmail(db, workspaceId, email);
  if (user?.active !== 1 || user.password_hash === null) {
    // As slow as a wrong password, so the answer time does not tell which addresses exist.
    await verifyPassword(await dummyHash(), password);
    return undefined;
  }
  if (!(await verifyPassword(user.password_hash, password))) return undefined;
  const { sessionId, expiresAt } = await createSession(db, workspaceId, user.id);
  const https = request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
  void reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: https,
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
  return { user: toUser(user), csrfToken: csrfTokenFor(sessionId), expiresAt };
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomSecret());
  return dummy;
}

function loginPage(next: string, workspace: string | undefined, problem?: string): string {
  return page(
    'Sign in',
    `${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/login">
${hidden({ next })}
<label>Workspace <input name="workspace" value="${escapeHtml(workspace ?? DEFAULT_WORKSPACE)}"></label>
<label>E-mail <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>`,
  );
}
