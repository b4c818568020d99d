import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DataValues } from '@nagare/engine';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { fileIdsOf } from '../../../runtime/file-refs.js';
import { rateLimitKey } from '../../auth/auth-plugin.js';
import { Forbidden, Unauthorized } from '../../auth/principal.js';
import { BadRequest, NagareError, NotFound } from '../../errors.js';
import type { WorkflowContext } from '../workflow/context.js';
import { allEditable, checkedWrite } from '../workflow/data-access.js';
import { fromFormText } from '../workflow/form-text.js';
import { startIssue } from '../workflow/issues.js';
import { errors, Id, multipartBody } from '../workflow/schemas.js';
import { readUpload, type Upload } from '../workflow/uploads.js';

const tags = ['message events'];
export const DEBUG_HEADER = 'nagare-debug';

const MessageBody = Type.Record(Type.String(), Type.Unknown(), {
  description:
    "`key` (the event's message key), `issueId` (catch events), and data item values by field name",
});
const jsonOrMultipart = {
  content: {
    'application/json': { schema: MessageBody },
    'multipart/form-data': multipartBody(
      'Parts: "key", "issueId" (catch events) and data item values by field name (text, read as the item\'s type); file parts go to the file item named by their field name.',
    ),
  },
} as unknown as typeof MessageBody;
const Params = Type.Object({ appId: Id, node: Id });

function sameKey(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The event's key guards it: when the event has one, the request must carry it (`key`);
 * without one, only a signed-in user of the App's workspace may send.
 */
function checkKey(
  request: FastifyRequest,
  workspaceId: string,
  expected: string | undefined,
  given: unknown,
): void {
  if (expected !== undefined) {
    if (!sameKey(expected, given)) throw new Forbidden('The message key is missing or wrong');
    return;
  }
  if (!request.principal) throw new Unauthorized('This event has no message key: sign in to send it');
  if (request.principal.workspaceId !== workspaceId) throw new Unauthorized();
}

/** The request's fields (JSON object or multipart text fields) and uploaded files. */
async function readMessage(ctx: WorkflowContext, request: FastifyRequest, workspaceId: string) {
  if (request.isMultipart()) {
    const upload: Upload = await readUpload(request, ctx.files, workspaceId);
    return {
      fields: { ...upload.fields } as Record<string, unknown>,
      files: upload.files,
      discard: upload.discard,
      text: true,
    };
  }
  const body = request.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new BadRequest('The body must be a JSON object of fields');
  }
  return {
    fields: { ...((body ?? {}) as Record<string, unknown>) },
    files: {},
    discard: async () => {},
    text: false,
  };
}

