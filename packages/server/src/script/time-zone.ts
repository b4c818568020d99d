/**
 * The time zone a script runs in: the Workspace's (an IANA name such as `Asia/Tokyo`, with its
 * daylight-saving rules) unless the step names one in its `timezone` config, which may also be
 * a fixed offset (`GMT`, `GMT+09:00`). Never the server's own TZ. Offsets come from the
 * platform's time zone data (Intl), per instant, so a date in summer and one in winter each get
 * their own offset.
 */

/** A fixed offset in minutes east of UTC, or an IANA zone name. */
export type ZoneSpec = number | string;

export interface ScriptTimeZone {
  readonly zone: ZoneSpec;
  /** What `engine.getTimeZoneId()` answers: the IANA name, or `GMT±hh:mm`. */
  readonly id: string;
}

const FIXED = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, f);
  }
  return f;
}

/** Reads a zone as written in a config or a Workspace setting; a string is the problem. */
export function readZone(text: string | undefined, what = 'config "timezone"'): ScriptTimeZone | string {
  const t = text?.trim() || 'UTC';
  if (t === 'GMT' || t === 'UTC' || t === 'Z') return { zone: 0, id: 'GMT' };
  if (t === 'JST') return { zone: 'Asia/Tokyo', id: 'Asia/Tokyo' };
  const m = FIXED.exec(t);
  if (m) {
    if (Number(m[2]) > 14 || Number(m[3] ?? 0) > 59) return bad(what, t);
    const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
    return { zone: minutes, id: `GMT${m[1]}${m[2]!.padStart(2, '0')}:${m[3] ?? '00'}` };
  }
  if (!/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(t)) return bad(what, t);
  try {
    formatter(t);
    return { zone: t, id: t };
  } catch {
    return bad(what, t);
  }
}

function bad(what: string, t: string): string {
  return `${what} must be GMT, GMT+hh:mm or a time zone name such as Asia/Tokyo, got "${t}"`;
}

/** Minutes east of UTC in `zone` at the instant `ms`. */
export function offsetAt(zone: ZoneSpec, ms: number): number {
  if (typeof zone === 'number') return zone;
  const name = formatter(zone)
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = name ? /^GMT([+-])(\d{2}):?(\d{2})?/.exec(name) : null;
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The instant of a wall-clock time in `zone` (given as if it were UTC). */
export function wallToInstant(zone: ZoneSpec, wallMs: number): number {
  const guess = wallMs - offsetAt(zone, wallMs) * 60_000;
  return wallMs - offsetAt(zone, guess) * 60_000;
}
