import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../authorization/secret-box.js';
import type { Database } from '../store/schema.js';

export const WEBHOOK_EVENTS = ['issue.started', 'step.reached', 'issue.ended'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookView {
  readonly id: string;
  readonly appId: string;
  readonly url: string;
  readonly events: WebhookEvent[];
  readonly active: boolean;
  readonly createdAt: string;
}

/** Where a webhook's sealed secret belongs (bound into the ciphertext). */
export const secretContext = (workspaceId: string, id: string) => `webhook:${workspaceId}:${id}`;

function view(row: Database['webhook']): WebhookView {
  return {
    id: row.id,
    appId: row.app_id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEvent[],
    active: row.active === 1,
    createdAt: row.created_at,
  };
}

/** A URL the webhook may call: absolute http(s), no credentials in it. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not an absolute URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'the URL must be http or https';
  if (url.username !== '' || url.password !== '') return 'the URL must not carry a user name or password';
  return undefined;
}

/**
 * Creates a webhook and returns its secret once (the caller shows it to the user; it is stored
 * sealed and never returned again).
 */
export async function createWebhook(
  db: Kysely<Database>,
  box: SecretBox,
  input: { workspaceId: string; appId: string; url: string; events: readonly WebhookEvent[] },
): Promise<{ webhook: WebhookView; secret: string }> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const now = new Date().toISOString();
  const row = {
    workspace_id: input.workspaceId,
    id,
    app_id: input.appId,
    url: input.url,
    events: JSON.stringify([...new Set(input.events)]),
    secret: box.seal(secret, secretContext(input.workspaceId, id)),
    active: 1,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('webhook').values(row).execute();
  return { webhook: view(row), secret };
}

export async function listWebhooks(
  db: Kysely<Database>,
  workspaceId: string,
  appId: string,
): Promise<WebhookView[]> {
  const rows = await db
    .selectFrom('webhook')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('app_id', '=', appId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(view);
}

/** Deletes a webhook and its pending deliveries; false when there is no such webhook there. */
export async function deleteWebhook(
  db: Kysely<Database>,
  workspaceId: string,
  appId: string,
  id: string,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .deleteFrom('webhook')
      .where('workspace_id', '=', workspaceId)
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    await tx
      .deleteFrom('webhook_delivery')
      .where('workspace_id', '=', workspaceId)
      .where('webhook_id', '=', id)
      .execute();
    return true;
  });
}
