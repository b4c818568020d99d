/**
 * A script step's settings: the script itself (`bpmn:scriptTask` body, format JavaScript) and
 * the step's `<nagare:config>` values, which the script reads with `configs.get(name)`:
 *
 * | name        | meaning                                                            |
 * | ----------- | ------------------------------------------------------------------ |
 * | `timeout`   | milliseconds, at most (and by default) 30000                       |
 * | `timezone`  | the engine's time zone for dates: `GMT`, `GMT+09:00`, `Asia/Tokyo` |
 *
 * Every other config is passed to the script as it is written.
 */
import type { AutomationSpec } from '@nagare/engine';

export const MAX_SCRIPT_TIMEOUT_MS = 30_000;
/** `javascript`, `ecmascript`, `js` and their MIME forms, any case. */
const JAVASCRIPT = /^(?:(?:text|application)\/)?(?:javascript|ecmascript|js|graaljs)$/i;

export interface ScriptConfig {
  readonly body: string;
  readonly timeoutMs: number;
  readonly timeZoneOffsetMinutes: number;
  readonly timeZoneId: string;
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
  const zone = readTimeZone(automation.configs.timezone);
  if (typeof zone === 'string') return { ok: false, error: zone };
  return {
    ok: true,
    config: { body: script.body, timeoutMs, ...zone, configs: automation.configs },
  };
}

/** A fixed offset (the engine's zone is used for wall-clock dates; no DST rules needed for these). */
export function readTimeZone(
  text: string | undefined,
): { timeZoneOffsetMinutes: number; timeZoneId: string } | string {
  const t = text?.trim() || 'GMT';
  if (t === 'GMT' || t === 'UTC' || t === 'Z') return { timeZoneOffsetMinutes: 0, timeZoneId: 'GMT' };
  if (t === 'Asia/Tokyo' || t === 'JST') return { timeZoneOffsetMinutes: 540, timeZoneId: t };
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/.exec(t);
  if (!m || Number(m[2]) > 14 || Number(m[3] ?? 0) > 59)
    return `config "timezone" must be GMT, GMT+hh:mm or Asia/Tokyo, got "${t}"`;
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  return {
    timeZoneOffsetMinutes: minutes,
    timeZoneId: `GMT${m[1]}${m[2]!.padStart(2, '0')}:${m[3] ?? '00'}`,
  };
}
