/**
 * Start events whose add-on names the issues to start (docs/addons.md, "Start-event add-ons").
 * They ride on the Timer Start machinery (timer-starts.ts): a timer start event with an add-on
 * has its `timer_start` row; a plain start event with an add-on has one too, armed as a cycle of
 * its poll interval (apps.ts). When a worker has claimed a due row (a lease), the round here runs
 * the add-on's `list()` in the sandbox, then commits the issues it names, a polling add-on's
 * `addon_start_item` rows and the row's advance in one transaction fenced by the lease
 * (batch-program.ts `timerRound`): two nodes never both commit a round, and an id already in
 * `addon_start_item` never starts a second issue (filtered before, and the table's key refuses it
 * inside the transaction). A round that fails commits nothing: the row keeps its position, records
 * `last_error` and is tried again (a polled one at its next poll, a timer one a minute later),
 * so a missed firing is still started once; an add-on that cannot run on this start event
 * (unknown, of the wrong kind) disarms the row until the App is released again.
 *
 * A webhook add-on on a plain start event has nothing to poll: its first round disarms the row.
 */

import type { CompiledApp, TimerStartSpec } from '@nagare/engine';
import type { Kysely } from 'kysely';
import {
  START_LIST_LIMIT,
  type StartEventAddons,
  type StartListOutcome,
} from '../connectors/addon/start-events.js';
import type { ConnectorRegistry } from '../connectors/connector.js';
import { workspaceTimeZone } from '../identity/workspaces.js';
import type { ClaimedTimerStart } from '../store/job-rows.js';
import type { Database } from '../store/schema.js';
import type { ItemResult, TimerRoundItem } from './batch-program.js';
import { iso } from './clock.js';
import type { TimerStartRound } from './timer-starts.js';
import type { WorkerEvent } from './worker.js';
import type { AddonStartItemInsert } from './write-set.js';

/** A timer add-on's failed round is tried again this much later (at most until its next firing). */
export const ADDON_RETRY_MS = 60_000;

export interface AddonRoundHost {
  readonly db: Kysely<Database>;
  readonly connectors: ConnectorRegistry;
  readonly now: () => number;
  readonly newId: () => string;
  readonly app: (versionId: string) => Promise<CompiledApp>;
  readonly submit: (item: TimerRoundItem) => Promise<ItemResult>;
}

/** `engine.isProcessStarted(id)` of a start event's add-on: has the id started an issue already? */
export function itemStarted(
  db: Kysely<Database>,
  keys: { workspace_id: string; app_id: string; node: string },
): (id: string) => Promise<boolean> {
  return async (id) =>
    (await db
      .selectFrom('addon_start_item')
      .select('issue_id')
      .where('workspace_id', '=', keys.workspace_id)
      .where('app_id', '=', keys.app_id)
      .where('node', '=', keys.node)
      .where('item_id', '=', id)
      .executeTakeFirst()) !== undefined;
}

/** The start-event runner of the connector of `type` (the add-on connector has one). */
export function startEventsOf(connectors: ConnectorRegistry, type: string): StartEventAddons | undefined {
  const c = connectors.get(type) as { startEvents?: StartEventAddons } | undefined;
  return c?.startEvents;
}

/**
 * Runs the add-on rounds of a runtime: `run` awaits one; `detach` lets a worker's loop go on
 * while the script runs (the row stays leased meanwhile); `close` aborts and waits for them.
 */
export class AddonRounds {
  readonly #host: AddonRoundHost;
  readonly #pending = new Set<Promise<number>>();
  readonly #stop = new AbortController();

  constructor(host: AddonRoundHost) {
    this.#host = host;
  }

