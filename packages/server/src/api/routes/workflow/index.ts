import { dirname, join } from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { createSecretBox, parseSecretKey, SECRET_KEY_ENV } from '../../../authorization/secret-box.js';
import type { FileStore } from '../../../files/file-store.js';
import { LocalFileStore } from '../../../files/local-file-store.js';
import { OUTBOUND_ALLOW_ENV, OutboundAllowList, parseAllowList } from '../../../outbound/allow-list-store.js';
import { createOutboundFetch } from '../../../outbound/outbound-fetch.js';
import { createRuntime, type Runtime } from '../../../runtime/runtime.js';
import type { Store } from '../../../store/database.js';
import { WebhookDispatcher } from '../../../webhooks/webhook-dispatcher.js';
import type { NodeRole } from '../../node-info.js';
import { addonStartRoutes } from '../addon-starts/index.js';
import { messageRoutes } from '../messages/index.js';
import { installStrictValidation } from '../system/strict-validation.js';
import { appRoutes } from './apps.js';
import { workflowContext } from './context.js';
import { mapWorkflowErrors } from './errors.js';
import { formRoutes } from './forms.js';
import { issueRoutes } from './issues.js';
import { taskRoutes } from './tasks.js';
import { MULTIPART_LIMITS } from './uploads.js';
import { webhookRoutes } from './webhooks.js';

export interface WorkflowOptions {
  /** The node's runtime; without one the routes make their own (commands only, no worker). */
  readonly runtime?: Runtime;
  /** Where attachments go; default a LocalFileStore beside the SQLite file or in NAGARE_FILES_DIR. */
  readonly files?: FileStore;
  /**
   * Deliver outgoing webhooks from this node (docs/webhooks.md). Default: on nodes that are not
   * `api`-only and have a usable NAGARE_SECRET_KEY (the secrets cannot be read without it).
   */
  readonly webhooks?: boolean;
  /** HTTP message event requests per minute per client address or signed-in user (default 600). */
  readonly messageRatePerMinute?: number;
}

/** The default file root: NAGARE_FILES_DIR, else `files/` beside the SQLite database. */
export function defaultFilesRoot(store: Store): string {
  const fromEnv = process.env.NAGARE_FILES_DIR;
  if (fromEnv && fromEnv.trim() !== '') return fromEnv;
  return store.dialect === 'sqlite'
    ? join(dirname(store.location), 'files')
    : join(process.cwd(), 'data', 'files');
}

/**
 * The Workflow API under /api (docs/workflow-api.md): Apps, issues, tasks, forms,
 * attachments and webhooks, for the signed-in caller's workspace.
 */
export const workflowRoutes: FastifyPluginAsync<{ store: Store; role?: NodeRole } & WorkflowOptions> = async (
  app,
  options,
) => {
  const store = options.store;
  const ownRuntime = options.runtime === undefined ? createRuntime(store) : undefined;
  const runtime = options.runtime ?? (ownRuntime as Runtime);
  const files = options.files ?? new LocalFileStore({ store, root: defaultFilesRoot(store) });
  if (ownRuntime) app.addHook('onClose', async () => ownRuntime.close());
  const ctx = workflowContext(store, runtime, files, options.messageRatePerMinute);
  const key = process.env[SECRET_KEY_ENV];
  const deliver = options.webhooks ?? (options.role !== 'api' && typeof parseSecretKey(key) !== 'string');
  if (deliver) {
    // The workspace administrator's outbound allow-list applies, as to every outbound call.
    const allowList = new OutboundAllowList(store.db, {
      everywhere: parseAllowList(process.env[OUTBOUND_ALLOW_ENV]),
    });
    const dispatcher = new WebhookDispatcher({
      store,
      secrets: createSecretBox(key),
      fetch: createOutboundFetch({ allow: allowList.allow }),
      onError: (error) => app.log.error({ err: error }, 'webhook delivery failed'),
    });
    app.addHook('onReady', async () => dispatcher.start());
    app.addHook('onClose', async () => dispatcher.stop());
  }
  await app.register(
    async (api) => {
      mapWorkflowErrors(api);
      // Bodies are checked as sent: no coercion of types, no silently dropped unknown fields.
      installStrictValidation(api);
      await api.register(multipart, { limits: MULTIPART_LIMITS });
      for (const routes of [appRoutes, issueRoutes, taskRoutes, formRoutes, webhookRoutes, messageRoutes]) {
        await api.register(routes, { ctx });
      }
      await api.register(addonStartRoutes, { ctx });
    },
    { prefix: '/api' },
  );
};
