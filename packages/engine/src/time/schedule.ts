/**
 * Timer Start schedules (the product's "Timer Start" event): up to 24 schedules per event,
 * each firing at a wall-clock time (HH:MM) in the workspace zone
 * - daily;
 * - weekly on a day of the week;
 * - monthly on day N; when the month is shorter (31 in February), on its last day;
 *   `last` = the last day; `lastWeek` + a day of week = that weekday in the month's last week;
 * - yearly on month + day (Feb 29 fires on Feb 28 in other years);
 * and starting `count` issues (1–100, or `operators`: one per operator of the start swimlane,
 * which only the runtime knows).
 *
 * DST: a time in a gap fires after the gap (02:30 → 03:30), a time in an overlap fires once,
 * at the first occurrence (zone.ts). After downtime only ONE round is started: `scheduleRound`
 * names the latest firing that is due and the next one to wait for.
 */
import { addDays, addMonths, atTime, daysInMonth, isoDayOfWeek, type PlainDate } from './calendar.js';
import { type InstantInput, toEpochMs } from './instant.js';
import { err, ok, type Result } from './result.js';
import { assertTimeZone, fromWallClock, toWallClock } from './zone.js';

export type DayOfWeek = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';
export const DAYS_OF_WEEK: readonly DayOfWeek[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** Issues to start per firing: a fixed number, or one per operator (resolved by the runtime). */
export type ScheduleCount = number | 'operators';

interface ScheduleBase {
  /** `HH:MM`, 00:00–23:59, wall-clock in the workspace zone. */
  readonly time: string;
  readonly count: ScheduleCount;
}

export type TimerSchedule = ScheduleBase &
  (
    | { readonly frequency: 'daily' }
    | { readonly frequency: 'weekly'; readonly dayOfWeek: DayOfWeek }
    | { readonly frequency: 'monthly'; readonly dayOfMonth: number | 'last' }
    | { readonly frequency: 'monthly'; readonly dayOfMonth: 'lastWeek'; readonly dayOfWeek: DayOfWeek }
    | { readonly frequency: 'yearly'; readonly month: number; readonly dayOfMonth: number }
  );

export const MAX_SCHEDULES = 24;
export const MAX_COUNT = 100;

/** The schedules firing at one instant. */
export interface ScheduleFiring {
  readonly at: number;
  /** Indexes into the schedule list with their counts, in list order. */
  readonly schedules: readonly { readonly index: number; readonly count: ScheduleCount }[];
}

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

function validateOne(s: TimerSchedule): string | null {
  if (!TIME_RE.test(s.time)) return `time "${s.time}" must be HH:MM (00:00–23:59)`;
  if (s.count !== 'operators' && !(Number.isInteger(s.count) && s.count >= 1 && s.count <= MAX_COUNT)) {
    return `count ${String(s.count)} must be 1–${MAX_COUNT} or "operators"`;
  }
  const day = (d: unknown) => DAYS_OF_WEEK.includes(d as DayOfWeek);
  switch (s.frequency) {
    case 'daily':
      return null;
    case 'weekly':
      return day(s.dayOfWeek)
        ? null
        : `dayOfWeek "${String(s.dayOfWeek)}" must be one of ${DAYS_OF_WEEK.join(', ')}`;
    case 'monthly':
      if (s.dayOfMonth === 'last') return null;
      if (s.dayOfMonth === 'lastWeek') {
        return day(s.dayOfWeek)
          ? null
          : `dayOfWeek "${String(s.dayOfWeek)}" must be one of ${DAYS_OF_WEEK.join(', ')}`;
      }
      return Number.isInteger(s.dayOfMonth) && s.dayOfMonth >= 1 && s.dayOfMonth <= 31
        ? null
        : `dayOfMonth ${String(s.dayOfMonth)} must be 1–31, "last" or "lastWeek"`;
    case 'yearly':
      if (!(Number.isInteger(s.month) && s.month >= 1 && s.month <= 12))
        return `month ${s.month} must be 1–12`;
      // Checked against a leap year: Feb 29 is allowed (and fires on Feb 28 in other years).
      return Number.isInteger(s.dayOfMonth) && s.dayOfMonth >= 1 && s.dayOfMonth <= daysInMonth(2000, s.month)
        ? null
        : `day ${s.dayOfMonth} does not exist in month ${s.month}`;
    default:
      return `unknown frequency "${String((s as { frequency: unknown }).frequency)}"`;
  }
}

/** Checks a Timer Start's schedules: 1–24 of them, each well-formed. Errors name the schedule (1-based). */
export function validateSchedules(schedules: readonly TimerSchedule[]): Result<readonly TimerSchedule[]> {
  if (schedules.length === 0) return err('a timer start needs at least one schedule');
  if (schedules.length > MAX_SCHEDULES) {
    return err(`a timer start has at most ${MAX_SCHEDULES} schedules, not ${schedules.length}`);
  }
  for (const [i, s] of schedules.entries()) {
    const problem = validateOne(s);
    if (problem) return err(`schedule ${i + 1}: ${problem}`);
  }
  return ok(schedules);
}

function dayIndex(d: DayOfWeek): number {
  return DAYS_OF_WEEK.indexOf(d) + 1;
}

function clampDay(year: number, month: number, day: number): PlainDate {
  return { year, month, day: Math.min(day, daysInMonth(year, month)) };
}

function lastWeekday(year: number, month: number, weekday: DayOfWeek): PlainDate {
  const last = { year, month, day: daysInMonth(year, month) };
  return addDays(last, -((isoDayOfWeek(last) - dayIndex(weekday) + 7) % 7));
}

/** Firing dates of one schedule around `d`, ascending, covering at least one period either side. */
function datesAround(s: TimerSchedule, d: PlainDate): PlainDate[] {
  switch (s.frequency) {
    case 'daily':
      return [-2, -1, 0, 1, 2].map((n) => addDays(d, n));
    case 'weekly': {
      const first = addDays(d, -8);
      const shift = (dayIndex(s.dayOfWeek) - isoDayOfWeek(first) + 7) % 7;
      return [0, 7, 14, 21].map((n) => addDays(first, shift + n));
    }
    case 'monthly':
      return [-1, 0, 1, 2].map((n) => {
        const { year, month } = addMonths({ year: d.year, month: d.month, day: 1 }, n);
        if (s.dayOfMonth === 'last') return clampDay(year, month, 31);
        if (s.dayOfMonth === 'lastWeek') return lastWeekday(year, month, s.dayOfWeek);
        return clampDay(year, month, s.dayOfMonth);
      });
    case 'yearly':
      return [-1, 0, 1, 2].map((n) => clampDay(d.year + n, s.month, s.dayOfMonth));
  }
}

function firingsAround(s: TimerSchedule, instant: number, timeZone: string): number[] {
  const [hh = '0', mm = '0'] = s.time.split(':');
  const wall = toWallClock(instant, timeZone);
  return datesAround(s, wall).map((date) => fromWallClock(atTime(date, Number(hh), Number(mm)), timeZone));
}

function firstAfter(s: TimerSchedule, after: number, timeZone: string): number {
  for (const t of firingsAround(s, after, timeZone)) if (t > after) return t;
  // Unreachable for valid schedules: the window spans more than one period past `after`.
  throw new RangeError(`no firing found after ${after}`);
}

function lastAtOrBefore(s: TimerSchedule, instant: number, timeZone: string): number {
  let found = Number.NEGATIVE_INFINITY;
  for (const t of firingsAround(s, instant, timeZone)) if (t <= instant) found = t;
  return found;
}

function checked(schedules: readonly TimerSchedule[], timeZone: string): void {
  assertTimeZone(timeZone);
  const v = validateSchedules(schedules);
  if (!v.ok) throw new RangeError(v.error);
}

function group(schedules: readonly TimerSchedule[], times: readonly number[], at: number): ScheduleFiring {
  const firing: { index: number; count: ScheduleCount }[] = [];
  for (const [index, t] of times.entries()) {
    if (t === at) firing.push({ index, count: (schedules[index] as TimerSchedule).count });
  }
  return { at, schedules: firing };
}

/**
 * The earliest instant strictly after `after` at which any schedule fires, with every
 * schedule firing then. Throws a RangeError for invalid schedules or an unknown zone (the
 * compiler validates them first with validateSchedules).
 */
export function nextScheduleFiring(
  schedules: readonly TimerSchedule[],
  after: InstantInput,
  timeZone: string,
): ScheduleFiring {
  checked(schedules, timeZone);
  const from = toEpochMs(after, timeZone);
  const times = schedules.map((s) => firstAfter(s, from, timeZone));
  return group(schedules, times, Math.min(...times));
}

/** What the runtime does when a Timer Start's job runs (possibly late, after downtime). */
export interface ScheduleRound {
  /** The one round to start now: the latest firing in (lastFiredAt, now]; null if none is due. */
  readonly due: ScheduleFiring | null;
  /** True when earlier firings in (lastFiredAt, now] were skipped (downtime): only one round runs. */
  readonly skipped: boolean;
  /** The next firing strictly after `now`: when to run again. */
  readonly next: ScheduleFiring;
}

/**
 * Decides the round to start at `now`, given the last firing already started (`lastFiredAt`;
 * null for a timer never fired, which then starts nothing until its first firing).
 */
export function scheduleRound(
  schedules: readonly TimerSchedule[],
  lastFiredAt: InstantInput | null,
  now: InstantInput,
  timeZone: string,
): ScheduleRound {
  checked(schedules, timeZone);
  const nowMs = toEpochMs(now, timeZone);
  const next = nextScheduleFiring(schedules, nowMs, timeZone);
  if (lastFiredAt === null) return { due: null, skipped: false, next };
  const last = toEpochMs(lastFiredAt, timeZone);
  const latest = schedules.map((s) => lastAtOrBefore(s, nowMs, timeZone));
  const at = Math.max(...latest);
  if (!(at > last)) return { due: null, skipped: false, next };
  const due = group(schedules, latest, at);
  // Was anything else due in (last, at)? The first firing after `last` tells.
  const first = nextScheduleFiring(schedules, last, timeZone).at;
  return { due, skipped: first < at, next };
}
