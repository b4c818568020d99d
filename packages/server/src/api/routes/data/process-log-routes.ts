import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ProcessLog } from '../../../process-log/process-log.js';
import { DEFAULT_LOG_LIMIT, MAX_LOG_LIMIT } from '../../../process-log/process-log.js';
import { processLogCsv } from '../../../process-log/process-log-csv.js';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { requirePrincipal } from '../../auth/principal.js';
import { ErrorBody } from '../../errors.js';
import { answer } from './data-errors.js';

const LogQuery = Type.Object({
  from: Type.Optional(
    Type.String({ maxLength: 40, description: 'Inclusive; ISO 8601 date or date-time with zone' }),
  ),
  to: Type.Optional(
    Type.String({ maxLength: 40, description: 'Exclusive; ISO 8601 date or date-time with zone' }),
  ),
  issueId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  appId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LOG_LIMIT, default: DEFAULT_LOG_LIMIT })),
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: 'csv: UTF-8 with BOM, one row per changed data item',
    }),
  ),
});

const Entry = Type.Object({
  at: Type.String({ format: 'date-time' }),
  issueId: Type.String(),
  appId: Type.String(),
  ordinal: Type.Integer(),
  kind: Type.String(),
  step: Type.Optional(Type.String()),
  actor: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  changes: Type.Optional(
    Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
  ),
});

export interface ProcessLogRoutesOptions {
  readonly store: Store;
  readonly log: ProcessLog;
}

/** GET /api/process-log: the Workspace's process log (system administrators, as in the product). */
export const processLogRoutes: FastifyPluginAsyncTypebox<ProcessLogRoutesOptions> = async (
  app,
  { store, log },
) => {
  app.get(
    '/api/process-log',
    {
      schema: {
        summary: 'The process log: who did what to which issue, and when',
        description:
          'Arrivals at steps, tasks opened/allocated/completed, data edits with before and after, auto-steps, incidents, ends; oldest first. `format=csv` answers text/csv (UTF-8 with BOM).',
        tags: ['data'],
        querystring: LogQuery,
        response: {
          200: Type.Object(
            { entries: Type.Array(Entry), truncated: Type.Boolean() },
            { title: 'ProcessLog' },
          ),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await requireSystemAuthority(store.db, principal, 'systemAdministrator');
      const { from, to, issueId, appId, limit, format } = request.query;
      const page = await answer(() => log.query(principal.workspaceId, { from, to, issueId, appId, limit }));
      if (format !== 'csv') {
        const entries = page.entries.map((e) =>
          e.changes ? { ...e, changes: [...e.changes] } : { ...e, changes: undefined },
        );
        return { entries, truncated: page.truncated };
      }
      if (page.truncated) void reply.header('nagare-truncated', 'true');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="process-log.csv"')
        .send(processLogCsv(page.entries) as never); // text: the 'text/csv' schema above, which the type provider does not see
    },
  );
};
