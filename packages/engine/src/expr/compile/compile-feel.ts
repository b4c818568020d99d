/**
 * FEEL compiled once, evaluated many times, with feelin as the reference semantics.
 *
 * feelin re-parses and rebuilds its execution tree on every call (~50–300 µs). Here an
 * expression is parsed once with feelin's own grammar (lezer-feel, via parseExpression) and
 * turned into closures (nodes.ts) that mirror feelin's interpreter node by node; the compiled
 * form is cached by its text. What is compiled: literals, names, paths, arithmetic,
 * comparisons (numbers, strings, lists, contexts, dates, date-times), and / or, if, between,
 * in (intervals, `< x` tests, lists), list and context literals, filters, for / some / every,
 * date literals, now() / today(), and calls of feelin's own built-ins (builtins.ts).
 *
 * Anything else — another node type, named parameters, temporal arithmetic, a value kind a
 * compiled operator is not certain about, a key with spaces or operators in the data — makes
 * the WHOLE expression feelin's: at compile time (`compileFeel` returns null) or per call
 * (`runCompiled` returns FALLBACK). test/expr/compiled-equivalence.test.ts checks with
 * fast-check that compiled results equal feelin's.
 *
 * Cost per evaluation through evaluateFeel / evaluateCondition, data of 7 fields, no types
 * (Node 22 on the dev machine; feelin: 5,000 calls, compiled: 1,000,000 after warm-up;
 * `npx tsx packages/engine/test/expr/bench-feel.ts`; runs vary by ±30%):
 *
 *   expression                               feelin (before)   compiled (after)
 *   42                                           34–47 µs           97 ns
 *   amount + 1                                  174–197 µs         221–252 ns
 *   amount > 10 and ok                          289–347 µs         323–393 ns
 *   if amount > 10 then "high" else "low"       216–323 µs         289–321 ns
 *   q_price * q_quantity                        176–350 µs         205–209 ns
 *   q_a > 1 and q_b = "x" or q_c < 5            505–571 µs         376 ns
 *   amount > 10 (condition)                     204–217 µs         173–259 ns
 */
import { parseExpression } from 'feelin';
import type { FeelOptions } from '../feel.js';
import { GenerationalCache } from './cache.js';
import { FALLBACK } from './fallback.js';
import { hasOnlyPlainKeys } from './kinds.js';
import { compileNode } from './nodes.js';
import { RootScope } from './scope.js';
import type { Run } from './types.js';

export { FALLBACK } from './fallback.js';

export interface CompiledFeel {
  readonly run: Run;
}

const MAX_ENTRIES = 10_000;
// Expression text → its compiled form, or null when feelin always evaluates it.
const cache = new GenerationalCache<string, CompiledFeel | null>(MAX_ENTRIES);

function hasSyntaxError(tree: ReturnType<typeof parseExpression>): boolean {
  let error = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) error = true;
      return !error;
    },
  });
  return error;
}

/**
 * The compiled form of `expression`, or null when it has a syntax error (feelin words the
 * message) or uses something the compiler does not implement. Parsed without context names:
 * the compiled form only runs on data whose keys are plain names, which cannot change the parse.
 */
export function compileFeel(expression: string): CompiledFeel | null {
  let compiled = cache.get(expression);
  if (compiled === undefined) {
    compiled = null;
    try {
      const tree = parseExpression(expression, {}, undefined);
      if (!hasSyntaxError(tree)) compiled = { run: compileNode(tree.topNode, expression).run };
    } catch {
      // Unsupported, or a literal feelin itself rejects: feelin evaluates it.
    }
    cache.set(expression, compiled);
  }
  return compiled;
}

/** Runs a compiled expression on Nagare data: its FEEL value, or FALLBACK to ask feelin. */
export function runCompiled(
  compiled: CompiledFeel,
  data: Readonly<Record<string, unknown>>,
  options: FeelOptions | undefined,
): unknown {
  // Keys with spaces or operators can change how feelin parses and matches names.
  if (!hasOnlyPlainKeys(data)) return FALLBACK;
  try {
    return compiled.run(new RootScope(data, options?.types, options?.timeZone, options?.now));
  } catch {
    // FALLBACK, or anything a built-in threw: feelin gives the value or its own error.
    return FALLBACK;
  }
}
