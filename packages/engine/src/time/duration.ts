/**
 * ISO 8601 durations as BPMN timers write them (`PT15M`, `P1DT2H`, `P1M`, `P2W`).
 *
 * Adding one follows java.time's `ZonedDateTime.plus(Period).plus(Duration)`: the calendar part
 * (years, months, weeks, days) moves the wall clock in the workspace zone, so `P1D` across a
 * DST change keeps 09:00 at 09:00; the time part (hours, minutes, seconds) is elapsed time, so
 * `PT24H` across the same change lands at 08:00 or 10:00.
 */
import { addDays, addMonths, atTime, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './calendar.js';
import { err, ok, type Result } from './result.js';
import { fromWallClock, toWallClock } from './zone.js';

export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  /** May carry a fraction (millisecond precision). */
  readonly seconds: number;
}

const NUM = '(\\d+(?:[.,]\\d+)?)';
const DURATION_RE = new RegExp(
  `^P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`,
);

export function parseIsoDuration(text: string): Result<IsoDuration> {
  const trimmed = text.trim();
  const m = DURATION_RE.exec(trimmed);
  if (!m || trimmed === 'P' || trimmed.endsWith('T')) {
    return err(`"${text}" is not an ISO 8601 duration (e.g. PT15M, P1DT2H, P1M)`);
  }
  const values = m.slice(1).map((g) => (g === undefined ? 0 : Number(g.replace(',', '.'))));
  const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = values;
  // Only seconds may be fractional: a fractional month has no calendar meaning.
  const fractional = values.slice(0, 6).some((v) => !Number.isInteger(v));
  if (fractional) return err(`"${text}": only seconds may have a fraction`);
  return ok({ years, months, weeks, days, hours, minutes, seconds });
}

export function formatIsoDuration(d: IsoDuration): string {
  const date = `${d.years ? `${d.years}Y` : ''}${d.months ? `${d.months}M` : ''}${d.weeks ? `${d.weeks}W` : ''}${d.days ? `${d.days}D` : ''}`;
  const time = `${d.hours ? `${d.hours}H` : ''}${d.minutes ? `${d.minutes}M` : ''}${d.seconds ? `${d.seconds}S` : ''}`;
  if (!date && !time) return 'PT0S';
  return `P${date}${time ? `T${time}` : ''}`;
}

/** Whether the duration has a calendar part (its length in ms depends on where it starts). */
export function hasCalendarPart(d: IsoDuration): boolean {
  return d.years !== 0 || d.months !== 0 || d.weeks !== 0 || d.days !== 0;
}

/** The exact (elapsed-time) part in milliseconds. */
export function exactPartMs(d: IsoDuration): number {
  return Math.round(d.hours * MS_PER_HOUR + d.minutes * MS_PER_MINUTE + d.seconds * 1000);
}

export function isZeroDuration(d: IsoDuration): boolean {
  return !hasCalendarPart(d) && exactPartMs(d) === 0;
}

/** Bounds of the length in ms (a day is 23–25 h, a month 28–31 days), for searching. */
export function durationBoundsMs(d: IsoDuration): { readonly min: number; readonly max: number } {
  const exact = exactPartMs(d);
  const months = d.years * 12 + d.months;
  const days = d.weeks * 7 + d.days;
  return {
    min: exact + months * 28 * MS_PER_DAY + days * 23 * MS_PER_HOUR - (months > 0 ? 2 * MS_PER_HOUR : 0),
    max: exact + months * 31 * MS_PER_DAY + days * 25 * MS_PER_HOUR + (months > 0 ? 2 * MS_PER_HOUR : 0),
  };
}

/**
 * `instant + times × duration` in `timeZone`. The calendar part is applied `times` at once
 * (Jan 31 + 2×P1M = Mar 31, not Mar 28), then the wall time is resolved (gap → later,
 * overlap → earlier, see zone.ts), then the exact part is added.
 */
export function addIsoDuration(instant: number, duration: IsoDuration, timeZone: string, times = 1): number {
  let result = instant;
  if (hasCalendarPart(duration)) {
    const wall = toWallClock(instant, timeZone);
    const date = addDays(
      addMonths(wall, (duration.years * 12 + duration.months) * times),
      (duration.weeks * 7 + duration.days) * times,
    );
    result = fromWallClock(atTime(date, wall.hour, wall.minute, wall.second, wall.millisecond), timeZone);
  }
  return result + exactPartMs(duration) * times;
}
