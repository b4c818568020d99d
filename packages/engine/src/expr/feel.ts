/**
 * FEEL evaluation for the engine: conditions on flows, expressions in update-data steps.
 *
 * - Never throws: syntax errors and failures come back as `{ ok: false, error }` naming the
 *   expression (the caller adds the element id).
 * - Pure: FEEL's `now()` and `today()` read the clock inside feelin, so we shadow them with
 *   the `now` the caller passes; without one, calling them is an error.
 * - Conditions follow Zeebe: a condition that does not evaluate to a boolean (null included,
 *   e.g. `x > 10` with no `x`) is an error, not `false`; Zeebe raises an incident there.
 * - Hot path: feelin parses on every call (~50–300 µs), which gateways and data updates on
 *   every issue cannot afford. Expressions are compiled once into closures with feelin's
 *   semantics (compile/compile-feel.ts, ~0.1 µs per evaluation); whatever the compiler does
 *   not implement is evaluated by feelin. FEEL generated from condition rows runs on the
 *   equivalent direct evaluator when the item types match (row-registry.ts).
 */
import { SyntaxError as FeelSyntaxError, evaluate as feelinEvaluate, isFunction } from 'feelin';
import { compileFeel, FALLBACK, runCompiled } from './compile/compile-feel.js';
import { compileConditionRowsEvaluator } from './condition-rows-eval.js';
import { feelClockAt } from './feel-clock.js';
import { type DataItemTypes, fromFeelValue, toFeelContext } from './feel-values.js';
import { type RowsEntry, rowsEntryFor } from './row-registry.js';

export type FeelResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };
export type ConditionResult =
  | { readonly ok: true; readonly value: boolean }
  | { readonly ok: false; readonly error: string };

export interface FeelOptions {
  /** Item types by field name: values are converted by type instead of by shape. */
  readonly types?: DataItemTypes;
  /** The current instant (epoch ms) for FEEL `now()` / `today()`. */
  readonly now?: number;
  /** The workspace zone: for `now()`, `today()` and datetimes without an offset. Default UTC. */
  readonly timeZone?: string;
}

/** The compiled path's FEEL value, or FALLBACK when feelin must evaluate. */
function compiledValue(
  expression: string,
  context: Readonly<Record<string, unknown>>,
  options: FeelOptions | undefined,
): unknown {
  const compiled = compileFeel(expression);
  return compiled === null ? FALLBACK : runCompiled(compiled, context, options);
}

function describe(expression: string): string {
  return expression.length > 200 ? `${expression.slice(0, 200)}…` : expression;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isFunction(value)) return 'a function';
  const r = fromFeelValue(value);
  if (r.ok && typeof r.value === 'string') return `${JSON.stringify(r.value)}`;
  return `a ${typeof value === 'object' ? 'context' : typeof value}`;
}

/** `now` / `today` for the context, reading the given instant; `refused()` tells if one was called without it. */
function clockFunctions(options: FeelOptions | undefined): {
  readonly functions: Record<string, unknown>;
  readonly refused: () => boolean;
} {
  const now = options?.now;
  if (now === undefined) {
    let refused = false;
    const refuse = (): null => {
      refused = true;
      return null;
    };
    return { functions: { now: refuse, today: refuse }, refused: () => refused };
  }
  const zone = options?.timeZone ?? 'UTC';
  return {
    functions: { now: () => feelClockAt(now, zone).now, today: () => feelClockAt(now, zone).today },
    refused: () => false,
  };
}

interface RawOutcome {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
  readonly warning?: string;
}

function runFeelin(
  expression: string,
  context: Readonly<Record<string, unknown>>,
  options: FeelOptions | undefined,
): RawOutcome {
  const clock = clockFunctions(options);
  // Data wins over the clock functions: a context entry named `now` is the caller's choice.
  const feelContext = { ...clock.functions, ...toFeelContext(context, options?.types, options?.timeZone) };
  try {
    const { value, warnings } = feelinEvaluate(expression, feelContext);
    if (clock.refused())
      return {
        ok: false,
        error: `now()/today() in "${describe(expression)}" need the current time, which was not given`,
      };
    return { ok: true, value, warning: warnings[0]?.message };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const kind = e instanceof FeelSyntaxError ? 'FEEL syntax error' : 'FEEL evaluation failed';
    return { ok: false, error: `${kind} in "${describe(expression)}": ${message}` };
  }
}

/** Evaluates a FEEL expression against data; the value comes back as plain JSON data. */
export function evaluateFeel(
  expression: string,
  context: Readonly<Record<string, unknown>>,
  options?: FeelOptions,
): FeelResult {
  let value = compiledValue(expression, context, options);
  if (value === FALLBACK) {
    // Blank text never compiles, so the check costs nothing on the compiled path.
    if (expression.trim() === '') return { ok: false, error: 'empty FEEL expression' };
    const raw = runFeelin(expression, context, options);
    if (!raw.ok) return { ok: false, error: raw.error ?? 'FEEL evaluation failed' };
    value = raw.value;
  }
  const converted = fromFeelValue(value);
  if (!converted.ok) return { ok: false, error: `"${describe(expression)}" ${converted.error}` };
  return { ok: true, value: converted.value };
}

function runRows(
  entry: RowsEntry,
  context: Readonly<Record<string, unknown>>,
  options: FeelOptions | undefined,
): boolean {
  if (!entry.predicate) {
    const compiled = compileConditionRowsEvaluator(entry.rows, entry.items, entry.options);
    // The rows compiled once already, so this cannot fail; stay on the safe side anyway.
    entry.predicate = compiled.ok ? compiled.value : () => false;
  }
  return entry.predicate(context, options?.timeZone ?? entry.options?.timeZone);
}

/**
 * Evaluates a FEEL condition. A result that is not a boolean is an error naming what it got
 * (as Zeebe raises an incident), e.g. `condition "q_x > 10" must be true or false but got
 * null (Variable 'q_x' not found)`.
 */
export function evaluateCondition(
  expression: string,
  context: Readonly<Record<string, unknown>>,
  options?: FeelOptions,
): ConditionResult {
  const rows = rowsEntryFor(expression, options?.types);
  if (rows) return { ok: true, value: runRows(rows, context, options) };
  const value = compiledValue(expression, context, options);
  if (typeof value === 'boolean') return { ok: true, value };
  if (expression.trim() === '') return { ok: false, error: 'empty FEEL condition' };
  // Not a boolean (or not compiled): feelin's run also gives the warning the message quotes.
  const raw = runFeelin(expression, context, options);
  if (!raw.ok) return { ok: false, error: raw.error ?? 'FEEL evaluation failed' };
  if (typeof raw.value === 'boolean') return { ok: true, value: raw.value };
  const hint = raw.warning ? ` (${raw.warning})` : '';
  return {
    ok: false,
    error: `condition "${describe(expression)}" must be true or false but got ${describeValue(raw.value)}${hint}`,
  };
}
