// Time: zones, ISO 8601 durations and instants, BPMN timers, timer-start schedules, deadlines.
export {
  addDays,
  addMonths,
  daysInMonth,
  isLeapYear,
  isoDayOfWeek,
  type PlainDate,
  type PlainDateTime,
} from './calendar.js';
export {
  addIsoDuration,
  formatIsoDuration,
  type IsoDuration,
  parseIsoDuration,
} from './duration.js';
export {
  formatInstant,
  type InstantInput,
  parseInstant,
  parsePlainDate,
  startOfDay,
  toEpochMs,
} from './instant.js';
export { err, ok, type Result } from './result.js';
export { assertTimeZone, fromWallClock, isValidTimeZone, offsetMsAt, toWallClock } from './zone.js';
