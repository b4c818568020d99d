/**
 * BPMN timer definitions: `timeDuration` (`PT15M`), `timeDate` (`2026-01-01T09:00:00Z`) and
 * `timeCycle` (`R3/PT10M`, `R/2026-01-01T09:00:00Z/P1D`, `R5/PT1H/2026-12-31T00:00:00Z`).
 *
 * Cycle semantics (as Zeebe's): `Rn` fires n times in all, `R` without n forever.
 * Firing k (0-based) is at `start + k×interval` when a start is given, else at
 * `armedAt + (k+1)×interval`; calendar units follow the workspace zone (duration.ts). Firings
 * that were due before the timer was armed are skipped, and so are firings missed while the
 * engine was down: `nextTimerDue` always answers the first firing strictly after `after`, so
 * a late runtime fires one round and carries on. An end (`R/PT1H/end`) stops the cycle.
 * Cron expressions are not supported.
 */
import {
  addIsoDuration,
  durationBoundsMs,
  formatIsoDuration,
  type IsoDuration,
  isZeroDuration,
  parseIsoDuration,
} from './duration.js';
import { formatInstant, parseInstant } from './instant.js';
import { err, ok, type Result } from './result.js';

export type TimerKind = 'timeDuration' | 'timeDate' | 'timeCycle';

export type TimerDefinition =
  | { readonly kind: 'duration'; readonly duration: IsoDuration }
  | { readonly kind: 'date'; readonly at: number }
  | {
      readonly kind: 'cycle';
      /** Total number of firings; null = unbounded. */
      readonly repetitions: number | null;
      readonly start: number | null;
      readonly interval: IsoDuration;
      readonly end: number | null;
    };

/** Where a timer stands: when it was armed, how often it fired, and the last instant handled. */
export interface TimerProgress {
  readonly armedAt: number;
  /** Firings so far (default 0). */
  readonly fired?: number;
  /** The next due instant must be strictly after this (default: just before `armedAt`). */
  readonly after?: number;
}

function parseDateOrInstant(text: string, timeZone: string): Result<number> {
  return parseInstant(text, timeZone);
}

/** Parses a BPMN timer definition; text without an offset is wall-clock time in `timeZone`. */
export function parseTimerDefinition(
  kind: TimerKind,
  text: string,
  timeZone: string,
): Result<TimerDefinition> {
  const t = text.trim();
  if (t === '') return err(`empty ${kind}`);
  if (kind === 'timeDuration') {
    const d = parseIsoDuration(t);
    return d.ok ? ok({ kind: 'duration', duration: d.value }) : err(`timeDuration ${d.error}`);
  }
  if (kind === 'timeDate') {
    const at = parseDateOrInstant(t, timeZone);
    return at.ok ? ok({ kind: 'date', at: at.value }) : err(`timeDate ${at.error}`);
  }
  return parseCycle(t);

  function parseCycle(c: string): Result<TimerDefinition> {
    const parts = c.split('/');
    const head = parts[0] ?? '';
    const rep = /^R(\d*)$/.exec(head);
    if (!rep) {
      return err(
        `timeCycle "${c}" must look like R3/PT10M or R/2026-01-01T09:00:00Z/P1D (cron is not supported)`,
      );
    }
    const repetitions = rep[1] === '' || rep[1] === undefined ? null : Number(rep[1]);
    if (repetitions === 0) return err(`timeCycle "${c}": R0 never fires`);
    const rest = parts.slice(1);
    let start: number | null = null;
    let end: number | null = null;
    let interval: IsoDuration | null = null;
    if (rest.length === 1) {
      const d = parseIsoDuration(rest[0] ?? '');
      if (!d.ok) return err(`timeCycle ${d.error}`);
      interval = d.value;
    } else if (rest.length === 2) {
      const [a = '', b = ''] = rest;
      if (a.startsWith('P')) {
        const d = parseIsoDuration(a);
        const e = parseDateOrInstant(b, timeZone);
        if (!d.ok) return err(`timeCycle ${d.error}`);
        if (!e.ok) return err(`timeCycle end ${e.error}`);
        interval = d.value;
        end = e.value;
      } else {
        const s = parseDateOrInstant(a, timeZone);
        if (!s.ok) return err(`timeCycle start ${s.error}`);
        start = s.value;
        if (b.startsWith('P')) {
          const d = parseIsoDuration(b);
          if (!d.ok) return err(`timeCycle ${d.error}`);
          interval = d.value;
        } else {
          // start/end: the interval is the exact time between them.
          const e = parseDateOrInstant(b, timeZone);
          if (!e.ok) return err(`timeCycle end ${e.error}`);
          const ms = e.value - s.value;
          if (ms <= 0) return err(`timeCycle "${c}": the end must be after the start`);
          interval = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: ms / 1000 };
        }
      }
    } else {
      return err(`timeCycle "${c}" must have two or three parts separated by "/"`);
    }
    if (isZeroDuration(interval)) return err(`timeCycle "${c}": the interval must not be zero`);
    return ok({ kind: 'cycle', repetitions, start, interval, end });
  }
}

/** The definition as BPMN text again (instants in UTC). */
export function formatTimerDefinition(def: TimerDefinition): string {
  switch (def.kind) {
    case 'duration':
      return formatIsoDuration(def.duration);
    case 'date':
      return formatInstant(def.at);
    case 'cycle': {
      const r = `R${def.repetitions ?? ''}`;
      const start = def.start === null ? '' : `/${formatInstant(def.start)}`;
      const end = def.end === null ? '' : `/${formatInstant(def.end)}`;
      return `${r}${start}/${formatIsoDuration(def.interval)}${end}`;
    }
  }
}

/**
 * The next instant the timer is due, strictly after `progress.after`, or null when it is
 * spent. A `timeDate` in the past is due at once (its instant); see the file comment for cycles.
 */
export function nextTimerDue(def: TimerDefinition, progress: TimerProgress, timeZone: string): number | null {
  const fired = progress.fired ?? 0;
  switch (def.kind) {
    case 'duration':
      return fired > 0 ? null : addIsoDuration(progress.armedAt, def.duration, timeZone);
    case 'date':
      return fired > 0 ? null : def.at;
    case 'cycle': {
      if (def.repetitions !== null && fired >= def.repetitions) return null;
      const after = progress.after ?? progress.armedAt - 1;
      const anchor = def.start ?? progress.armedAt;
      const offset = def.start === null ? 1 : 0;
      // Firings before arming are not owed.
      const floor = Math.max(after, progress.armedAt - 1);
      const at = (k: number): number => addIsoDuration(anchor, def.interval, timeZone, k + offset);
      const k = firstIndexAfter(at, anchor, floor, def.interval);
      const due = at(k);
      if (def.end !== null && due > def.end) return null;
      return due;
    }
  }
}

/** Smallest k ≥ 0 with at(k) > floor; at() is increasing. Bounded binary search, no long loops. */
function firstIndexAfter(
  at: (k: number) => number,
  anchor: number,
  floor: number,
  interval: IsoDuration,
): number {
  if (at(0) > floor) return 0;
  const { min, max } = durationBoundsMs(interval);
  let lo = Math.max(0, Math.floor((floor - anchor) / Math.max(max, 1)) - 1); // at(lo) <= floor
  let hi = Math.ceil((floor - anchor) / Math.max(min, 1)) + 2; // at(hi) > floor
  while (at(lo) > floor && lo > 0) lo = Math.floor(lo / 2);
  while (at(hi) <= floor) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid) > floor) hi = mid;
    else lo = mid;
  }
  return hi;
}
