import { randomUUID } from 'node:crypto';
import type { HistoryEvent } from '@nagare/engine';
import type { SecretBox } from '../authorization/secret-box.js';
import { createOutboundFetch, type OutboundFetch } from '../outbound/outbound-fetch.js';
import { backoffDelay } from '../runtime/worker.js';
import type { Store } from '../store/database.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign } from './signature.js';
import { secretContext, type WebhookEvent } from './webhook-store.js';

export interface WebhookDispatcherOptions {
  readonly store: Store;
  readonly secrets: SecretBox;
  /** Outbound calls (private addresses refused unless allowed); default createOutboundFetch(). */
  readonly fetch?: OutboundFetch;
  readonly pollMs?: number;
  readonly maxAttempts?: number;
  readonly backoff?: { baseMs: number; factor: number; maxMs: number };
  readonly leaseMs?: number;
  /** History rows per page of a scan (default 1,000). */
  readonly scanLimit?: number;
  readonly onError?: (error: unknown) => void;
}

/** History rows this recent are read again on the next scan: commits can land slightly out of `at` order. */
const LAG_MS = 10_000;
/** Pages per scan: a backlog beyond this is read by the next scans (the cursor moves on). */
const MAX_PAGES = 20;
const CLAIM_LIMIT = 20;
const CURSOR_ID = 'history';

/** What history event notifies which webhook event. */
function webhookEventOf(event: HistoryEvent): { event: WebhookEvent; node?: string } | undefined {
  switch (event.type) {
    case 'IssueStarted':
      return { event: 'issue.started', node: event.node };
    case 'TaskOpened':
    case 'JobScheduled':
      return { event: 'step.reached', node: event.node };
    case 'IssueEnded':
      return { event: 'issue.ended' };
    default:
      return undefined;
  }
}

/**
 * Outgoing webhooks: a scan turns new history rows of Apps with webhooks into delivery rows
 * (unique per webhook and event, so a repeated scan or a second node queues nothing twice),
 * and a delivery loop posts them, signed, retrying with back-off like a job. The runtime's job
 * table is not used: deliveries are not issue commands and must not hold an issue's seq.
 */
export class WebhookDispatcher {
  readonly #o: Required<Omit<WebhookDispatcherOptions, 'onError'>> &
    Pick<WebhookDispatcherOptions, 'onError'>;
  readonly #workerId = `webhooks-${randomUUID()}`;
  #timer: NodeJS.Timeout | undefined;
  /** History rows queued in the overlap window (key → at), pruned as the window moves on. */
  readonly #seen = new Map<string, string>();
  #running: Promise<void> | undefined;

