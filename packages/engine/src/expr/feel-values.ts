/**
 * Nagare data values ⇄ FEEL values.
 *
 * Nagare keeps data as plain JSON: strings; numbers as JS numbers (a numeric item may also
 * hold a decimal string such as "1234.50", which is read as a number: FEEL numbers here are
 * IEEE doubles, as in feelin); dates as `YYYY-MM-DD`; datetimes as ISO 8601 text (with an
 * offset, or wall-clock in the workspace zone); selects as arrays of choice ids; users and
 * organizations as `{ id, email, name }` objects; tables as arrays of row objects.
 *
 * With the item types known, each value is converted by its type. Without them, strings
 * shaped exactly like a date (`2026-12-01`) or a date-time with offset become FEEL dates and
 * date-times, so `q_due < date("2026-12-01")` works either way; pass the types when you have
 * them, so a string item that happens to hold "2026-12-01" stays a string.
 */
import {
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  isFunction,
  isRange,
  parseDate,
  parseDateTime,
} from 'feelin';
import { formatPlainDate, formatPlainDateTime } from '../time/calendar.js';
import { formatInstant, parseInstant, parsePlainDate } from '../time/instant.js';
import { toWallClock } from '../time/zone.js';

/** The data item types Nagare knows (Questetra's data types). */
export type DataItemType =
  | 'string'
  | 'numeric'
  | 'date'
  | 'datetime'
  | 'select'
  | 'user'
  | 'organization'
  | 'table'
  | 'file'
  | 'discussion';

/** Field name (`q_amount`) → data item type. */
export type DataItemTypes = Readonly<Record<string, DataItemType>>;

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function dateTimeToFeel(text: string, timeZone: string | undefined): unknown {
  const ms = parseInstant(text, timeZone);
  if (!ms.ok) return text;
  // In the workspace zone, `.hour` and `.day` read as users see them; the instant is the same.
  if (timeZone !== undefined) {
    return parseDateTime(`${formatPlainDateTime(toWallClock(ms.value, timeZone))}@${timeZone}`) ?? text;
  }
  return parseDateTime(formatInstant(ms.value, 'UTC')) ?? text;
}

/** Converts one value whose type we don't know: only unmistakable shapes are converted. */
function inferToFeel(value: unknown, timeZone: string | undefined): unknown {
  if (value === undefined) return null;
  if (typeof value === 'string') {
    if (DATE_SHAPE.test(value) && parsePlainDate(value).ok) return parseDate(value) ?? value;
    if (DATE_TIME_SHAPE.test(value)) return dateTimeToFeel(value, timeZone);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => inferToFeel(v, timeZone));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = inferToFeel(v, timeZone);
    return out;
  }
  return value;
}

/** Converts a Nagare data value to the FEEL value an expression sees. */
export function toFeelValue(value: unknown, type?: DataItemType, timeZone?: string): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case undefined:
      return inferToFeel(value, timeZone);
    case 'string':
    case 'discussion':
      return typeof value === 'string' ? value : inferToFeel(value, timeZone);
    case 'numeric':
      if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
      if (typeof value === 'string' && value.trim() === '') return null;
      return value;
    case 'date':
      if (typeof value === 'string') {
        // A datetime stored in a date item keeps only its date part.
        const text = value.length > 10 && value[10] === 'T' ? value.slice(0, 10) : value;
        return parsePlainDate(text).ok ? parseDate(text) : value;
      }
      return value;
    case 'datetime':
      return typeof value === 'string' ? dateTimeToFeel(value, timeZone) : value;
    case 'select':
      // A single choice id is read as a one-element selection.
      if (typeof value === 'string') return [value];
      return value;
    default:
      return inferToFeel(value, timeZone);
  }
}

/** Converts a whole data map (field name → value) for evaluation. */
export function toFeelContext(
  data: Readonly<Record<string, unknown>>,
  types?: DataItemTypes,
  timeZone?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(data)) out[key] = toFeelValue(data[key], types?.[key], timeZone);
  return out;
}

/** The result of converting a FEEL value back: plain JSON, or the reason it has no data form. */
export type FromFeel =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

/**
 * Converts a FEEL result to plain JSON data: dates → `YYYY-MM-DD`, date-times with a zone or
 * offset → ISO text with offset (local ones stay local), times and durations → ISO text.
 * Functions and ranges have no data form.
 */
export function fromFeelValue(value: unknown): FromFeel {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, error: `got the number ${value}` };
  }
  if (typeof value === 'string' || typeof value === 'boolean') return { ok: true, value };
  if (value instanceof FeelDate) return { ok: true, value: formatPlainDate(value) };
  if (value instanceof FeelDateTime) return { ok: true, value: feelDateTimeToText(value) };
  if (value instanceof FeelTime || value instanceof FeelDuration)
    return { ok: true, value: value.toString() };
  if (isFunction(value)) return { ok: false, error: 'got a function, which is not a data value' };
  if (isRange(value)) return { ok: false, error: 'got a range, which is not a data value' };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const r = fromFeelValue(v);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = fromFeelValue(v);
      if (!r.ok) return r;
      out[k] = r.value;
    }
    return { ok: true, value: out };
  }
  return { ok: false, error: `got a ${typeof value}, which is not a data value` };
}

function feelDateTimeToText(value: FeelDateTime): string {
  const wall = formatPlainDateTime({
    year: value.year,
    month: value.month,
    day: value.day,
    hour: value.hour,
    minute: value.minute,
    second: value.second,
    millisecond: value.unwrap().millisecond,
  });
  const zone = value.zone;
  if (zone === null) return wall;
  if (zone === 'Z' || zone === 'UTC' || /^[+-]\d{2}:\d{2}$/.test(zone)) {
    const ms = parseInstant(`${wall}${zone === 'UTC' ? 'Z' : zone}`);
    return ms.ok ? formatInstant(ms.value, 'UTC') : value.toString();
  }
  const ms = parseInstant(wall, zone);
  return ms.ok ? formatInstant(ms.value, zone) : value.toString();
}
