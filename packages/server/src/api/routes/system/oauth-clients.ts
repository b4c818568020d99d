import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { deleteClient, findClient, listClients, registerClient } from '../../auth/oauth-clients.js';
import { requirePrincipal } from '../../auth/principal.js';
import { NotFound } from '../../errors.js';
import { errors, Id, IdParams, PageOf, PageQuery } from './schemas.js';

const tags = ['system settings'];
const Scope = Type.Union([Type.Literal('read'), Type.Literal('any')]);
const OAuthClient = Type.Object(
  {
    id: Type.String({ description: 'The client_id' }),
    name: Type.String(),
    type: Type.Union([Type.Literal('confidential'), Type.Literal('public')]),
    redirectUris: Type.Array(Type.String()),
    scopes: Type.Array(Scope),
    userId: Type.String({ description: 'Whom client-credentials tokens act as' }),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'OAuthClient' },
);
const OAuthClientCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: Type.Union([Type.Literal('confidential'), Type.Literal('public')]),
    redirectUris: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 20 }),
    scopes: Type.Optional(Type.Array(Scope, { minItems: 1, maxItems: 2 })),
    userId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
const OAuthClientCreated = Type.Object(
  {
    client: OAuthClient,
    clientSecret: Type.Optional(
      Type.String({ description: 'Confidential clients only; shown this once, stored only as a hash' }),
    ),
  },
  { title: 'OAuthClientCreated' },
);

/** OAuth 2.0 clients of the workspace: registered and removed by a system administrator. */
export const oauthClientRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;

  app.get(
    '/oauth-clients',
    {
      schema: {
        summary: 'List OAuth clients (system administrator)',
        tags,
        querystring: PageQuery,
        response: { 200: PageOf(OAuthClient, 'OAuthClientPage'), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      return listClients(db, p.workspaceId, request.query);
    },
  );

  app.get(
    '/oauth-clients/:id',
    {
      schema: {
        summary: 'Find an OAuth client (system administrator)',
        tags,
        params: IdParams,
        response: { 200: OAuthClient, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      const client = await findClient(db, p.workspaceId, request.params.id);
      if (!client) throw new NotFound('OAuth client', request.params.id);
      return client;
    },
  );

  app.post(
    '/oauth-clients',
    {
      schema: {
        summary: 'Register an OAuth client (system administrator); redirect URIs are matched exactly',
        tags,
        body: OAuthClientCreate,
        response: { 201: OAuthClientCreated, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      return reply.status(201).send(await registerClient(db, p.workspaceId, p.userId, request.body));
    },
  );

  app.delete(
    '/oauth-clients/:id',
    {
      schema: {
        summary: 'Delete an OAuth client and revoke its tokens (system administrator)',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      await deleteClient(db, p.workspaceId, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
