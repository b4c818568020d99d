/**
 * Webhook start events: `POST /api/messages/apps/{appId}/webhook/{node}` calls the `post({ body,
 * headers })` of the `START_EVENT_WEBHOOK` add-on on that plain start event (docs/addons.md,
 * "Start-event add-ons"). The body goes to the script as text, whatever its type; the data the
 * script set start an issue when it called `engine.setStartProcess(true)`; its return value
 * (`{ status }`, `{ 'content-type', body }`) is the answer. Like message start events the route
 * is open to callers that cannot sign in (Slack, GitHub…): the add-on checks the request (a
 * signature), and the start event may carry a key the request must give (`?key=`). Requests are
 * rate limited per client address as message events are.
 */

import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { workspaceTimeZone } from '../../../identity/workspaces.js';
import { itemStarted, startEventsOf } from '../../../runtime/addon-starts.js';
import { rateLimitKey } from '../../auth/auth-plugin.js';
import { Forbidden } from '../../auth/principal.js';
import { BadRequest, NagareError, NotFound } from '../../errors.js';
import type { WorkflowContext } from '../workflow/context.js';
import { errors, Id } from '../workflow/schemas.js';

const tags = ['message events'];
/** A webhook's body, as text, at most this large (the script gets it whole). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

function sameKey(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const addonStartRoutes: FastifyPluginAsyncTypebox<{ ctx: WorkflowContext }> = async (app, { ctx }) => {
  const db = ctx.store.db;
  // Every body is the add-on's to read: kept as text, whatever the content type says.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => {
      const bytes = body as Buffer;
      const text = new TextDecoder('utf-8', { fatal: true });
      try {
        done(null, text.decode(bytes));
      } catch {
        done(new BadRequest('The body is not UTF-8 text'), undefined);
      }
    },
  );

  app.post(
    '/messages/apps/:appId/webhook/:node',
    {
      config: {
        rateLimit: {
          max: ctx.messageRatePerMinute,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) =>
            request.principal ? `message:${rateLimitKey(request)}` : `message-ip:${request.ip}`,
          allowList: () => false,
        },
      },
      schema: {
        summary: "Call a webhook start event's add-on; it may start an issue",
        description:
          "The body (any content type, as text) and headers go to the add-on's `post({ body, headers })`; its answer is the response. `key`: the start event's key, when it has one.",
        tags,
        params: Type.Object({ appId: Id, node: Id }),
        // other query parameters are the caller's own (the add-on does not see them)
        querystring: Type.Object(
          { key: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: true },
        ),
        response: {
          200: Type.Unknown({ description: "The add-on's answer (its status, content type and body)" }),
          ...errors,
          413: errors[400],
          429: errors[400],
        },
      },
    },
    async (request, reply) => {
      const { appId, node } = request.params;
      const found = await db.selectFrom('app').selectAll().where('id', '=', appId).executeTakeFirst();
      if (!found || (request.principal && request.principal.workspaceId !== found.workspace_id))
        throw new NotFound('App', appId);
      if (found.released_version_id === null)
        throw new NagareError('NAGARE_CONFLICT', `App "${found.id}" has no released version`);
      const model = await ctx.models.load(found.released_version_id);
      const spec = model.app.addonStarts.find((s) => s.node === node);
      if (!spec) throw new NotFound(`webhook start event of App "${found.id}"`, node);
      if (spec.key !== undefined && !sameKey(spec.key, request.query.key))
        throw new Forbidden("The webhook's key is missing or wrong");
      const source = startEventsOf(ctx.runtime.connectors, spec.automation.type);
      if (!source) throw new NagareError('NAGARE_CONFLICT', 'Add-ons are not available on this server');

      const headers: [string, string][] = [];
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.push([name, String(v)]);
      }
      const body = typeof request.body === 'string' ? request.body : '';
      const keys = { workspace_id: found.workspace_id, app_id: found.id, node };
      const timeZone = await workspaceTimeZone(db, found.workspace_id);
      const outcome = await source.post(
        {
          workspaceId: found.workspace_id,
          appId: found.id,
          node,
          automation: spec.automation,
          app: model.app,
          body,
          headers,
          ...(timeZone === undefined ? {} : { timeZone }),
          idempotencyKey: `${found.id}:${node}:${request.id}`,
          processStarted: itemStarted(db, keys),
        },
        AbortSignal.timeout(35_000),
      );
      if (!outcome.ok) {
        const details = { code: outcome.code };
        switch (outcome.code) {
          case 'ADDON_UNKNOWN':
          case 'ADDON_WRONG_TYPE':
            throw new NagareError(
              'NAGARE_NOT_FOUND',
              `Start event "${node}" of App "${found.id}" is not a webhook: ${outcome.message}`,
              details,
            );
          case 'BAD_CONFIG':
            throw new NagareError(
              'NAGARE_CONFLICT',
              `The webhook start event "${node}" is not configured right: ${outcome.message}`,
              details,
            );
          default:
            // the script refused the request (threw on it, or answered a value that is not a reply)
            throw new NagareError(
              'NAGARE_BAD_REQUEST',
              `The webhook's add-on failed on this request: ${outcome.message}`,
              details,
            );
        }
      }
      if (outcome.start !== null) {
        const started = await ctx.runtime.startIssue({
          workspaceId: found.workspace_id,
          appId: found.id,
          versionId: found.released_version_id,
          data: outcome.start,
          startEvent: node,
        });
        reply.header('nagare-issue-id', started.issueId);
      }
      const answer = outcome.reply;
      reply.status(answer.status as 200);
      if (answer.contentType !== undefined) reply.type(answer.contentType);
      // bytes: sent as the add-on wrote them, never serialized again (a JSON body stays as it is)
      return reply.send(Buffer.from(answer.body ?? '', 'utf8'));
    },
  );
};
