/**
 * A script step's settings: the script itself (`bpmn:scriptTask` body, format JavaScript) and
 * the step's `<nagare:config>` values, which the script reads with `configs.get(name)`:
 *
 * | name        | meaning                                                            |
 * | ----------- | ------------------------------------------------------------------ |
 * | `timeout`   | milliseconds, at most (and by default) 30000                       |
 * | `timezone`  | the engine's time zone for dates: `GMT`, `GMT+09:00`, `Asia/Tokyo` (default: the Workspace's) |
 *
 * Every other config is passed to the script as it is written.
 */
import type { AutomationSpec } from '@nagare/engine';
import { offsetAt, readZone, type ScriptTimeZone } from '../../script/time-zone.js';

export const MAX_SCRIPT_TIMEOUT_MS = 30_000;
/** `javascript`, `ecmascript`, `js` and their MIME forms, any case. */
const JAVASCRIPT = /^(?:(?:text|application)\/)?(?:javascript|ecmascript|js|graaljs)$/i;

export interface ScriptConfig {
  readonly body: string;
  readonly timeoutMs: number;
  /** The step's own `timezone`; absent: the Workspace's. */
  readonly timeZone?: ScriptTimeZone;
  readonly configs: Readonly<Record<string, string>>;
}

export type ScriptConfigResult =
  | { readonly ok: true; readonly config: ScriptConfig }
  | { readonly ok: false; readonly error: string };

export function readScriptConfig(automation: AutomationSpec): ScriptConfigResult {
  const script = automation.script;
  if (!script || script.body.trim() === '') return { ok: false, error: 'the script step has no script' };
  if (!JAVASCRIPT.test(script.format.trim()))
    return { ok: false, error: `scriptFormat must be JavaScript, got "${script.format}"` };
  const timeoutText = automation.configs.timeout?.trim();
  const timeoutMs = timeoutText ? Number(timeoutText) : MAX_SCRIPT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_SCRIPT_TIMEOUT_MS)
    return {
      ok: false,
      error: `config "timeout" must be 1 to ${MAX_SCRIPT_TIMEOUT_MS} milliseconds, got "${timeoutText}"`,
    };
  const zone = readStepZone(automation.configs.timezone);
  if (typeof zone === 'string') return { ok: false, error: zone };
  return {
    ok: true,
    config: {
      body: script.body,
      timeoutMs,
      ...(zone === undefined ? {} : { timeZone: zone }),
      configs: automation.configs,
    },
  };
}

/** A step's `timezone` config (undefined when not set: the Workspace's zone applies), or the problem. */
export function readStepZone(text: string | undefined): ScriptTimeZone | undefined | string {
  if (text === undefined || text.trim() === '') return undefined;
  return readZone(text);
}

/** A `timezone` config as a fixed offset now (default GMT); prefer `readStepZone` + `runZone`, which follow DST. */
export function readTimeZone(
  text: string | undefined,
): { timeZoneOffsetMinutes: number; timeZoneId: string } | string {
  const zone = readZone(text);
  if (typeof zone === 'string') return zone;
  return { timeZoneOffsetMinutes: offsetAt(zone.zone, Date.now()), timeZoneId: zone.id };
}

/** The zone a run uses: the step's own, else the Workspace's, else UTC. */
export function runZone(step: ScriptTimeZone | undefined, workspaceZone: string | undefined): ScriptTimeZone {
  if (step) return step;
  const zone = readZone(workspaceZone, 'the Workspace time zone');
  return typeof zone === 'string' ? { zone: 0, id: 'GMT' } : zone;
}
