import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { checkStore } from '../../store/check.js';
import type { Store } from '../../store/database.js';
import { ErrorBody } from '../errors.js';
import type { NodeInfo } from '../node-info.js';

const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    version: Type.String({ description: 'Nagare version' }),
    database: Type.Object({
      dialect: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
      ok: Type.Boolean(),
      reason: Type.Optional(Type.String({ description: 'Why the check failed (only when ok is false)' })),
    }),
    installation: Type.Optional(
      Type.Object(
        { id: Type.String(), createdAt: Type.String({ format: 'date-time' }) },
        {
          description: 'The installation this database belongs to',
        },
      ),
    ),
  },
  { title: 'Health' },
);
type Health = Static<typeof Health>;

const DEFAULT_TIMEOUT_MS = 2_000;

const HealthQuery = Type.Object({
  timeoutMs: Type.Optional(
    Type.Integer({
      minimum: 100,
      maximum: 30_000,
      default: DEFAULT_TIMEOUT_MS,
      description: 'How long the database check may take before it counts as failed',
    }),
  ),
});

export interface HealthRoutesOptions {
  readonly store: Store;
  readonly node: NodeInfo;
}

/** GET /api/health: 200 when the database answers, 503 with the same body when it does not. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, { store, node }) => {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Is this node up, and does its database answer?',
        tags: ['system'],
        querystring: HealthQuery,
        response: {
          200: { ...Health, description: 'The node and its database answer' },
          400: ErrorBody,
          503: { ...Health, description: 'The database does not answer' },
        },
      },
    },
    async (request, reply) => {
      const check = await checkStore(store, request.query.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const body: Health = {
        status: check.ok ? 'ok' : 'unavailable',
        version: node.version,
        database: check.ok
          ? { dialect: node.dialect, ok: true }
          : { dialect: node.dialect, ok: false, reason: check.reason },
        ...(check.ok && check.installation ? { installation: check.installation } : {}),
      };
      // Health must never be cached: a proxy serving a stale "ok" hides an outage.
      void reply.header('cache-control', 'no-store');
      return reply.status(check.ok ? 200 : 503).send(body);
    },
  );
};
