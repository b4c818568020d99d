/**
 * Wall-clock time in an IANA time zone, on `Intl` only (no date library, no clock).
 *
 * Converting a wall-clock time to an instant is ambiguous twice a year; we resolve it the way
 * java.time's `ZonedDateTime.of` does, so schedules behave as Java-based BPM users expect:
 * - gap (spring forward, e.g. 02:30 on the day Europe/Berlin skips 02:00–03:00): the time is
 *   shifted forward by the length of the gap (02:30 → 03:30 summer time);
 * - overlap (fall back, 02:30 happens twice): the earlier offset wins (the first 02:30).
 */
import { localEpochMs, MS_PER_DAY, type PlainDateTime, plainDateTimeFromLocalEpochMs } from './calendar.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
const FIXED_UTC = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Z']);

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone name (or UTC) that this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (FIXED_UTC.has(timeZone)) return true;
  if (formatters.has(timeZone)) return true;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Throws a RangeError naming the zone if it is unknown: a programming or configuration error. */
export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
}

/** The zone's UTC offset at an instant, in milliseconds (Berlin in summer: +7_200_000). */
export function offsetMsAt(instant: number, timeZone: string): number {
  if (FIXED_UTC.has(timeZone)) return 0;
  if (!Number.isFinite(instant)) throw new RangeError(`not an instant: ${instant}`);
  const seconds = Math.floor(instant / 1000) * 1000;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(seconds)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value === 'BC' || part.value === 'B';
        break;
    }
  }
  if (bc) year = 1 - year;
  return localEpochMs({ year, month, day, hour, minute, second, millisecond: 0 }) - seconds;
}

/** The wall-clock date-time shown in `timeZone` at `instant`. */
export function toWallClock(instant: number, timeZone: string): PlainDateTime {
  return plainDateTimeFromLocalEpochMs(instant + offsetMsAt(instant, timeZone));
}

/**
 * The instant at which `timeZone` shows `wall`. Gap → shifted forward by the gap's length;
 * overlap → the earlier of the two instants (see the file comment).
 */
export function fromWallClock(wall: PlainDateTime, timeZone: string): number {
  const local = localEpochMs(wall);
  if (FIXED_UTC.has(timeZone)) return local;
  // Offsets one day either side bracket any transition near `local` (zones change at most
  // once a day), so the candidates are `local` minus one of the two.
  const before = offsetMsAt(local - MS_PER_DAY, timeZone);
  const after = offsetMsAt(local + MS_PER_DAY, timeZone);
  const earlier = local - Math.max(before, after);
  const later = local - Math.min(before, after);
  const earlierFits = earlier + offsetMsAt(earlier, timeZone) === local;
  if (earlierFits) return earlier;
  const laterFits = later + offsetMsAt(later, timeZone) === local;
  if (laterFits) return later;
  // A gap: read the wall time with the offset in force before the transition, which lands
  // the same distance past the transition as `wall` is past the gap's start.
  return local - before;
}
