import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AuthorizationError } from '../../../authorization/authorization-error.js';
import { createSecretBox, SECRET_KEY_ENV } from '../../../authorization/secret-box.js';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  urlProblem,
  WEBHOOK_EVENTS,
} from '../../../webhooks/webhook-store.js';
import { requirePrincipal } from '../../auth/principal.js';
import { BadRequest, NotFound } from '../../errors.js';
import { findApp, requireAppAdmin } from './access.js';
import type { WorkflowContext } from './context.js';
import { AppIdParams, errors, Id, Timestamp } from './schemas.js';

const tags = ['webhooks'];
const EventName = Type.Union([
  Type.Literal(WEBHOOK_EVENTS[0]),
  Type.Literal(WEBHOOK_EVENTS[1]),
  Type.Literal(WEBHOOK_EVENTS[2]),
]);
const Webhook = Type.Object(
  {
    id: Type.String(),
    appId: Type.String(),
    url: Type.String(),
    events: Type.Array(EventName),
    active: Type.Boolean(),
    createdAt: Timestamp,
  },
  { title: 'Webhook' },
);
const WebhookCreate = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    events: Type.Array(EventName, { minItems: 1, maxItems: 3 }),
  },
  { additionalProperties: false },
);

/** An App's outgoing webhooks (App administrators; docs/webhooks.md). */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: WorkflowContext }> = async (app, { ctx }) => {
  const db = ctx.store.db;

  app.get(
    '/apps/:appId/webhooks',
    {
      schema: {
        summary: "List an App's webhooks (never their secrets)",
        tags,
        params: AppIdParams,
        response: { 200: Type.Object({ items: Type.Array(Webhook) }, { title: 'WebhookList' }), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const found = await findApp(db, p.workspaceId, request.params.appId);
      await requireAppAdmin(db, p, found.id);
      return { items: await listWebhooks(db, p.workspaceId, found.id) };
    },
  );

  app.post(
    '/apps/:appId/webhooks',
    {
      schema: {
        summary: 'Add a webhook; the answer carries its signing secret, this once',
        tags,
        params: AppIdParams,
        body: WebhookCreate,
        response: {
          201: Type.Object({ webhook: Webhook, secret: Type.String() }, { title: 'WebhookCreated' }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const found = await findApp(db, p.workspaceId, request.params.appId);
      await requireAppAdmin(db, p, found.id);
      const problem = urlProblem(request.body.url);
      if (problem) throw new BadRequest(`body.url: ${problem}`);
      try {
        const box = createSecretBox(process.env[SECRET_KEY_ENV]);
        const created = await createWebhook(db, box, {
          workspaceId: p.workspaceId,
          appId: found.id,
          url: request.body.url,
          events: request.body.events,
        });
        return reply.status(201).send(created);
      } catch (error) {
        if (error instanceof AuthorizationError) throw new BadRequest(error.message);
        throw error;
      }
    },
  );

  app.delete(
    '/apps/:appId/webhooks/:webhookId',
    {
      schema: {
        summary: 'Remove a webhook (and its undelivered notifications)',
        tags,
        params: Type.Object({ appId: Id, webhookId: Id }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const found = await findApp(db, p.workspaceId, request.params.appId);
      await requireAppAdmin(db, p, found.id);
      if (!(await deleteWebhook(db, p.workspaceId, found.id, request.params.webhookId))) {
        throw new NotFound('webhook', request.params.webhookId);
      }
      return reply.status(204).send(null);
    },
  );
};
