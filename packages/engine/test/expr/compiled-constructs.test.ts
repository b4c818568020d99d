/**
 * One table row per compiled construct: the expression compiles, runs without falling back,
 * and gives feelin's value. Rows marked `feelin` must fall back (compile time or per call).
 */
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { compileFeel, FALLBACK, runCompiled } from '../../src/expr/compile/compile-feel.js';
import { evaluateCondition, evaluateFeel } from '../../src/expr/feel.js';
import { feelClockAt } from '../../src/expr/feel-clock.js';
import { toFeelContext } from '../../src/expr/feel-values.js';

const NOW = Date.UTC(2026, 4, 17, 10, 30);
const data = {
  n: 5,
  m: -2.5,
  s: 'Hello "World"',
  t: true,
  f: false,
  z: null,
  d: '2026-05-17',
  at: '2026-05-17T09:00:00+09:00',
  l: [3, 1, 2],
  ls: ['a', 'b'],
  u: { id: 'u1', email: 'ann@example.com' },
  rows: [
    { item: 'pen', price: 2 },
    { item: 'ink', price: 5 },
  ],
};

function feelin(expression: string): unknown {
  const clock = feelClockAt(NOW, 'UTC');
  return evaluate(expression, { now: () => clock.now, today: () => clock.today, ...toFeelContext(data) })
    .value;
}

function compiled(expression: string): unknown {
  const form = compileFeel(expression);
  return form === null ? FALLBACK : runCompiled(form, data, { now: NOW });
}

const COMPILED: Record<string, readonly string[]> = {
  literals: ['42', '-5', '1.25', '"a\\"b\\n\\u0041"', 'true', 'false', 'null', '"日本"'],
  names: ['n', 's', 'missing', 'u.email', 'u.missing', 'rows.price', 'd.year', 'at.hour', 'z.a'],
  arithmetic: [
    'n + 1',
    'n - m',
    'n * 2',
    'n / 2',
    'n / 0',
    '2 ** 10',
    '2 ^ 3',
    '-n',
    '"a" + s',
    'n + "a"',
    'n + z',
    'l + 1',
  ],
  comparisons: [
    'n > 3',
    'n <= 5',
    'n = 5',
    'n != 5',
    's < "I"',
    'n = "5"',
    'z = null',
    'n = null',
    'z < 1',
    '"a" < 1',
    'l = [3, 1, 2]',
    '[1] = 1',
    'u = {id: "u1", email: "ann@example.com"}',
    'd < date("2026-06-01")',
    'd = date("2026-05-17")',
    'at = date and time("2026-05-17T00:00:00Z")',
    'at > date and time("2026-05-17T00:00:00Z")',
    'd < today()',
    'at < now()',
  ],
  logic: ['t and f', 't or f', 't and z', 'f and z', 't or z', 'not(t)', 'not(n)', 'n > 3 and s = "x" or t'],
  conditionals: ['if n > 3 then "high" else "low"', 'if z then 1 else 2', 'if n then 1 else 2'],
  between: ['n between 1 and 10', 'n between 10 and 1', 'n between z and 10', '"b" between "a" and "c"'],
  in: [
    'n in [1..10]',
    'n in (5..10]',
    'n in (1, 2, 5)',
    'n in < 10',
    'n in (< 3, > 4)',
    'n in l',
    'n in [1, 2]',
    's in ("x", "y")',
    'n in (!= 5)',
    'z in [1..2]',
  ],
  lists_contexts: ['[1, n, s]', '{a: 1, b: a + 1}', '{a: n}.a', '[]'],
  filters: [
    'l[1]',
    'l[-1]',
    'l[0]',
    'l[item > 1]',
    'rows[price > 3].item',
    'rows[item = "pen"]',
    'l[true]',
    'l[false]',
    'ls["a"]',
    'z[1]',
    'n[1]',
  ],
  iteration: [
    'for x in l return x * 2',
    'for x in z return x',
    'some x in l satisfies x > 2',
    'every x in l satisfies x > 0',
    'for x in l return partial',
  ],
  builtins: [
    'count(l)',
    'sum(l)',
    'min(l)',
    'max(l)',
    'mean(l)',
    'sum(rows.price)',
    'string length(s)',
    'upper case(s)',
    'lower case(s)',
    'substring(s, 2, 3)',
    'contains(s, "World")',
    'starts with(s, "He")',
    'matches(s, "^H")',
    'string(n)',
    'number("12.5")',
    'list contains(ls, "b")',
    'floor(m)',
    'abs(m)',
    'date("2026-01-31")',
    'date(d)',
    'duration("P1D")',
    'count(1)',
    'sum(1, 2)',
    'upper case(n)',
  ],
};

const FEELIN_ONLY = [
  'function(x) x',
  'x instance of number',
  'date("2026-01-31") + duration("P1M")',
  'for x in 1..3 return x',
  'substring(string: s, start position: 2)',
  'count',
  'now',
  '1 < true',
];

describe('compiled constructs', () => {
  for (const [construct, expressions] of Object.entries(COMPILED)) {
    it(`${construct}: compiled, and equal to feelin`, () => {
      for (const e of expressions) {
        const mine = compiled(e);
        expect(mine, e).not.toBe(FALLBACK);
        expect(mine, e).toEqual(feelin(e));
      }
    });
  }

  it('leaves the rest to feelin, with the same results through evaluateFeel', () => {
    for (const e of FEELIN_ONLY) expect(compiled(e), e).toBe(FALLBACK);
    expect(evaluateFeel('date("2026-01-31") + duration("P1M")', {})).toEqual({
      ok: true,
      value: '2026-02-28',
    });
    expect(evaluateFeel('1 < true', {}).ok).toBe(false);
  });

  it('steps aside for data keys with spaces, which change how feelin parses', () => {
    const form = compileFeel('a + b');
    expect(form && runCompiled(form, { a: 1, b: 2, 'a + b': 10 }, undefined)).toBe(FALLBACK);
    expect(evaluateFeel('a + b', { a: 1, b: 2, 'a + b': 10 })).toEqual({
      ok: true,
      value: evaluate('a + b', { a: 1, b: 2, 'a + b': 10 }).value,
    });
  });

  it('keeps feelin’s error messages for non-boolean conditions', () => {
    expect(evaluateCondition('amount > 10', {})).toEqual({
      ok: false,
      error: `condition "amount > 10" must be true or false but got null (Variable 'amount' not found)`,
    });
  });
});
