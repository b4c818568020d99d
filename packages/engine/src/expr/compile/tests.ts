/**
 * Comparisons: `a op b`, `x between a and b`, and `x in <unary tests>` with intervals,
 * `< 10`-style tests, lists and plain values, following feelin's Comparison and compareIn.
 */
import { FeelRange } from 'feelin';
import { type CompareOp, compare, feelEquals, orderTest } from './compare.js';
import { fallback } from './fallback.js';
import { kindOf } from './kinds.js';
import { makeRange } from './range.js';
import type { Scope } from './scope.js';
import { type Compiled, children, type Run, type SyntaxNode, unsupported } from './types.js';

type CompileNode = (node: SyntaxNode) => Compiled;

/** feelin's `= x` / `!= x` unary test (a function there). */
class EqualityTest {
  constructor(
    readonly value: unknown,
    readonly negate: boolean,
  ) {}

  apply(probe: unknown): boolean | null {
    const r = feelEquals(probe, this.value);
    return this.negate && r !== null ? !r : r;
  }
}

function cmp(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `x between start and end`: a closed range, bounds in either order; null bounds give null. */
function between(x: Run, start: Run, end: Run): Run {
  return (s) => {
    const lo = start(s);
    const hi = end(s);
    if (lo === null || hi === null) return null;
    const t = typeof lo;
    if ((t === 'number' || t === 'string') && typeof hi === t) {
      const v = x(s);
      if (typeof v !== t) return makeRange(lo, hi).includes(v as FeelRange['start']);
      const [a, b] = cmp(lo as number | string, hi as number | string) > 0 ? [hi, lo] : [lo, hi];
      return (
        cmp(v as number | string, a as number | string) >= 0 &&
        cmp(v as number | string, b as number | string) <= 0
      );
    }
    return makeRange(lo, hi).includes(x(s) as FeelRange['start']);
  };
}

/** feelin's compareIn: a matching test wins; an incomparable range or test makes it null. */
function compareIn(value: unknown, tests0: unknown): boolean | null {
  let tests: unknown[];
  if (Array.isArray(tests0)) tests = tests0;
  else if (tests0 === null || tests0 === undefined) return null;
  else tests = [tests0];
  let unknown = false;
  for (const test of tests) {
    let result: boolean | null;
    if (test instanceof EqualityTest) result = test.apply(value);
    else if (test instanceof FeelRange) result = test.includes(value as FeelRange['start']);
    else {
      const kind = kindOf(test);
      if (kind === 'function' || kind === 'range') return fallback();
      // Plain values compare two-valued in a membership test.
      result = feelEquals(test, value) ?? false;
    }
    if (result === true) return true;
    if (result === null) unknown = true;
  }
  return unknown ? null : false;
}

function compileInterval(node: SyntaxNode, compileNode: CompileNode): Run {
  const [open, startNode, , endNode, close] = children(node);
  if (!open || !startNode || !endNode || !close) return unsupported('interval');
  const startIncluded = open.name === '[';
  const endIncluded = close.name === ']';
  const start = compileNode(startNode).run;
  const end = compileNode(endNode).run;
  return (s) => {
    const left = start(s);
    const right = end(s);
    return makeRange(left, right, left !== null && startIncluded, right !== null && endIncluded);
  };
}

/** A PositiveUnaryTest: a range, an equality test, or a plain value (a list tests each element). */
function compileUnaryTest(node: SyntaxNode, src: string, compileNode: CompileNode): Run {
  let [inner] = children(node);
  // `(!= 5)`: feelin's parentheses pass the inner test through unchanged.
  while (inner?.name === 'ParenthesizedExpression') inner = children(inner)[1];
  if (!inner) return unsupported('empty unary test');
  if (inner.name !== 'SimplePositiveUnaryTest') return compileNode(inner).run;
  const parts = children(inner);
  const [first, second] = parts;
  if (parts.length === 1 && first?.name === 'Interval') return compileInterval(first, compileNode);
  if (parts.length !== 2 || first?.name !== 'CompareOp' || !second) return unsupported('unary test');
  const op = src.slice(first.from, first.to) as CompareOp;
  const bound = compileNode(second).run;
  if (op === '=' || op === '!=') return (s) => new EqualityTest(bound(s), op === '!=');
  return (s) => orderTest(op, bound(s));
}

export function compileComparison(node: SyntaxNode, src: string, compileNode: CompileNode): Compiled {
  const kids = children(node);
  const [xNode, opNode, a, b, c] = kids;
  if (!xNode || !opNode || !a) return unsupported('comparison');
  const x = compileNode(xNode).run;
  switch (opNode.name) {
    case 'CompareOp': {
      const op = src.slice(opNode.from, opNode.to) as CompareOp;
      const right = compileNode(a).run;
      return { type: 'test', run: (s) => compare(op, x(s), right(s)) };
    }
    case 'between': {
      // x between a and c: b is the `and` keyword.
      if (b?.name !== 'and' || !c) return unsupported('between');
      return { type: 'test', run: between(x, compileNode(a).run, compileNode(c).run) };
    }
    case 'in': {
      if (a.name === '(') {
        if (b?.name !== 'PositiveUnaryTests') return unsupported('in (...)');
        const tests = children(b).map((t) => compileUnaryTest(t, src, compileNode));
        return {
          type: 'test',
          run: (s) =>
            compareIn(
              x(s),
              tests.map((t) => t(s)),
            ),
        };
      }
      const test = compileUnaryTest(a, src, compileNode);
      return { type: 'test', run: (s: Scope) => compareIn(x(s), test(s)) };
    }
    default:
      return unsupported(`comparison ${opNode.name}`);
  }
}
