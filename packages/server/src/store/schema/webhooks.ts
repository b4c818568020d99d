/** Outgoing webhooks (migration 0009, docs/webhooks.md). */

/** A URL an App notifies when its issues start, reach a step or end. */
export interface WebhookTable {
  workspace_id: string;
  id: string;
  app_id: string;
  url: string;
  /** JSON array of event names: `issue.started`, `step.reached`, `issue.ended`. */
  events: string;
  /** The signing secret, sealed with NAGARE_SECRET_KEY (never stored or returned in the clear). */
  secret: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/** One notification to send: a job of its own, retried with back-off until delivered or given up. */
export interface WebhookDeliveryTable {
  workspace_id: string;
  id: string;
  webhook_id: string;
  /** The history row and the event's index in it: with webhook_id, unique (never queued twice). */
  issue_id: string;
  ordinal: number;
  event_index: number;
  event: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** Where the history scan for webhooks has got to (one row: the newest `at` seen). */
export interface WebhookCursorTable {
  id: string;
  at: string;
}

export interface WebhookTables {
  webhook: WebhookTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_cursor: WebhookCursorTable;
}
