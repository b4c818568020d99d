/**
 * feelin's own built-in functions, invoked the way feelin's FunctionInvocation invokes them:
 * the compiled path calls the very same implementations, so argument checks, implicit list
 * conversions and results are feelin's. Each is fetched once by evaluating its bare name.
 */
import { FeelFunction, evaluate as feelinEvaluate } from 'feelin';

/** Every name feelin 8 resolves to a built-in (a data field of that name would shadow it). */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set([
  'number', 'string', 'date', 'date and time', 'time', 'duration', 'years and months duration', '@',
  'now', 'today', 'not', 'substring', 'string length', 'upper case', 'lower case', 'substring before',
  'substring after', 'replace', 'contains', 'matches', 'starts with', 'ends with', 'split', 'string join',
  'list contains', 'list replace', 'count', 'min', 'max', 'sum', 'mean', 'all', 'any', 'sublist', 'append',
  'concatenate', 'insert before', 'remove', 'reverse', 'index of', 'union', 'distinct values', 'flatten',
  'product', 'median', 'stddev', 'mode', 'decimal', 'floor', 'ceiling', 'abs', 'round up', 'round down',
  'round half up', 'round half down', 'modulo', 'sqrt', 'log', 'exp', 'odd', 'even', 'is', 'before',
  'after', 'meets', 'met by', 'overlaps', 'overlaps before', 'overlaps after', 'finishes', 'finished by',
  'includes', 'during', 'starts', 'started by', 'coincides', 'day of year', 'day of week', 'month of year',
  'week of year', 'sort', 'get value', 'get entries', 'context', 'context merge', 'context put',
]); // biome-ignore format: one list

/** Not called on the compiled path: the clock (feel.ts supplies it), and `sort` (takes a function). */
const EXCLUDED = new Set(['now', 'today', 'sort', '@']);

// feelin signals a failed invocation with an internal class; learn it from a known mismatch.
const failureProto: unknown = Object.getPrototypeOf(new FeelFunction(() => 1, []).invoke([1]));

const resolved = new Map<string, FeelFunction | null>();

interface BuiltinFn {
  (...args: unknown[]): unknown;
  $args?: unknown;
}

/** The built-in as feelin wraps it for a call, or null when the compiled path does not call it. */
export function builtinFunction(name: string): FeelFunction | null {
  let fn = resolved.get(name);
  if (fn === undefined) {
    fn = null;
    if (BUILTIN_NAMES.has(name) && !EXCLUDED.has(name)) {
      try {
        const raw = feelinEvaluate(name).value as BuiltinFn | null;
        if (typeof raw === 'function' && Array.isArray(raw.$args)) fn = new FeelFunction(raw, raw.$args);
      } catch {
        // Names that do not parse alone (`date and time`) are evaluated by feelin.
      }
    }
    resolved.set(name, fn);
  }
  return fn;
}

/** Calls a built-in with positional arguments; a failed invocation is null, as in feelin. */
export function invokeBuiltin(fn: FeelFunction, args: unknown[]): unknown {
  const result: unknown = fn.invoke(args);
  return result !== null && typeof result === 'object' && Object.getPrototypeOf(result) === failureProto
    ? null
    : result;
}
