/** FEEL `now()` and `today()` at the instant the caller passes, in the workspace zone. */
import { type FeelDate, type FeelDateTime, parseDate, parseDateTime } from 'feelin';
import { formatPlainDate, formatPlainDateTime } from '../time/calendar.js';
import { toWallClock } from '../time/zone.js';

export interface FeelClock {
  readonly now: FeelDateTime | null;
  readonly today: FeelDate | null;
}

export function feelClockAt(now: number, timeZone: string): FeelClock {
  const wall = toWallClock(now, timeZone);
  return {
    now: parseDateTime(`${formatPlainDateTime(wall)}@${timeZone}`),
    today: parseDate(formatPlainDate(wall)),
  };
}
