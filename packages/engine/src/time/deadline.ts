/**
 * Human-step deadlines as the product defines them: N (1–9999) minutes / hours / days /
 * months after the token's arrival or the issue's start, or after 00:00 of a date or datetime
 * data item (there N may be 0: 00:00 of that day itself; a datetime counts from 00:00 of its
 * day in the workspace zone). Minutes and hours are elapsed time; days and months move the
 * wall clock in the workspace zone (DST-safe; Jan 31 + 1 month = Feb 28/29).
 *
 * The product's rule: a deadline on or after 2101-01-01 becomes 2100-12-31; we use 00:00 of
 * 2100-12-31 in the workspace zone.
 */
import { addDays, addMonths, atTime, MS_PER_HOUR, MS_PER_MINUTE } from './calendar.js';
import { type InstantInput, parseInstant, parsePlainDate, toEpochMs } from './instant.js';
import { err, ok, type Result } from './result.js';
import { fromWallClock, isValidTimeZone, toWallClock } from './zone.js';

export type DeadlineUnit = 'minutes' | 'hours' | 'days' | 'months';

export type DeadlineSpec =
  | { readonly base: 'arrival' | 'issueStart'; readonly amount: number; readonly unit: DeadlineUnit }
  | {
      readonly base: 'item';
      /** Field name of a date or datetime item. */
      readonly item: string;
      readonly amount: number;
      /** May be left out when amount is 0. */
      readonly unit?: DeadlineUnit;
    };

export interface DeadlineInput {
  readonly arrivalAt: InstantInput;
  readonly issueStartedAt: InstantInput;
  /** The issue's data (field name → Nagare value). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly timeZone: string;
}

export const MAX_DEADLINE_AMOUNT = 9999;
const UNITS: readonly DeadlineUnit[] = ['minutes', 'hours', 'days', 'months'];

/** Checks a deadline spec's shape (compile time). */
export function validateDeadlineSpec(spec: DeadlineSpec): Result<DeadlineSpec> {
  const min = spec.base === 'item' ? 0 : 1;
  if (!Number.isInteger(spec.amount) || spec.amount < min || spec.amount > MAX_DEADLINE_AMOUNT) {
    return err(`deadline amount ${spec.amount} must be ${min}–${MAX_DEADLINE_AMOUNT}`);
  }
  if (spec.base !== 'arrival' && spec.base !== 'issueStart' && spec.base !== 'item') {
    return err(
      `deadline base "${String((spec as { base: unknown }).base)}" must be arrival, issueStart or item`,
    );
  }
  const unit = spec.unit;
  if (unit === undefined ? spec.amount !== 0 : !UNITS.includes(unit)) {
    return err(`deadline unit "${String(unit)}" must be one of ${UNITS.join(', ')}`);
  }
  if (spec.base === 'item' && spec.item.trim() === '') return err('deadline item is empty');
  return ok(spec);
}

function itemStart(spec: { readonly item: string }, input: DeadlineInput): Result<number> {
  const value = input.data[spec.item];
  if (value === undefined || value === null || value === '') {
    return err(`deadline data item "${spec.item}" has no value`);
  }
  if (typeof value !== 'string') return err(`deadline data item "${spec.item}" is not a date or datetime`);
  const asDate = parsePlainDate(value);
  let date = asDate.ok ? asDate.value : null;
  if (!date) {
    const instant = parseInstant(value, input.timeZone);
    if (!instant.ok) return err(`deadline data item "${spec.item}": ${instant.error}`);
    date = toWallClock(instant.value, input.timeZone);
  }
  return ok(fromWallClock(atTime(date), input.timeZone));
}

/** The deadline instant (epoch ms), or an error naming what is missing. */
export function computeDeadline(spec: DeadlineSpec, input: DeadlineInput): Result<number> {
  const valid = validateDeadlineSpec(spec);
  if (!valid.ok) return valid;
  const tz = input.timeZone;
  if (!isValidTimeZone(tz)) return err(`unknown time zone "${tz}"`);
  let base: number;
  if (spec.base === 'item') {
    const start = itemStart(spec, input);
    if (!start.ok) return start;
    base = start.value;
  } else {
    base = toEpochMs(spec.base === 'arrival' ? input.arrivalAt : input.issueStartedAt, tz);
  }
  const at = addAmount(base, spec.amount, spec.unit, tz);
  const limit = fromWallClock(atTime({ year: 2101, month: 1, day: 1 }), tz);
  return ok(at >= limit ? fromWallClock(atTime({ year: 2100, month: 12, day: 31 }), tz) : at);
}

function addAmount(base: number, amount: number, unit: DeadlineUnit | undefined, tz: string): number {
  switch (unit) {
    case undefined:
      return base;
    case 'minutes':
      return base + amount * MS_PER_MINUTE;
    case 'hours':
      return base + amount * MS_PER_HOUR;
    case 'days':
    case 'months': {
      const wall = toWallClock(base, tz);
      const date = unit === 'days' ? addDays(wall, amount) : addMonths(wall, amount);
      return fromWallClock(atTime(date, wall.hour, wall.minute, wall.second, wall.millisecond), tz);
    }
  }
}
