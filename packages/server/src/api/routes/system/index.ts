import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../../../store/database.js';
import { authSettingsRoutes } from './auth-settings.js';
import { authorityRoutes } from './authorities.js';
import { mapIdentityErrors } from './errors.js';
import { membershipRoutes } from './memberships.js';
import { oauthClientRoutes } from './oauth-clients.js';
import { organizationRoutes } from './organizations.js';
import { roleRoutes } from './roles.js';
import { installStrictValidation } from './strict-validation.js';
import { userRoutes } from './users.js';
import { workspaceRoutes } from './workspace.js';

/**
 * The system settings API under /api/system (docs/auth.md): users, organizations, memberships,
 * roles, authorities, OAuth clients and sign-in settings of the caller's workspace.
 */
export const systemRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  await app.register(
    async (system) => {
      mapIdentityErrors(system);
      installStrictValidation(system);
      for (const routes of [
        userRoutes,
        organizationRoutes,
        membershipRoutes,
        roleRoutes,
        authorityRoutes,
        oauthClientRoutes,
        authSettingsRoutes,
        workspaceRoutes,
      ]) {
        await system.register(routes, { store });
      }
    },
    { prefix: '/api/system' },
  );
};
