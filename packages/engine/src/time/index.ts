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
  computeDeadline,
  type DeadlineInput,
  type DeadlineSpec,
  type DeadlineUnit,
  MAX_DEADLINE_AMOUNT,
  validateDeadlineSpec,
} from './deadline.js';
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
export {
  DAYS_OF_WEEK,
  type DayOfWeek,
  MAX_COUNT,
  MAX_SCHEDULES,
  nextScheduleFiring,
  type ScheduleCount,
  type ScheduleFiring,
  type ScheduleRound,
  scheduleRound,
  type TimerSchedule,
  validateSchedules,
} from './schedule.js';
export {
  formatTimerDefinition,
  nextTimerDue,
  parseTimerDefinition,
  type TimerDefinition,
  type TimerKind,
  type TimerProgress,
} from './timer-definition.js';
export { assertTimeZone, fromWallClock, isValidTimeZone, offsetMsAt, toWallClock } from './zone.js';
