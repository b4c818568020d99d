import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3.1 generated from the route schemas. Register before the routes: @fastify/swagger
 * collects them as they are added.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Nagare API',
        version,
        description:
          'Nagare, an open BPM suite. Errors: `{ "error": { "code", "message", "details"? } }`; codes in docs/api.md.',
      },
      tags: [{ name: 'system', description: 'Health and information about this node' }],
    },
  });
}

/**
 * Readable docs at /api/docs. @fastify/swagger-ui serves swagger-ui's files from its own npm
 * package (no CDN), and the validator badge is off: it would send our spec to swagger.io.
 */
export async function registerDocsUi(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null, deepLinking: true },
    staticCSP: true,
  });
}
