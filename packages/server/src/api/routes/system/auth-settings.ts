import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { setWorkspaceAuthSettings, workspaceAuthSettings } from '../../../identity/workspaces.js';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { requirePrincipal } from '../../auth/principal.js';
import { errors } from './schemas.js';

const AuthSettings = Type.Object(
  { basicAuth: Type.Boolean({ description: 'HTTP Basic with users’ API passwords (default true)' }) },
  { title: 'AuthSettings', additionalProperties: false },
);

/** The workspace's sign-in settings. */
export const authSettingsRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;
  app.get(
    '/auth-settings',
    {
      schema: {
        summary: 'Sign-in settings of the workspace',
        tags: ['system settings'],
        response: { 200: AuthSettings, ...errors },
      },
    },
    async (request) => workspaceAuthSettings(db, requirePrincipal(request).workspaceId),
  );
  app.put(
    '/auth-settings',
    {
      schema: {
        summary: 'Change the sign-in settings (system administrator)',
        tags: ['system settings'],
        body: AuthSettings,
        response: { 200: AuthSettings, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      return setWorkspaceAuthSettings(db, p.workspaceId, request.body);
    },
  );
};
