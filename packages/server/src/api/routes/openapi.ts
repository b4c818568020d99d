import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

/** GET /api/openapi.json: the generated OpenAPI 3.1 document (hidden from itself). */
export const openApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/openapi.json',
    {
      schema: {
        hide: true,
        response: { 200: Type.Unknown({ description: 'An OpenAPI 3.1 document' }) },
      },
    },
    async () => app.swagger(),
  );
};
