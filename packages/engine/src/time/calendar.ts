/**
 * Proleptic Gregorian calendar arithmetic on plain (zone-less) dates and date-times.
 * Days are counted from 1970-01-01 (Howard Hinnant's civil-from-days algorithms), so no
 * Date object and no clock is involved.
 */

/** A calendar date; `month` 1–12, `day` 1–31. */
export interface PlainDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A wall-clock date-time without a zone. */
export interface PlainDateTime extends PlainDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a calendar date. */
export function epochDay(date: PlainDate): number {
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (date.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + date.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date `days` days after 1970-01-01. */
export function dateFromEpochDay(days: number): PlainDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(date: PlainDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((epochDay(date) + 3) % 7) + 7) % 7) + 1;
}

export function addDays(date: PlainDate, days: number): PlainDate {
  return dateFromEpochDay(epochDay(date) + days);
}

/** Adds months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29), like java.time. */
export function addMonths(date: PlainDate, months: number): PlainDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Milliseconds of a wall-clock date-time read as if it were UTC (the zone-free "local epoch"). */
export function localEpochMs(dt: PlainDateTime): number {
  return (
    epochDay(dt) * MS_PER_DAY +
    dt.hour * MS_PER_HOUR +
    dt.minute * MS_PER_MINUTE +
    dt.second * 1000 +
    dt.millisecond
  );
}

export function plainDateTimeFromLocalEpochMs(ms: number): PlainDateTime {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hour = Math.floor(rest / MS_PER_HOUR);
  rest -= hour * MS_PER_HOUR;
  const minute = Math.floor(rest / MS_PER_MINUTE);
  rest -= minute * MS_PER_MINUTE;
  const second = Math.floor(rest / 1000);
  const { year, month, day } = dateFromEpochDay(days);
  return { year, month, day, hour, minute, second, millisecond: rest - second * 1000 };
}

export function atTime(date: PlainDate, hour = 0, minute = 0, second = 0, millisecond = 0): PlainDateTime {
  return { year: date.year, month: date.month, day: date.day, hour, minute, second, millisecond };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatPlainDate(d: PlainDate): string {
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

export function formatPlainDateTime(dt: PlainDateTime): string {
  const base = `${formatPlainDate(dt)}T${pad(dt.hour, 2)}:${pad(dt.minute, 2)}:${pad(dt.second, 2)}`;
  return dt.millisecond === 0 ? base : `${base}.${pad(dt.millisecond, 3)}`;
}
