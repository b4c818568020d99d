import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listMemberships, removeMembership, setMembership } from '../../../identity/memberships.js';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { requirePrincipal } from '../../auth/principal.js';
import { errors, Id, Membership, PageOf, PageQuery, Position } from './schemas.js';

const tags = ['system settings'];
const Params = Type.Object({ organizationId: Id, userId: Id });

/** Who belongs to which organization, with their position (leader or member). */
export const membershipRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;

  app.get(
    '/memberships',
    {
      schema: {
        summary:
          'List memberships, of an organization and/or of a user ((organization, user) order, cursor pages)',
        tags,
        querystring: Type.Composite([
          PageQuery,
          Type.Object({ organizationId: Type.Optional(Id), userId: Type.Optional(Id) }),
        ]),
        response: { 200: PageOf(Membership, 'MembershipPage'), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      return listMemberships(db, p.workspaceId, request.query);
    },
  );

  app.put(
    '/organizations/:organizationId/members/:userId',
    {
      schema: {
        summary: 'Add a user to an organization, or change their position there (user manager)',
        tags,
        params: Params,
        body: Type.Object({ position: Position }, { additionalProperties: false }),
        response: { 200: Membership, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      const { organizationId, userId } = request.params;
      return setMembership(db, p.workspaceId, organizationId, userId, request.body.position);
    },
  );

  app.delete(
    '/organizations/:organizationId/members/:userId',
    {
      schema: {
        summary: 'Remove a user from an organization (user manager)',
        tags,
        params: Params,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'userManager');
      await removeMembership(db, p.workspaceId, request.params.organizationId, request.params.userId);
      return reply.status(204).send(null);
    },
  );
};
