import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createUser, deleteUser, findUser, listUsers, updateUser } from '../../../identity/users.js';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { requirePrincipal } from '../../auth/principal.js';
import { NotFound } from '../../errors.js';
import {
  errors,
  IdParams,
  PageOf,
  PageQuery,
  User,
  UserCreate,
  UserDeleted,
  UserDeleteQuery,
  UserPatch,
} from './schemas.js';

const tags = ['system settings'];

/** Users of the caller's workspace: anyone signed in lists and finds; user managers change. */
export const userRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;

  app.get(
    '/users',
    {
      schema: {
        summary: 'List the users of the workspace (id order, cursor pages)',
        tags,
        querystring: PageQuery,
        response: { 200: PageOf(User, 'UserPage'), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      return listUsers(db, p.workspaceId, request.query);
    },
  );

  app.get(
    '/users/:id',
    {
      schema: { summary: 'Find a user', tags, params: IdParams, response: { 200: User, ...errors } },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const user = await findUser(db, p.workspaceId, request.params.id);
      if (!user) throw new NotFound('user', request.params.id);
      return user;
    },
  );

  app.post(
    '/users',
    {
      schema: {
        summary: 'Create a user (user manager)',
        tags,
        body: UserCreate,
        response: { 201: User, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      return reply.status(201).send(await createUser(db, p.workspaceId, request.body));
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        summary: 'Change a user (user manager); a null password or API password removes it',
        tags,
        params: IdParams,
        body: UserPatch,
        response: { 200: User, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      return updateUser(db, p.workspaceId, request.params.id, request.body);
    },
  );

  app.delete(
    '/users/:id',
    {
      schema: {
        summary: 'Delete a user (user manager); their open tasks go to the delegate',
        tags,
        params: IdParams,
        querystring: UserDeleteQuery,
        response: { 200: UserDeleted, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      return deleteUser(db, p.workspaceId, request.params.id, {
        ...(request.query.delegateId === undefined ? {} : { delegateId: request.query.delegateId }),
        deletedBy: p.userId,
      });
    },
  );

  app.get(
    '/me',
    {
      schema: { summary: 'The signed-in user', tags, response: { 200: User, ...errors } },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const user = await findUser(db, p.workspaceId, p.userId);
      if (!user) throw new NotFound('user', p.userId);
      return user;
    },
  );

  app.put(
    '/me/api-password',
    {
      schema: {
        summary: 'Set or remove (null) your own API password for HTTP Basic',
        tags,
        body: Type.Object(
          { apiPassword: Type.Union([Type.String({ minLength: 8, maxLength: 1000 }), Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 200: User, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      return updateUser(db, p.workspaceId, p.userId, { apiPassword: request.body.apiPassword });
    },
  );
};
