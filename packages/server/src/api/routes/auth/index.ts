import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../../../store/database.js';
import { installStrictValidation } from '../system/strict-validation.js';
import { authorizeRoutes } from './authorize.js';
import { metadataRoutes } from './metadata.js';
import { sessionRoutes } from './session.js';
import { tokenRoutes } from './token.js';

/** Sign-in (session cookie), sign-out, and the OAuth 2.0 authorization server (docs/auth.md). */
export const authRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  // Forms (sign-in page, consent, token endpoint) only in this plugin: the JSON API stays JSON.
  await app.register(formbody);
  installStrictValidation(app);
  await app.register(sessionRoutes, { store });
  await app.register(authorizeRoutes, { store });
  await app.register(tokenRoutes, { store });
  await app.register(metadataRoutes);
};
