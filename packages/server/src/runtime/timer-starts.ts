/**
 * Timer Start events: one `timer_start` row per (app, start event) holds the armed next
 * firing. Releasing a version re-arms the same rows (upsert by key; rows for start events
 * the new version lacks are deleted), so a re-release never arms a second copy.
 *
 * Firing is claimed like a job (a lease on the row) and committed in one transaction with
 * the issues it starts and a fenced advance of the row (batch-program.ts `timerRound`): two
 * nodes never both start a round, and a node whose lease ran out cannot commit. After
 * downtime `scheduleRound` names only the latest missed firing: one round, not one per slot.
 */
import {
  type InstantInput,
  nextScheduleFiring,
  nextTimerDue,
  parseTimerDefinition,
  type ScheduleCount,
  scheduleRound,
  type TimerSchedule,
  type TimerStartSpec,
  validateSchedules,
} from '@nagare/engine';
import { RuntimeError } from './errors.js';

const KINDS = { duration: 'timeDuration', date: 'timeDate', cycle: 'timeCycle' } as const;

/** `nagare:schedule` rows as written (strings) → typed schedules; throws BAD_INPUT when invalid. */
export function readSchedules(spec: TimerStartSpec): TimerSchedule[] {
  const schedules = spec.schedules.map((row) => {
    const out: Record<string, unknown> = { ...row };
    const count = row.count;
    out.count = count === undefined || count === '' ? 1 : count === 'operators' ? 'operators' : Number(count);
    if (row.dayOfMonth !== undefined && /^\d+$/.test(String(row.dayOfMonth)))
      out.dayOfMonth = Number(row.dayOfMonth);
    if (row.month !== undefined) out.month = Number(row.month);
    return out as unknown as TimerSchedule;
  });
  const checked = validateSchedules(schedules);
  if (!checked.ok) throw new RuntimeError('BAD_INPUT', `timer start ${spec.node}: ${checked.error}`);
  return schedules;
}

export interface TimerStartPosition {
  readonly armedAt: number;
  readonly lastFiredAt: number | null;
  readonly fired: number;
}

export interface TimerStartRound {
  /** The firing started now (null: nothing due). */
  readonly dueAt: number | null;
  /** Issues to start for it (count summed over the schedules firing). */
  readonly count: number;
  readonly nextAt: number | null;
}

function countOf(count: ScheduleCount, operators: number): number {
  return count === 'operators' ? Math.max(1, operators) : count;
}

/** When the row fires next, computed at arming (release) from where it stands. */
export function nextFiring(spec: TimerStartSpec, timeZone: string, at: TimerStartPosition): number | null {
  const after: InstantInput = at.lastFiredAt ?? at.armedAt;
  if (spec.schedules.length > 0) return nextScheduleFiring(readSchedules(spec), after, timeZone).at;
  const def = timerDefinition(spec, timeZone);
  return nextTimerDue(
    def,
    { armedAt: at.armedAt, fired: at.fired, after: at.lastFiredAt ?? at.armedAt - 1 },
    timeZone,
  );
}

/** The round to start at `now` (one, however many firings were missed) and the next firing. */
export function roundAt(
  spec: TimerStartSpec,
  timeZone: string,
  at: TimerStartPosition,
  now: number,
  operators: number,
): TimerStartRound {
  if (spec.schedules.length > 0) {
    const schedules = readSchedules(spec);
    const round = scheduleRound(schedules, at.lastFiredAt ?? at.armedAt, now, timeZone);
    const count = round.due ? round.due.schedules.reduce((n, s) => n + countOf(s.count, operators), 0) : 0;
    return { dueAt: round.due?.at ?? null, count, nextAt: round.next.at };
  }
  const def = timerDefinition(spec, timeZone);
  const due = nextTimerDue(
    def,
    { armedAt: at.armedAt, fired: at.fired, after: at.lastFiredAt ?? at.armedAt - 1 },
    timeZone,
  );
  if (due === null || due > now) return { dueAt: null, count: 0, nextAt: due };
  const nextAt = nextTimerDue(def, { armedAt: at.armedAt, fired: at.fired + 1, after: now }, timeZone);
  return { dueAt: due, count: 1, nextAt };
}

function timerDefinition(spec: TimerStartSpec, timeZone: string) {
  if (!spec.timer)
    throw new RuntimeError('BAD_INPUT', `timer start ${spec.node} has neither schedules nor a timer`);
  const parsed = parseTimerDefinition(KINDS[spec.timer.kind], spec.timer.value, timeZone);
  if (!parsed.ok) throw new RuntimeError('BAD_INPUT', `timer start ${spec.node}: ${parsed.error}`);
  return parsed.value;
}