/** HTTP message events: a POST starts an issue at a message start event, or delivers a message to a waiting issue. */
export const messageRoutes: FastifyPluginAsyncTypebox<{ ctx: WorkflowContext }> = async (app, { ctx }) => {
  const db = ctx.store.db;
  // Anonymous callers are limited too (per address): a key must not be guessable by trying.
  const config = {
    rateLimit: {
      max: ctx.messageRatePerMinute,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) =>
        request.principal ? `message:${rateLimitKey(request)}` : `message-ip:${request.ip}`,
      allowList: () => false,
    },
  };

  async function appOf(request: FastifyRequest, appId: string) {
    const row = await db.selectFrom('app').selectAll().where('id', '=', appId).executeTakeFirst();
    // A signed-in caller from another workspace learns nothing about this App.
    if (!row || (request.principal && request.principal.workspaceId !== row.workspace_id)) {
      throw new NotFound('App', appId);
    }
    return row;
  }

  app.post(
    '/messages/apps/:appId/start/:node',
    {
      config,
      schema: {
        summary: 'Start an issue at a message start event (the answer is the issue id, as text)',
        description:
          'Fields: `key` and data item values by field name (JSON, or multipart/form-data with files by field name). Header `Nagare-Debug: true` starts a debug run of the newest draft.',
        tags,
        params: Params,
        headers: Type.Object({
          [DEBUG_HEADER]: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
        }),
        body: jsonOrMultipart,
        produces: ['text/plain'],
        response: {
          201: Type.String({ description: 'The new issue id' }),
          ...errors,
          413: errors[400],
          429: errors[400],
        },
      },
    },
    async (request, reply) => {
      const found = await appOf(request, request.params.appId);
      const debug = request.headers[DEBUG_HEADER] === 'true';
      const { fields, files, discard, text } = await readMessage(ctx, request, found.workspace_id);
      try {
        const versionId = debug
          ? ((
              await db
                .selectFrom('app_version')
                .select('id')
                .where('app_id', '=', found.id)
                .where('status', '=', 'draft')
                .orderBy('version', 'desc')
                .executeTakeFirst()
            )?.id ?? found.released_version_id)
          : found.released_version_id;
        if (versionId === null)
          throw new NagareError('NAGARE_CONFLICT', `App "${found.id}" has no released version`);
        const model = await ctx.models.load(versionId);
        const spec = model.app.messageStarts.find((m) => m.node === request.params.node);
        if (!spec) throw new NotFound(`message start event of App "${found.id}"`, request.params.node);
        checkKey(request, found.workspace_id, spec.key, fields.key);
        const { key: _key, ...given } = fields;
        const data = text ? fromFormText(model, given) : given;
        const started = await startIssue(
          ctx,
          request.principal,
          found,
          { data: data as DataValues, mode: debug ? 'test' : 'normal' },
          files,
          spec.node,
        );
        return reply.status(201).type('text/plain; charset=utf-8').send(started.issueId);
      } catch (error) {
        await discard();
        throw error;
      }
    },
  );

  app.post(
    '/messages/apps/:appId/catch/:node',
    {
      config,
      schema: {
        summary: 'Deliver a message to an issue waiting at a message catch event',
        description:
          'Fields: `issueId`, `key` and data item values by field name (JSON or multipart/form-data).',
        tags,
        params: Params,
        body: jsonOrMultipart,
        response: { 204: Type.Null(), ...errors, 413: errors[400], 429: errors[400] },
      },
    },
    async (request, reply) => {
      const found = await appOf(request, request.params.appId);
      const { fields, files, discard, text } = await readMessage(ctx, request, found.workspace_id);
      try {
        const issueId = fields.issueId;
        if (typeof issueId !== 'string' || issueId === '')
          throw new BadRequest('body.issueId is required (the issue to deliver to)');
        const issue = await db
          .selectFrom('issue')
          .select(['id', 'app_version_id', 'state'])
          .where('workspace_id', '=', found.workspace_id)
          .where('app_id', '=', found.id)
          .where('id', '=', issueId)
          .executeTakeFirst();
        if (!issue) throw new NotFound(`issue of App "${found.id}"`, issueId);
        const subs = await db
          .selectFrom('message_subscription')
          .select(['key'])
          .where('workspace_id', '=', found.workspace_id)
          .where('issue_id', '=', issue.id)
          .where('node', '=', request.params.node)
          .execute();
        if (subs.length === 0) {
          throw new NagareError(
            'NAGARE_CONFLICT',
            `Issue "${issue.id}" is not waiting for a message at "${request.params.node}"`,
          );
        }
        const expected = subs[0]?.key ?? undefined;
        checkKey(request, found.workspace_id, expected, fields.key);
        const { key: _key, issueId: _issue, ...raw } = fields;
        const model = await ctx.models.load(issue.app_version_id);
        const incoming: Record<string, unknown> = text ? fromFormText(model, raw) : { ...raw };
        for (const [field, refs] of Object.entries(files)) incoming[field] = refs;
        const state = JSON.parse(issue.state) as { data: DataValues };
        const data = checkedWrite(model, state.data, incoming, allEditable(model), false, fileIdsOf(files));
        await ctx.runtime.deliverMessage({
          workspaceId: found.workspace_id,
          issueId: issue.id,
          node: request.params.node,
          ...(expected === undefined ? {} : { key: expected }),
          data,
          // Who delivered it, for the history: the signed-in user (an API client's own user for
          // client credentials) and the OAuth client; a delivery by key alone names no one.
          ...(request.principal ? { by: request.principal.userId } : {}),
          ...(request.principal?.clientId === undefined ? {} : { client: request.principal.clientId }),
        });
        return reply.status(204).send(null);
      } catch (error) {
        await discard();
        throw error;
      }
    },
  );
};
