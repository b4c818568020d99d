/**
 * Start-event add-ons (`<addon-type>` `START_EVENT`, `START_EVENT_TIMER`, `START_EVENT_WEBHOOK`):
 * their scripts run in the sandbox with the start event's configs, as an add-on step's do, but
 * with no issue yet. The runtime decides when (a leased `timer_start` row, runtime/addon-starts.ts)
 * and commits the issues; the webhook route answers HTTP. This file only runs scripts:
 *
 * - `list()`: `list(limit, timestampLowerLimit)` of a polling add-on, `list(limit)` of a timer
 *   add-on; each item becomes the data of one issue: the item's key `k` goes to the data item
 *   named by the config `conf_<k>Data` (`conf_idData`, `conf_timestampData`, …).
 * - `post()`: `post({ body, headers })` of a webhook add-on; the data the script set with
 *   `engine.setData` start an issue when it called `engine.setStartProcess(true)`; its return
 *   value (`{ status }`, `{ 'content-type', body }`) is the HTTP answer.
 */
import type { AutomationSpec, CompiledApp, DataValues } from '@nagare/engine';
import type { AddonDefinition } from '../../addons/addon-xml.js';
import { itemsForScript, type ScriptWrite, writesToData } from '../../script/data-bridge.js';
import { runScript, type ScriptConfig, type ScriptOutcome } from '../../script/run-script.js';
import type { ZoneSpec } from '../../script/time-zone.js';
import { readStepZone, runZone } from '../script/config.js';
import { type ScriptHostDeps, scriptHost } from '../script/host.js';
import { readAddonConfigs } from './config.js';
import type { AddonLoader } from './connector.js';

/** Items one round may start (the `limit` given to `list()`). */
export const START_LIST_LIMIT = 100;

export interface StartEventRun {
  readonly workspaceId: string;
  readonly appId: string;
  readonly node: string;
  readonly automation: AutomationSpec;
  readonly app: CompiledApp;
  /** `engine.isProcessStarted(id)`: whether this start event started an issue for `id`. */
  readonly processStarted: (id: string) => Promise<boolean>;
  /** Stable per round (a repeated round sends the same keys). */
  readonly idempotencyKey: string;
  /** The Workspace's time zone (IANA); a `timezone` config wins. Default UTC. */
  readonly timeZone?: string;
}

export interface StartListRun extends StartEventRun {
  /** The start event is a timer start event (else a plain one, polled). */
  readonly timer: boolean;
  readonly limit: number;
  /** `timestampLowerLimit` of a polling add-on (epoch ms). */
  readonly lowerLimit: number;
}

export interface StartListItem {
  /** The item's `id` as text (null when it had none). */
  readonly id: string | null;
  /** The item's `timestamp` (epoch ms), when it had one. */
  readonly at: number | null;
  readonly data: DataValues;
}

export type StartListOutcome =
  | {
      readonly ok: true;
      /** `poll`: dedupe by id; `timer`: one issue per item each round; `webhook`: nothing to poll. */
      readonly kind: 'poll' | 'timer' | 'webhook';
      readonly items: readonly StartListItem[];
      readonly logs: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      /** The start event cannot run this add-on until the App is released again (wrong kind, unknown add-on). */
      readonly permanent: boolean;
    };

export interface StartPostRun extends StartEventRun {
  readonly body: string;
  readonly headers: readonly (readonly [string, string])[];
}

export type StartPostOutcome =
  | {
      readonly ok: true;
      /** The data of the issue to start, when the script called `engine.setStartProcess(true)`. */
      readonly start: DataValues | null;
      readonly reply: { readonly status: number; readonly contentType?: string; readonly body?: string };
      readonly logs: readonly string[];
    }
  | {
      readonly ok: false;
      /** `ADDON_UNKNOWN`, `ADDON_WRONG_TYPE`, `BAD_CONFIG`, `SCRIPT_*`. */
      readonly code: string;
      readonly message: string;
    };

/** Runs the scripts of start-event add-ons; the add-on connector carries one (`startEvents`). */
export interface StartEventAddons {
  list(run: StartListRun, signal: AbortSignal): Promise<StartListOutcome>;
  post(run: StartPostRun, signal: AbortSignal): Promise<StartPostOutcome>;
}

