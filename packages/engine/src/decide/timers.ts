/**
 * Due times of timers and step deadlines, from the compiled spec, the data and `now`.
 * The arithmetic is the time layer's (parseTimerDefinition / nextTimerDue / computeDeadline);
 * this file only decides which text or value a spec means at this moment.
 */
import type { CompiledExpr, ExprEnv, StepDeadline, TimerSpec } from '../model/compiled-app.js';
import { computeDeadline, type DeadlineSpec, type DeadlineUnit } from '../time/deadline.js';
import { parseInstant, parsePlainDate, startOfDay } from '../time/instant.js';
import { nextTimerDue, parseTimerDefinition, type TimerKind } from '../time/timer-definition.js';

export type DueResult =
  | { readonly ok: true; readonly at: number }
  | { readonly ok: false; readonly error: string };

const KIND: Record<TimerSpec['kind'], TimerKind> = {
  duration: 'timeDuration',
  date: 'timeDate',
  cycle: 'timeCycle',
};

function instantOf(value: unknown, tz: string): DueResult {
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const d = parsePlainDate(value);
      if (d.ok) return { ok: true, at: startOfDay(d.value, tz) };
    }
    const i = parseInstant(value, tz);
    if (i.ok) return { ok: true, at: i.value };
    return { ok: false, error: i.error };
  }
  return { ok: false, error: `expected a date or datetime, got ${JSON.stringify(value) ?? String(value)}` };
}

export function timerDue(spec: TimerSpec, data: Readonly<Record<string, unknown>>, env: ExprEnv): DueResult {
  let value: unknown = spec.literal;
  if (spec.expr) {
    const r = spec.expr.evaluate(data, env);
    if (!r.ok) return { ok: false, error: r.error };
    value = r.value;
    // A date item or a FEEL date (YYYY-MM-DD) means 00:00 of that day in the workspace zone.
    if (spec.kind === 'date') return instantOf(value, env.timeZone);
  }
  if (typeof value !== 'string')
    return { ok: false, error: `expected ISO-8601 text, got ${JSON.stringify(value) ?? String(value)}` };
  const def = parseTimerDefinition(KIND[spec.kind], value, env.timeZone);
  if (!def.ok) return { ok: false, error: def.error };
  const at = nextTimerDue(def.value, { armedAt: env.now }, env.timeZone);
  if (at === null) return { ok: false, error: `timer "${value}" never fires` };
  return { ok: true, at };
}

const UNITS: Record<string, DeadlineUnit> = {
  minute: 'minutes',
  minutes: 'minutes',
  hour: 'hours',
  hours: 'hours',
  day: 'days',
  days: 'days',
  month: 'months',
  months: 'months',
};

const BASES: Record<string, 'arrival' | 'issueStart' | 'item'> = {
  arrival: 'arrival',
  tokenarrival: 'arrival',
  start: 'issueStart',
  issuestart: 'issueStart',
  casestart: 'issueStart',
  item: 'item',
};

/** The step deadline (epoch ms), undefined when the step has none, or an error. */
export function deadlineDue(
  spec: StepDeadline,
  arg: {
    arrivalAt: number;
    issueStartedAt: number;
    data: Readonly<Record<string, unknown>>;
    env: ExprEnv;
    expr?: CompiledExpr;
  },
): DueResult | undefined {
  const { env } = arg;
  if (arg.expr) {
    const r = arg.expr.evaluate(arg.data, env);
    if (!r.ok) return { ok: false, error: r.error };
    return instantOf(r.value, env.timeZone);
  }
  if (spec.amount === undefined) return undefined;
  const base = BASES[(spec.base ?? 'arrival').toLowerCase()];
  if (!base) return { ok: false, error: `unknown deadline base "${spec.base}"` };
  const unit = spec.unit ? UNITS[spec.unit.toLowerCase()] : undefined;
  if (spec.unit && !unit) return { ok: false, error: `unknown deadline unit "${spec.unit}"` };
  let ds: DeadlineSpec;
  if (base === 'item')
    ds = unit
      ? { base, item: spec.item ?? '', amount: spec.amount, unit }
      : { base, item: spec.item ?? '', amount: spec.amount };
  else {
    if (!unit) return { ok: false, error: 'deadline unit missing' };
    ds = { base, amount: spec.amount, unit };
  }
  const r = computeDeadline(ds, {
    arrivalAt: arg.arrivalAt,
    issueStartedAt: arg.issueStartedAt,
    data: arg.data,
    timeZone: env.timeZone,
  });
  return r.ok ? { ok: true, at: r.value } : { ok: false, error: r.error };
}

/**
 * The firing after `previousDue` of a cycle timer that has fired `fired` times, or null when
 * its repetitions are spent (or its end passed).
 */
export function nextCycleDue(
  spec: TimerSpec,
  data: Readonly<Record<string, unknown>>,
  env: ExprEnv,
  previousDue: number,
  fired: number,
): { readonly ok: true; readonly at: number | null } | { readonly ok: false; readonly error: string } {
  let value: unknown = spec.literal;
  if (spec.expr) {
    const r = spec.expr.evaluate(data, env);
    if (!r.ok) return { ok: false, error: r.error };
    value = r.value;
  }
  if (typeof value !== 'string')
    return { ok: false, error: `expected ISO-8601 text, got ${JSON.stringify(value) ?? String(value)}` };
  const def = parseTimerDefinition('timeCycle', value, env.timeZone);
  if (!def.ok) return { ok: false, error: def.error };
  if (def.value.kind !== 'cycle') return { ok: true, at: null };
  if (def.value.repetitions !== null && fired >= def.value.repetitions) return { ok: true, at: null };
  // Anchored at the previous firing: the next one is one interval later (or per its start).
  return {
    ok: true,
    at: nextTimerDue(def.value, { armedAt: previousDue, after: previousDue }, env.timeZone),
  };
}
