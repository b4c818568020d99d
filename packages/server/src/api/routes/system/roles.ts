import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  addRoleMember,
  createRole,
  deleteRole,
  findRole,
  listRoleMembers,
  listRoles,
  removeRoleMember,
  updateRole,
} from '../../../identity/roles.js';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { requirePrincipal } from '../../auth/principal.js';
import { NotFound } from '../../errors.js';
import { errors, Id, IdParams, PageOf, PageQuery, Role, RoleCreate } from './schemas.js';

const tags = ['system settings'];
const MemberParams = Type.Object({ id: Id, userId: Id });

/** Roles and who holds them. */
export const roleRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;

  app.get(
    '/roles',
    {
      schema: {
        summary: 'List roles (id order, cursor pages)',
        tags,
        querystring: PageQuery,
        response: { 200: PageOf(Role, 'RolePage'), ...errors },
      },
    },
    async (request) => listRoles(db, requirePrincipal(request).workspaceId, request.query),
  );

  app.get(
    '/roles/:id',
    { schema: { summary: 'Find a role', tags, params: IdParams, response: { 200: Role, ...errors } } },
    async (request) => {
      const role = await findRole(db, requirePrincipal(request).workspaceId, request.params.id);
      if (!role) throw new NotFound('role', request.params.id);
      return role;
    },
  );

  app.post(
    '/roles',
    {
      schema: {
        summary: 'Create a role (user manager)',
        tags,
        body: RoleCreate,
        response: { 201: Role, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      return reply.status(201).send(await createRole(db, p.workspaceId, request.body));
    },
  );

  app.patch(
    '/roles/:id',
    {
      schema: {
        summary: 'Rename a role (user manager)',
        tags,
        params: IdParams,
        body: RoleCreate,
        response: { 200: Role, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      return updateRole(db, p.workspaceId, request.params.id, request.body);
    },
  );

  app.delete(
    '/roles/:id',
    {
      schema: {
        summary: 'Delete a role, its members and the App authorities granted to it (user manager)',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      await deleteRole(db, p.workspaceId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/roles/:id/members',
    {
      schema: {
        summary: 'The user ids holding a role (id order, cursor pages)',
        tags,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: PageOf(Type.String(), 'RoleMemberPage'), ...errors },
      },
    },
    async (request) =>
      listRoleMembers(db, requirePrincipal(request).workspaceId, request.params.id, request.query),
  );

  app.put(
    '/roles/:id/members/:userId',
    {
      schema: {
        summary: 'Give a user a role (user manager)',
        tags,
        params: MemberParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      await addRoleMember(db, p.workspaceId, request.params.id, request.params.userId);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/roles/:id/members/:userId',
    {
      schema: {
        summary: 'Take a role from a user (user manager)',
        tags,
        params: MemberParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      await removeRoleMember(db, p.workspaceId, request.params.id, request.params.userId);
      return reply.status(204).send(null);
    },
  );
};
