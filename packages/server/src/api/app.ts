import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions, LogController } from 'fastify';
import { addonRoutes } from '../addons/routes.js';
import { authorizationRoutes } from '../authorization/routes.js';
import type { Store } from '../store/database.js';
import { nagareVersion } from '../version.js';
import { type AuthOptions, authPlugin } from './auth/auth-plugin.js';
import { registerDocsUi, registerOpenApi } from './docs.js';
import { installErrorHandling } from './error-handler.js';
import type { NodeInfo, NodeRole } from './node-info.js';
import { authRoutes } from './routes/auth/index.js';
import { dataRoutes } from './routes/data/index.js';
import { healthRoutes } from './routes/health.js';
import { homeRoutes } from './routes/home.js';
import { openApiRoutes } from './routes/openapi.js';
import { systemRoutes } from './routes/system/index.js';
import { type WorkflowOptions, workflowRoutes } from './routes/workflow/index.js';

export interface AppOptions {
  /** An open, migrated store. The app does not own it: whoever opened it closes it. */
  readonly store: Store;
  readonly role?: NodeRole;
  /** Fastify's logger option; off by default (tests), the CLI passes a level. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Sign-in and rate limits (docs/auth.md). */
  readonly auth?: AuthOptions;
  /** The Workflow API's runtime and file store (docs/workflow-api.md); default its own. */
  readonly workflow?: WorkflowOptions;
}

function createFastify(logger: FastifyServerOptions['logger']) {
  return Fastify({
    logger,
    // The CLI logs one line when ready; per-request lines would drown it (errors are still logged).
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

export type NagareApp = ReturnType<typeof createFastify>;

/**
 * Builds the HTTP app without listening (tests call `inject`, the CLI calls `listen`).
 * Routes are added here, each as a plugin with its schema.
 */
export async function buildApp(options: AppOptions): Promise<NagareApp> {
  const node: NodeInfo = {
    version: nagareVersion,
    role: options.role ?? 'all',
    dialect: options.store.dialect,
    location: options.store.location,
  };
  const app = createFastify(options.logger ?? false);

  installErrorHandling(app);
  await registerOpenApi(app, node.version);
  await app.register(authPlugin, { store: options.store, ...(options.auth ? { auth: options.auth } : {}) });

  await app.register(homeRoutes, { node });
  await app.register(healthRoutes, { store: options.store, node });
  await app.register(openApiRoutes);
  await app.register(dataRoutes, { store: options.store });
  await app.register(authRoutes, { store: options.store });
  await app.register(systemRoutes, { store: options.store });
  await app.register(workflowRoutes, { store: options.store, role: node.role, ...options.workflow });
  await app.register(authorizationRoutes, { store: options.store });
  await app.register(addonRoutes, { store: options.store });
  await registerDocsUi(app);
  return app;
}
