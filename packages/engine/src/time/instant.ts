/**
 * Instants as the engine passes them around: epoch milliseconds. At the edges they arrive
 * as ISO 8601 text; text without an offset is a wall-clock time in the workspace zone.
 */
import {
  atTime,
  formatPlainDateTime,
  isValidDate,
  localEpochMs,
  MS_PER_MINUTE,
  type PlainDate,
  type PlainDateTime,
} from './calendar.js';
import { err, ok, type Result } from './result.js';
import { fromWallClock, isValidTimeZone, offsetMsAt, toWallClock } from './zone.js';

/** An instant given either as epoch milliseconds or as ISO 8601 text. */
export type InstantInput = number | string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?(?:\[([^\]]+)\])?$/i;

/** Parses `YYYY-MM-DD`. */
export function parsePlainDate(text: string): Result<PlainDate> {
  const m = DATE_RE.exec(text.trim());
  if (!m) return err(`"${text}" is not a date (YYYY-MM-DD)`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isValidDate(year, month, day)) return err(`"${text}" is not a valid date`);
  return ok({ year, month, day });
}

/** Parses a date-time into its wall-clock fields and offset (ms) if it has one. */
export function parseDateTimeParts(
  text: string,
): Result<{ readonly wall: PlainDateTime; readonly offsetMs: number | null; readonly zone: string | null }> {
  const m = DATE_TIME_RE.exec(text.trim());
  if (!m) return err(`"${text}" is not an ISO 8601 date-time (e.g. 2026-01-01T09:00:00Z)`);
  const [, y, mo, d, h, mi, s, frac, off, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return err(`"${text}" is not a valid date-time`);
  }
  const millisecond = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  let offsetMs: number | null = null;
  if (off !== undefined) {
    if (off === 'Z' || off === 'z') offsetMs = 0;
    else {
      const sign = off.startsWith('-') ? -1 : 1;
      const digits = off.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
      if (oh > 18 || om > 59) return err(`"${text}" has an invalid offset`);
      offsetMs = sign * (oh * 60 + om) * MS_PER_MINUTE;
    }
  }
  if (zone !== undefined && !isValidTimeZone(zone)) return err(`"${text}" names an unknown time zone`);
  return ok({ wall: { year, month, day, hour, minute, second, millisecond }, offsetMs, zone: zone ?? null });
}

/**
 * Parses an ISO 8601 date-time to epoch ms. With an offset (`Z`, `+09:00`) it is exact;
 * with a `[Zone/Name]` suffix or neither, the wall-clock time is read in that zone or in
 * `timeZone` (gap → later, overlap → earlier).
 */
export function parseInstant(text: string, timeZone?: string): Result<number> {
  const parsed = parseDateTimeParts(text);
  if (!parsed.ok) return parsed;
  const { wall, offsetMs, zone } = parsed.value;
  if (offsetMs !== null) {
    return ok(localEpochMs(wall) - offsetMs);
  }
  const tz = zone ?? timeZone;
  if (tz === undefined) return err(`"${text}" has no offset and no time zone was given`);
  return ok(fromWallClock(wall, tz));
}

/** Epoch ms from either form; throws a RangeError on bad text (a caller's programming error). */
export function toEpochMs(input: InstantInput, timeZone?: string): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new RangeError(`not an instant: ${input}`);
    return input;
  }
  const r = parseInstant(input, timeZone);
  if (!r.ok) throw new RangeError(r.error);
  return r.value;
}

/** ISO 8601 text with the offset `timeZone` has at that instant (`Z` for UTC). */
export function formatInstant(instant: number, timeZone = 'UTC'): string {
  const offset = offsetMsAt(instant, timeZone);
  const wall = toWallClock(instant, timeZone);
  if (offset === 0 && (timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'Z')) {
    return `${formatPlainDateTime(wall)}Z`;
  }
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.round(Math.abs(offset) / MS_PER_MINUTE);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${formatPlainDateTime(wall)}${sign}${hh}:${mm}`;
}

/** 00:00 of `date` in `timeZone` (or the first instant after, if midnight falls in a gap). */
export function startOfDay(date: PlainDate, timeZone: string): number {
  return fromWallClock(atTime(date), timeZone);
}