  constructor(options: WebhookDispatcherOptions) {
    this.#o = {
      fetch: createOutboundFetch(),
      pollMs: 1_000,
      maxAttempts: 8,
      backoff: { baseMs: 2_000, factor: 2, maxMs: 3_600_000 },
      leaseMs: 60_000,
      scanLimit: 1_000,
      ...options,
    };
  }

  start(): void {
    if (this.#timer) return;
    const tick = () => {
      this.#running = this.runOnce()
        .then(() => undefined)
        .catch((error) => this.#o.onError?.(error))
        .finally(() => {
          if (this.#timer) this.#timer = setTimeout(tick, this.#o.pollMs);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One scan and one round of deliveries; returns how many were queued and sent. */
  async runOnce(): Promise<{ queued: number; delivered: number; failed: number }> {
    const queued = await this.scan();
    const { delivered, failed } = await this.deliver();
    return { queued, delivered, failed };
  }

  /** Queues deliveries for history written since the last scan. */
  async scan(): Promise<number> {
    const db = this.#o.store.db;
    const hooks = await db.selectFrom('webhook').selectAll().where('active', '=', 1).execute();
    if (hooks.length === 0) return 0;
    const cursor = await db
      .selectFrom('webhook_cursor')
      .select('at')
      .where('id', '=', CURSOR_ID)
      .executeTakeFirst();
    const earliest = hooks.map((h) => h.created_at).sort()[0] as string;
    const from = new Date(Date.parse(cursor?.at ?? earliest) - LAG_MS).toISOString();
    const apps = [...new Set(hooks.map((h) => h.app_id))];
    const rows = [];
    // Pages keyed on (at, issue, ordinal), so a burst larger than a page is read through, not re-read.
    let after: { at: string; issue: string; ordinal: number } | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let q = db
        .selectFrom('history')
        .innerJoin('issue', 'issue.id', 'history.issue_id')
        .select([
          'history.issue_id',
          'history.ordinal',
          'history.events',
          'history.at',
          'issue.app_id',
          'issue.workspace_id',
          'issue.status',
        ])
        // Driven from the issues of Apps with webhooks (indexed by app), not a scan of all
        // history: an issue with a history row since `from` was updated since then.
        .where('issue.app_id', 'in', apps)
        .where('issue.updated_at', '>=', from)
        .where('history.at', '>=', from);
      if (after) {
        const a = after;
        q = q.where((eb) =>
          eb.or([
            eb('history.at', '>', a.at),
            eb.and([eb('history.at', '=', a.at), eb('history.issue_id', '>', a.issue)]),
            eb.and([
              eb('history.at', '=', a.at),
              eb('history.issue_id', '=', a.issue),
              eb('history.ordinal', '>', a.ordinal),
            ]),
          ]),
        );
      }
      const batch = await q
        .orderBy('history.at')
        .orderBy('history.issue_id')
        .orderBy('history.ordinal')
        .limit(this.#o.scanLimit)
        .execute();
      rows.push(...batch);
      const last = batch.at(-1);
      if (batch.length < this.#o.scanLimit || !last) break;
      after = { at: last.at, issue: last.issue_id, ordinal: last.ordinal };
    }
    let queued = 0;
    let newest = cursor?.at ?? earliest;
    const now = new Date().toISOString();
    for (const row of rows) {
      if (row.at > newest) newest = row.at;
      // The overlap window is read again every scan; rows already queued by this node are skipped
      // (another node's are refused by the unique key).
      const seenKey = `${row.issue_id}\u0000${row.ordinal}`;
      if (this.#seen.has(seenKey)) continue;
      const events = JSON.parse(row.events) as HistoryEvent[];
      for (const [index, event] of events.entries()) {
        const mapped = webhookEventOf(event);
        if (!mapped) continue;
        for (const hook of hooks) {
          if (hook.app_id !== row.app_id || hook.workspace_id !== row.workspace_id) continue;
          if (hook.created_at > row.at) continue;
          if (!(JSON.parse(hook.events) as string[]).includes(mapped.event)) continue;
          const id = randomUUID();
          const body = JSON.stringify({
            id,
            event: mapped.event,
            at: row.at,
            workspaceId: row.workspace_id,
            appId: row.app_id,
            issueId: row.issue_id,
            ...(mapped.node === undefined ? {} : { node: mapped.node }),
            ...(mapped.event === 'issue.ended'
              ? { status: (event as { status?: string }).status ?? row.status }
              : {}),
          });
          const r = await db
            .insertInto('webhook_delivery')
            .values({
              workspace_id: row.workspace_id,
              id,
              webhook_id: hook.id,
              issue_id: row.issue_id,
              ordinal: row.ordinal,
              event_index: index,
              event: mapped.event,
              body,
              status: 'pending',
              attempts: 0,
              max_attempts: this.#o.maxAttempts,
              run_at: now,
              locked_by: null,
              locked_until: null,
              last_status: null,
              last_error: null,
              created_at: now,
              delivered_at: null,
            })
            .onConflict((oc) => oc.columns(['webhook_id', 'issue_id', 'ordinal', 'event_index']).doNothing())
            .executeTakeFirst();
          queued += Number(r.numInsertedOrUpdatedRows ?? 0n);
        }
      }
      // Only once every event of the row is queued (a failure half-way reads it again).
      this.#seen.set(seenKey, row.at);
    }
    for (const [key, at] of this.#seen) if (at < from) this.#seen.delete(key);
    await db
      .insertInto('webhook_cursor')
      .values({ id: CURSOR_ID, at: newest })
      .onConflict((oc) => oc.column('id').doUpdateSet({ at: newest }))
      .execute();
    return queued;
  }

  /** Posts the deliveries that are due (each leased first, so two nodes never send one at once). */
  async deliver(): Promise<{ delivered: number; failed: number }> {
    const db = this.#o.store.db;
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const due = await db
      .selectFrom('webhook_delivery')
      .select(['workspace_id', 'id'])
      .where('status', '=', 'pending')
      .where('run_at', '<=', nowIso)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
      .orderBy('run_at')
      .limit(CLAIM_LIMIT)
      .execute();
    let delivered = 0;
    let failed = 0;
    for (const candidate of due) {
      const claim = await db
        .updateTable('webhook_delivery')
        .set((eb) => ({
          locked_by: this.#workerId,
          locked_until: new Date(now + this.#o.leaseMs).toISOString(),
          attempts: eb('attempts', '+', 1),
        }))
        .where('workspace_id', '=', candidate.workspace_id)
        .where('id', '=', candidate.id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
        .executeTakeFirst();
      if (Number(claim.numUpdatedRows) !== 1) continue;
      const d = await db
        .selectFrom('webhook_delivery')
        .innerJoin('webhook', (j) =>
          j
            .onRef('webhook.id', '=', 'webhook_delivery.webhook_id')
            .onRef('webhook.workspace_id', '=', 'webhook_delivery.workspace_id'),
        )
        .select([
          'webhook_delivery.id',
          'webhook_delivery.workspace_id',
          'webhook_delivery.body',
          'webhook_delivery.event',
          'webhook_delivery.attempts',
          'webhook_delivery.max_attempts',
          'webhook.id as webhook_id',
          'webhook.url',
          'webhook.secret',
        ])
        .where('webhook_delivery.workspace_id', '=', candidate.workspace_id)
        .where('webhook_delivery.id', '=', candidate.id)
        .executeTakeFirst();
      if (!d) continue;
      const outcome = await this.#post(d);
      const done = outcome.ok;
      const giveUp = !done && d.attempts >= d.max_attempts;
      await db
        .updateTable('webhook_delivery')
        .set({
          status: done ? 'delivered' : giveUp ? 'failed' : 'pending',
          locked_by: null,
          locked_until: null,
          last_status: outcome.status ?? null,
          last_error: outcome.error ?? null,
          delivered_at: done ? new Date().toISOString() : null,
          run_at:
            done || giveUp
              ? nowIso
              : new Date(Date.now() + backoffDelay(d.attempts, this.#o.backoff, Math.random())).toISOString(),
        })
        .where('workspace_id', '=', d.workspace_id)
        .where('id', '=', d.id)
        .where('locked_by', '=', this.#workerId)
        .execute();
      if (done) delivered++;
      else if (giveUp) failed++;
    }
    return { delivered, failed };
  }

  async #post(d: {
    workspace_id: string;
    id: string;
    body: string;
    event: string;
    webhook_id: string;
    url: string;
    secret: string;
  }): Promise<{ ok: boolean; status?: number; error?: string }> {
    try {
      const secret = this.#o.secrets.open(d.secret, secretContext(d.workspace_id, d.webhook_id));
      const response = await this.#o.fetch(
        d.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Nagare-Webhook/1',
            [SIGNATURE_HEADER]: sign(secret, d.body),
            [EVENT_HEADER]: d.event,
            [DELIVERY_HEADER]: d.id,
          },
          body: d.body,
        },
        { workspaceId: d.workspace_id },
      );
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message.slice(0, 500) : String(error) };
    }
  }
}
