import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  createOrganization,
  deleteOrganization,
  findOrganization,
  listOrganizations,
  updateOrganization,
} from '../../../identity/organizations.js';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { requirePrincipal } from '../../auth/principal.js';
import { NotFound } from '../../errors.js';
import {
  errors,
  Id,
  IdParams,
  Organization,
  OrganizationCreate,
  OrganizationPatch,
  PageOf,
  PageQuery,
} from './schemas.js';

const tags = ['system settings'];

/** Organizations (a tree) of the caller's workspace. */
export const organizationRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;

  app.get(
    '/organizations',
    {
      schema: {
        summary: 'List organizations (id order, cursor pages), optionally the children of one',
        tags,
        querystring: Type.Composite([PageQuery, Type.Object({ parentId: Type.Optional(Id) })]),
        response: { 200: PageOf(Organization, 'OrganizationPage'), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      return listOrganizations(db, p.workspaceId, request.query);
    },
  );

  app.get(
    '/organizations/:id',
    {
      schema: {
        summary: 'Find an organization',
        tags,
        params: IdParams,
        response: { 200: Organization, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const org = await findOrganization(db, p.workspaceId, request.params.id);
      if (!org) throw new NotFound('organization', request.params.id);
      return org;
    },
  );

  app.post(
    '/organizations',
    {
      schema: {
        summary: 'Create an organization (user manager)',
        tags,
        body: OrganizationCreate,
        response: { 201: Organization, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      return reply.status(201).send(await createOrganization(db, p.workspaceId, request.body));
    },
  );

  app.patch(
    '/organizations/:id',
    {
      schema: {
        summary: 'Change an organization (user manager): name, e-mail, parent',
        tags,
        params: IdParams,
        body: OrganizationPatch,
        response: { 200: Organization, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      return updateOrganization(db, p.workspaceId, request.params.id, request.body);
    },
  );

  app.delete(
    '/organizations/:id',
    {
      schema: {
        summary: 'Delete an organization without sub-organizations (user manager)',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      await deleteOrganization(db, p.workspaceId, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