  detach(...args: Parameters<AddonRounds['run']>): void {
    const p = this.run(...args).catch((error) => {
      args[5]?.({ type: 'error', error });
      return 0;
    });
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.all([...this.#pending]);
  }

  /** One round of a claimed row whose firing is due; the issues started. */
  async run(
    row: ClaimedTimerStart,
    spec: TimerStartSpec,
    round: TimerStartRound,
    workerId: string,
    leaseMs: number,
    onEvent?: (event: WorkerEvent) => void,
  ): Promise<number> {
    const h = this.#host;
    const automation = spec.automation!;
    const app = await h.app(row.app_version_id);
    const node = app.nodes[row.node];
    const timer = node?.kind === 'start' && node.trigger === 'timer';
    const keys = { workspace_id: row.workspace_id, app_id: row.app_id, node: row.node };
    const source = startEventsOf(h.connectors, automation.type);
    let outcome: StartListOutcome;
    if (!source) {
      outcome = {
        ok: false,
        code: 'BAD_CONFIG',
        message: 'add-ons are not available on this server',
        permanent: false,
      };
    } else {
      const newest = await h.db
        .selectFrom('addon_start_item')
        .select((eb) => eb.fn.max('item_at').as('at'))
        .where('workspace_id', '=', keys.workspace_id)
        .where('app_id', '=', keys.app_id)
        .where('node', '=', keys.node)
        .executeTakeFirst();
      const lowerLimit = Date.parse(newest?.at ?? row.armed_at);
      const timeZone = await workspaceTimeZone(h.db, row.workspace_id);
      // the script must end (30 s at most) well before the lease does
      const signal = AbortSignal.any([
        this.#stop.signal,
        AbortSignal.timeout(Math.max(1_000, leaseMs - 10_000)),
      ]);
      outcome = await source.list(
        {
          workspaceId: row.workspace_id,
          appId: row.app_id,
          node: row.node,
          automation,
          app,
          timer,
          limit: START_LIST_LIMIT,
          lowerLimit,
          ...(timeZone === undefined ? {} : { timeZone }),
          idempotencyKey: `${row.app_id}:${row.node}:${iso(round.dueAt!)}`,
          processStarted: itemStarted(h.db, keys),
        },
        signal,
      );
    }
    const now = h.now();
    if (!outcome.ok || outcome.kind === 'webhook') {
      const error = outcome.ok ? null : `${outcome.code}: ${outcome.message}`;
      const retryAt = timer
        ? Math.min(now + ADDON_RETRY_MS, round.nextAt ?? Number.POSITIVE_INFINITY)
        : round.nextAt;
      const nextAt = outcome.ok || outcome.permanent ? null : retryAt;
      await h.db
        .updateTable('timer_start')
        .set({
          next_at: nextAt === null ? null : iso(nextAt),
          last_error: error,
          locked_by: null,
          locked_until: null,
        })
        .where('app_id', '=', row.app_id)
        .where('node', '=', row.node)
        .where('locked_by', '=', workerId)
        .execute();
      if (!outcome.ok)
        onEvent?.({
          type: 'error',
          error: new Error(`start event ${row.app_id}/${row.node}: ${error}`),
        });
      return 0;
    }

    let items = outcome.items;
    const seen: AddonStartItemInsert[] = [];
    if (outcome.kind === 'poll') {
      const ids = [...new Set(items.map((i) => i.id!))];
      const known = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await h.db
          .selectFrom('addon_start_item')
          .select('item_id')
          .where('workspace_id', '=', keys.workspace_id)
          .where('app_id', '=', keys.app_id)
          .where('node', '=', keys.node)
          .where('item_id', 'in', ids.slice(i, i + 500))
          .execute();
        for (const r of rows) known.add(r.item_id);
      }
      items = items.filter((item) => {
        if (known.has(item.id!)) return false;
        known.add(item.id!); // the same id twice in one answer starts one issue
        return true;
      });
    }
    const nowIso = iso(now);
    const starts = items.map((item) => {
      const issueId = h.newId();
      if (outcome.kind === 'poll')
        seen.push({
          ...keys,
          item_id: item.id!,
          issue_id: issueId,
          item_at: item.at === null ? null : iso(item.at),
          created_at: nowIso,
        });
      return {
        kind: 'command' as const,
        issueId,
        command: { type: 'StartIssue' as const, issueId, startEvent: row.node, data: item.data },
        start: { appId: row.app_id, appVersionId: row.app_version_id, workspaceId: row.workspace_id },
      };
    });
    const result = await h.submit({
      kind: 'timerRound',
      starts,
      ...(seen.length > 0 ? { items: seen } : {}),
      advance: {
        app_id: row.app_id,
        node: row.node,
        locked_by: workerId,
        last_fired_at: iso(round.dueAt!),
        next_at: round.nextAt === null ? null : iso(round.nextAt),
        fired: row.fired + 1,
      },
    });
    if (!result.ok) {
      onEvent?.({ type: 'error', error: result.error });
      return 0;
    }
    const n = result.started?.length ?? 0;
    onEvent?.({ type: 'timerStart:round', app: row.app_id, node: row.node, started: n });
    return n;
  }
}
