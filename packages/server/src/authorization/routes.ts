/**
 * HTTP API of authorization settings (docs/connectors.md): an App administrator lists, saves
 * and deletes an App's settings and starts the OAuth 2.0 browser authorization; the provider
 * sends the browser back to `/api/oauth2/callback`, which needs no sign-in (the single-use
 * state is the credential). A system administrator keeps the workspace's outbound allow-list.
 * No answer ever carries a secret.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAppAuthority, requireSystemAuthority } from '../api/auth/authorities.js';
import { requirePrincipal } from '../api/auth/principal.js';
import { BadRequest, ErrorBody, NagareError } from '../api/errors.js';
import { OUTBOUND_ALLOW_ENV, OutboundAllowList, parseAllowList } from '../outbound/allow-list-store.js';
import { OutboundError } from '../outbound/outbound-error.js';
import { createOutboundFetch } from '../outbound/outbound-fetch.js';
import type { Store } from '../store/database.js';
import { AuthorizationError } from './authorization-error.js';
import { AuthorizationSettings, type AuthorizationSettingView } from './authorization-settings.js';
import { SECRET_KEY_ENV } from './secret-box.js';

export interface AuthorizationRoutesOptions {
  readonly store: Store;
  /** Default: settings over the store, sealed with NAGARE_SECRET_KEY. */
  readonly settings?: AuthorizationSettings;
}

const tags = ['authorization settings'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const AppParams = Type.Object({ appId: Type.String({ minLength: 1, maxLength: 100 }) });
const SettingParams = Type.Object({
  appId: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
});
const SettingView = Type.Object(
  {
    appId: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    config: Type.Record(Type.String(), Type.String()),
    connected: Type.Boolean(),
    expiresAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'AuthorizationSetting' },
);
const SettingInput = Type.Object(
  {
    kind: Type.String({ description: 'token, basic, header, oauth2, oauth2ClientCredentials' }),
    token: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    headerName: Type.Optional(Type.String()),
    value: Type.Optional(Type.String()),
    authorizeUrl: Type.Optional(Type.String()),
    tokenUrl: Type.Optional(Type.String()),
    clientId: Type.Optional(Type.String()),
    clientSecret: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    redirectUri: Type.Optional(Type.String()),
  },
  { title: 'AuthorizationSettingInput', additionalProperties: false },
);
const Cidr = Type.Object({ cidr: Type.String({ minLength: 1, maxLength: 100 }) });

/** The view as the schema types it (the config's fields are all strings). */
function wire(view: AuthorizationSettingView): AuthorizationSettingView & { config: Record<string, string> } {
  return { ...view, config: { ...view.config } as Record<string, string> };
}

function toApiError(error: unknown): unknown {
  if (error instanceof AuthorizationError) {
    if (error.code === 'UNKNOWN_SETTING') return new NagareError('NAGARE_NOT_FOUND', error.message);
    return new BadRequest(`${error.code}: ${error.message}`);
  }
  if (error instanceof OutboundError) return new BadRequest(error.message);
  return error;
}

export const authorizationRoutes: FastifyPluginAsyncTypebox<AuthorizationRoutesOptions> = async (
  app,
  options,
) => {
  const db = options.store.db;
  const allowList = new OutboundAllowList(db, {
    everywhere: parseAllowList(process.env[OUTBOUND_ALLOW_ENV]),
  });
  const settings =
    options.settings ??
    new AuthorizationSettings({
      db,
      secretKey: process.env[SECRET_KEY_ENV],
      fetch: createOutboundFetch({ allow: allowList.allow }),
    });
  app.setErrorHandler((error) => {
    throw toApiError(error);
  });
  const appAdmin = async (request: Parameters<typeof requirePrincipal>[0], appId: string) => {
    const p = requirePrincipal(request);
    await requireAppAuthority(db, p, appId, 'appAdministrator');
    return p;
  };

  app.get(
    '/api/apps/:appId/authorization-settings',
    {
      schema: {
        summary: "An App's authorization settings (no secrets)",
        tags,
        params: AppParams,
        response: { 200: Type.Array(SettingView), ...errors },
      },
    },
    async (request) => {
      const p = await appAdmin(request, request.params.appId);
      return (await settings.list(p.workspaceId, request.params.appId)).map(wire);
    },
  );

  app.put(
    '/api/apps/:appId/authorization-settings/:name',
    {
      schema: {
        summary: 'Create or replace an authorization setting',
        tags,
        params: SettingParams,
        body: SettingInput,
        response: { 200: SettingView, ...errors },
      },
    },
    async (request) => {
      const p = await appAdmin(request, request.params.appId);
      const body = { ...request.body, name: request.params.name };
      return wire(await settings.save(p.workspaceId, request.params.appId, body));
    },
  );

  app.delete(
    '/api/apps/:appId/authorization-settings/:name',
    {
      schema: {
        summary: 'Delete an authorization setting',
        tags,
        params: SettingParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = await appAdmin(request, request.params.appId);
      if (!(await settings.remove(p.workspaceId, request.params.appId, request.params.name))) {
        throw new NagareError(
          'NAGARE_NOT_FOUND',
          `app ${request.params.appId} has no authorization setting "${request.params.name}"`,
        );
      }
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/apps/:appId/authorization-settings/:name/authorize',
    {
      schema: {
        summary: 'Start the OAuth 2.0 authorization: the URL to open in the browser (state and PKCE S256)',
        tags,
        params: SettingParams,
        response: { 200: Type.Object({ url: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const p = await appAdmin(request, request.params.appId);
      const { url } = await settings.beginAuthorization(
        p.workspaceId,
        request.params.appId,
        request.params.name,
      );
      return { url };
    },
  );

  app.get(
    '/api/oauth2/callback',
    {
      schema: {
        summary: 'Where the OAuth 2.0 provider sends the browser back: exchanges the code (once per state)',
        tags,
        querystring: Type.Object({
          state: Type.Optional(Type.String({ maxLength: 200 })),
          code: Type.Optional(Type.String({ maxLength: 4096 })),
          error: Type.Optional(Type.String({ maxLength: 200 })),
          error_description: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: { 200: SettingView, ...errors },
      },
    },
    async (request) =>
      wire(
        await settings.completeAuthorization({
          state: request.query.state,
          code: request.query.code,
          error: request.query.error,
          errorDescription: request.query.error_description,
        }),
      ),
  );

  app.get(
    '/api/system/outbound-allow',
    {
      schema: {
        summary: "The workspace's outbound allow-list (CIDR ranges private addresses may be called in)",
        tags,
        response: { 200: Type.Array(Type.String()), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      return allowList.list(p.workspaceId);
    },
  );

  app.post(
    '/api/system/outbound-allow',
    {
      schema: {
        summary: 'Open a CIDR range for outbound requests (system administrator)',
        tags,
        body: Cidr,
        response: { 200: Type.Array(Type.String()), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      await allowList.add(p.workspaceId, request.body.cidr);
      return allowList.list(p.workspaceId);
    },
  );

  app.delete(
    '/api/system/outbound-allow',
    {
      schema: {
        summary: 'Close a CIDR range again (system administrator)',
        tags,
        body: Cidr,
        response: { 200: Type.Array(Type.String()), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      await allowList.remove(p.workspaceId, request.body.cidr);
      return allowList.list(p.workspaceId);
    },
  );
};
