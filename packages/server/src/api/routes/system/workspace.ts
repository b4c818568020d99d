import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { updateWorkspaceSettings, workspaceSettings } from '../../../identity/workspaces.js';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { requirePrincipal } from '../../auth/principal.js';
import { errors, Timestamp } from './schemas.js';

const WorkspaceSettings = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    timeZone: Type.String({ description: 'IANA time zone scripts run in (e.g. Asia/Tokyo)' }),
    createdAt: Timestamp,
  },
  { title: 'WorkspaceSettings' },
);

const WorkspaceSettingsPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Trimmed; not blank' })),
    timeZone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'An IANA time zone such as Asia/Tokyo' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** The caller's own workspace: its name and time zone. Never another workspace's. */
export const workspaceRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  const db = store.db;
  app.get(
    '/workspace',
    {
      schema: {
        summary: 'Name and time zone of the workspace',
        tags: ['system settings'],
        response: { 200: WorkspaceSettings, ...errors },
      },
    },
    async (request) => workspaceSettings(db, requirePrincipal(request).workspaceId),
  );
  app.patch(
    '/workspace',
    {
      schema: {
        summary: 'Change the name or time zone of the workspace (system administrator)',
        tags: ['system settings'],
        body: WorkspaceSettingsPatch,
        response: { 200: WorkspaceSettings, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      return updateWorkspaceSettings(db, p.workspaceId, request.body);
    },
  );
};