export interface StartEventDeps extends ScriptHostDeps {
  readonly addons?: AddonLoader;
}

type Prepared =
  | {
      readonly ok: true;
      readonly addon: AddonDefinition;
      readonly addonId: string;
      readonly configs: Record<string, ScriptConfig>;
      readonly tz: ZoneSpec;
    }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly permanent: boolean };

export function startEventAddons(deps: StartEventDeps = {}): StartEventAddons {
  const host = scriptHost(deps);

  async function prepare(run: StartEventRun): Promise<Prepared> {
    const ref = run.automation.addon?.trim() ?? '';
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,99})(?:@(\d+))?$/.exec(ref);
    const bad = (message: string, code = 'BAD_CONFIG', permanent = true): Prepared => ({
      ok: false,
      code,
      message,
      permanent,
    });
    if (!m) return bad(`the start event names no add-on (addon="id" or "id@version"), got "${ref}"`);
    if (!deps.addons) return bad('add-ons are not available on this server');
    const addon = await deps.addons(run.workspaceId, m[1]!, m[2] === undefined ? undefined : Number(m[2]));
    if (!addon) return bad(`no add-on "${ref}" in this workspace`, 'ADDON_UNKNOWN');
    const stepZone = readStepZone(run.automation.configs.timezone);
    if (typeof stepZone === 'string') return bad(stepZone);
    const zone = runZone(stepZone, run.timeZone);
    const read = readAddonConfigs(addon, run.automation.configs, itemsForScript(run.app.dataItems, {}));
    if (!read.ok) return bad(read.error);
    const configs = { ...read.configs };
    for (const [config, name] of Object.entries(read.auth)) {
      const setting = host.authorization
        ? await host.authorization({ workspaceId: run.workspaceId, appId: run.appId, name })
        : undefined;
      // a setting may be added later: worth another round
      if (!setting)
        return bad(
          `config "${config}": no authorization setting "${name}" for this App`,
          'BAD_CONFIG',
          false,
        );
      configs[config] = { value: name, auth: setting };
    }
    return { ok: true, addon, addonId: m[1]!, configs, tz: zone.zone };
  }

  function script(
    run: StartEventRun,
    p: Extract<Prepared, { ok: true }>,
    entry: string,
    signal: AbortSignal,
  ) {
    return runScript({
      workspaceId: run.workspaceId,
      appId: run.appId,
      issueId: '',
      idempotencyKey: run.idempotencyKey,
      debug: false,
      script: p.addon.script,
      scriptName: `addon/${p.addonId}.js`,
      entry,
      items: itemsForScript(run.app.dataItems, {}),
      configs: p.configs,
      timeZone: p.tz,
      fetch: host.fetchFor(run),
      ...(host.authorization ? { authorization: host.authorization } : {}),
      ...(host.mailer ? { mailer: host.mailer } : {}),
      processStarted: run.processStarted,
      signal,
    });
  }

  return {
    async list(run, signal) {
      const p = await prepare(run);
      if (!p.ok) return p;
      const type = p.addon.type;
      const wrong = (message: string): StartListOutcome => ({
        ok: false,
        code: 'ADDON_WRONG_TYPE',
        message,
        permanent: true,
      });
      if (type === 'START_EVENT_WEBHOOK') {
        if (run.timer)
          return wrong(`add-on "${p.addonId}" is a webhook start event: model it on a plain start event`);
        return { ok: true, kind: 'webhook', items: [], logs: [] };
      }
      if (type === 'START_EVENT_TIMER' && !run.timer)
        return wrong(`add-on "${p.addonId}" is a timer start event: model it on a timer start event`);
      if (type !== 'START_EVENT' && type !== 'START_EVENT_TIMER')
        return wrong(`add-on "${p.addonId}" is a ${type}, not a start event`);
      const limit = Math.max(1, Math.floor(run.limit));
      const args =
        type === 'START_EVENT'
          ? `${limit}, new java.sql.Timestamp(${Math.floor(run.lowerLimit)})`
          : `${limit}`;
      const outcome = await script(run, p, `__nagare.items(list(${args}))`, signal);
      if (!outcome.ok) return { ok: false, code: outcome.code, message: outcome.message, permanent: false };
      const listed = outcome.returned as readonly {
        id: string | null;
        at: number | null;
        values: Record<string, ScriptWrite['value']>;
        bad: Record<string, string>;
      }[];
      const items: StartListItem[] = [];
      for (const [i, item] of listed.slice(0, limit).entries()) {
        const data = itemData(item.values, item.bad, p.configs, run.app, p.tz);
        if (typeof data === 'string')
          return {
            ok: false,
            code: 'SCRIPT_BAD_VALUE',
            message: `list() item ${i}: ${data}`,
            permanent: false,
          };
        items.push({ id: item.id, at: item.at, data });
      }
      if (type === 'START_EVENT' && items.some((item) => item.id === null))
        return {
          ok: false,
          code: 'SCRIPT_BAD_VALUE',
          message: 'list() of a polling add-on must give every item an id',
          permanent: false,
        };
      return { ok: true, kind: type === 'START_EVENT' ? 'poll' : 'timer', items, logs: outcome.logs };
    },

    async post(run, signal) {
      const p = await prepare(run);
      if (!p.ok) return { ok: false, code: p.code, message: p.message };
      if (p.addon.type !== 'START_EVENT_WEBHOOK')
        return {
          ok: false,
          code: 'ADDON_WRONG_TYPE',
          message: `add-on "${p.addonId}" is a ${p.addon.type}, not a webhook start event`,
        };
      const request = JSON.stringify({ body: run.body, headers: run.headers });
      const entry = `(function () { const r = JSON.parse(${JSON.stringify(request)}); return post({ body: r.body, headers: __nagare.headers(r.headers) }); })()`;
      const outcome: ScriptOutcome = await script(run, p, entry, signal);
      if (!outcome.ok) return { ok: false, code: outcome.code, message: outcome.message };
      const reply = replyOf(outcome.returned);
      if (typeof reply === 'string') return { ok: false, code: 'SCRIPT_BAD_VALUE', message: reply };
      if (!outcome.startProcess) return { ok: true, start: null, reply, logs: outcome.logs };
      const converted = writesToData(outcome.writes, run.app.dataItems, p.tz);
      if (!converted.ok) return { ok: false, code: 'SCRIPT_BAD_VALUE', message: converted.error };
      return { ok: true, start: converted.data, reply, logs: outcome.logs };
    },
  };
}

