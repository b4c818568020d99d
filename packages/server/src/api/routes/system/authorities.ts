import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  grantAppAuthority,
  grantSystemAuthority,
  hasSystemAuthority,
  listAppAuthorities,
  listSystemAuthorities,
  revokeAppAuthority,
  revokeSystemAuthority,
} from '../../../identity/authorities.js';
import type { Store } from '../../../store/database.js';
import { hasAppAuthority, requireSystemAuthority } from '../../auth/authorities.js';
import { Forbidden, type Principal, requirePrincipal } from '../../auth/principal.js';
import {
  AppAuthority,
  AppAuthorityGrant,
  AppAuthorityRecord,
  errors,
  Id,
  SystemAuthority,
} from './schemas.js';

const tags = ['system settings'];
const SystemGrant = Type.Object(
  { authority: SystemAuthority, userId: Type.String() },
  { title: 'SystemAuthorityGrant' },
);
const SystemParams = Type.Object({ authority: SystemAuthority, userId: Id });
const AppParams = Type.Object({ appId: Id });
const AppGrantParams = Type.Object({ appId: Id, grantId: Id });

/** System authorities (system administrator only) and App authorities (system or App administrator). */
export const authorityRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;

  async function requireAppAdministration(p: Principal, appId: string): Promise<void> {
    if (await hasSystemAuthority(db, p, 'systemAdministrator')) return;
    if (await hasAppAuthority(db, p, appId, 'appAdministrator')) return;
    throw new Forbidden(`Only a system administrator or an App administrator of App "${appId}" may do this`);
  }

  app.get(
    '/authorities',
    {
      schema: {
        summary: 'Who holds which system authority',
        tags,
        response: {
          200: Type.Object({ items: Type.Array(SystemGrant) }, { title: 'SystemAuthorityList' }),
          ...errors,
        },
      },
    },
    async (request) => ({ items: await listSystemAuthorities(db, requirePrincipal(request).workspaceId) }),
  );

  app.put(
    '/authorities/:authority/:userId',
    {
      schema: {
        summary: 'Grant a system authority (system administrator)',
        tags,
        params: SystemParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      await grantSystemAuthority(db, p.workspaceId, request.params.userId, request.params.authority);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/authorities/:authority/:userId',
    {
      schema: {
        summary: 'Revoke a system authority (system administrator; never the last one)',
        tags,
        params: SystemParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      await revokeSystemAuthority(db, p.workspaceId, request.params.userId, request.params.authority);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/apps/:appId/authorities',
    {
      schema: {
        summary: 'The App authority grants of an App',
        tags,
        params: AppParams,
        response: {
          200: Type.Object({ items: Type.Array(AppAuthorityRecord) }, { title: 'AppAuthorityList' }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: await listAppAuthorities(db, requirePrincipal(request).workspaceId, request.params.appId),
    }),
  );

  app.post(
    '/apps/:appId/authorities',
    {
      schema: {
        summary: 'Grant an App authority to a user, organization or role (system or App administrator)',
        tags,
        params: AppParams,
        body: Type.Object(
          { authority: AppAuthority, grant: AppAuthorityGrant },
          { additionalProperties: false },
        ),
        response: { 201: AppAuthorityRecord, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireAppAdministration(p, request.params.appId);
      const record = await grantAppAuthority(
        db,
        p.workspaceId,
        request.params.appId,
        request.body.authority,
        request.body.grant,
      );
      return reply.status(201).send(record);
    },
  );

  app.delete(
    '/apps/:appId/authorities/:grantId',
    {
      schema: {
        summary: 'Revoke an App authority grant (system or App administrator)',
        tags,
        params: AppGrantParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireAppAdministration(p, request.params.appId);
      await revokeAppAuthority(db, p.workspaceId, request.params.appId, request.params.grantId);
      return reply.status(204).send(null);
    },
  );
};