/** An item's keys into the data items its `conf_<key>Data` configs name (keys without one are not kept). */
function itemData(
  values: Record<string, ScriptWrite['value']>,
  bad: Record<string, string>,
  configs: Readonly<Record<string, ScriptConfig>>,
  app: CompiledApp,
  tz: ZoneSpec,
): DataValues | string {
  const items = itemsForScript(app.dataItems, {});
  const writes: ScriptWrite[] = [];
  for (const key of new Set([...Object.keys(values), ...Object.keys(bad)])) {
    const number = configs[`conf_${key}Data`]?.item;
    if (number === undefined) continue;
    const item = items.find((i) => i.number === number);
    if (!item) continue;
    if (bad[key] !== undefined) return `"${key}": ${bad[key]}`;
    writes.push({ number, varName: item.varName, value: values[key] ?? null });
  }
  const converted = writesToData(writes, app.dataItems, tz);
  return converted.ok ? converted.data : converted.error;
}

/** `{ status }`, `{ 'content-type', body }` or nothing (200, no body). */
function replyOf(returned: unknown): { status: number; contentType?: string; body?: string } | string {
  if (returned === null || returned === undefined) return { status: 200 };
  if (typeof returned !== 'object' || Array.isArray(returned))
    return `post() must return { status } or { 'content-type', body }, got ${JSON.stringify(returned)}`;
  const r = returned as Record<string, unknown>;
  const status = r.status === undefined ? 200 : Number(r.status);
  if (!Number.isInteger(status) || status < 200 || status > 599)
    return `post() returned status ${JSON.stringify(r.status)}: not an HTTP status`;
  const type = r['content-type'] ?? r.contentType;
  return {
    status,
    ...(type === undefined || type === null ? {} : { contentType: String(type) }),
    ...(r.body === undefined || r.body === null ? {} : { body: String(r.body) }),
  };
}
