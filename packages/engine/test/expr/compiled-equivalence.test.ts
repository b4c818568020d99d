/**
 * The compiled FEEL path against feelin on random expressions over random data: the same
 * value, or the compiled path steps aside (FALLBACK) and feelin answers. Well-typed and
 * ill-typed expressions alike; errors in feelin must never come back as a compiled value.
 */
import fc from 'fast-check';
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { compileFeel, FALLBACK, runCompiled } from '../../src/expr/compile/compile-feel.js';
import { feelClockAt } from '../../src/expr/feel-clock.js';
import { feelString } from '../../src/expr/feel-literal.js';
import { toFeelContext } from '../../src/expr/feel-values.js';

const NOW = Date.UTC(2026, 4, 17, 10, 30);
const ERROR = Symbol('feelin threw');

/** feelin on the same data and clock as feel.ts gives it. */
function reference(expression: string, data: Record<string, unknown>): unknown {
  const clock = feelClockAt(NOW, 'UTC');
  try {
    return evaluate(expression, { now: () => clock.now, today: () => clock.today, ...toFeelContext(data) })
      .value;
  } catch {
    return ERROR;
  }
}

const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.1, 0.2, 1.5, -2.25, 1, 2),
);
const text = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('', 'a', 'B', 'x"y', 'a\\b', 'é', '日本', '😀', 'A1'),
);
const date = fc.constantFrom(
  '2026-01-31',
  '2026-05-17',
  '2025-12-31',
  '2026-05-17T10:30:00Z',
  '2026-05-17T09:00:00+09:00',
);
const scalar = fc.oneof(number, text, fc.boolean(), fc.constant(null), date);
const row = fc.record({ a: fc.oneof(number, fc.constant(null)), b: text }, { requiredKeys: ['b'] });

const dataArb = fc.record({
  n1: number,
  n2: number,
  s1: text,
  s2: text,
  b1: fc.boolean(),
  z: fc.constant(null),
  d1: date,
  v: scalar,
  l1: fc.array(number, { maxLength: 4 }),
  l2: fc.array(text, { maxLength: 3 }),
  lv: fc.array(scalar, { maxLength: 3 }),
  c1: row,
  rows: fc.array(row, { maxLength: 3 }),
});

const names = ['n1', 'n2', 's1', 's2', 'b1', 'z', 'd1', 'v', 'l1', 'l2', 'lv', 'c1', 'rows', 'missing'];
const numberLiteral = fc.oneof(
  fc.constantFrom('0', '1', '-1', '0.5', '2'),
  fc.integer({ min: -100, max: 100 }).map(String),
  fc.tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([i, f]) => `${i}.${f}`),
);
const atom = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...names) },
  { weight: 3, arbitrary: numberLiteral },
  { weight: 2, arbitrary: text.map(feelString) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'date("2026-05-17")',
      'date("2026-01-01")',
      'date and time("2026-05-17T10:30:00Z")',
      'today()',
      'now()',
      'c1.a',
      'c1.b',
      'rows.a',
      'd1.year',
      'duration("P1D")',
    ),
  },
);

const unaryFns = [
  'not', 'string', 'number', 'string length', 'upper case', 'lower case', 'count', 'sum', 'min', 'max',
  'mean', 'abs', 'floor', 'ceiling', 'is defined', 'date', 'reverse', 'distinct values', 'odd', 'even',
]; // biome-ignore format: one list
const binaryFns = [
  'contains',
  'starts with',
  'ends with',
  'substring',
  'list contains',
  'append',
  'modulo',
  'matches',
  'decimal',
  'index of',
];

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'xsmall', maxDepth: 4, withCrossShrink: true },
    { weight: 5, arbitrary: atom },
    {
      weight: 3,
      arbitrary: fc
        .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '**'), tie('expr'))
        .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(tie('expr'), fc.constantFrom('=', '!=', '<', '<=', '>', '>='), tie('expr'))
        .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(tie('expr'), fc.constantFrom('and', 'or'), tie('expr'))
        .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(tie('expr'), tie('expr'), tie('expr'))
        .map(([c, a, b]) => `if ${c} then ${a} else ${b}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(tie('expr'), tie('expr'), tie('expr'))
        .map(([x, a, b]) => `(${x}) between (${a}) and (${b})`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          tie('expr'),
          fc.oneof(
            fc
              .tuple(fc.constantFrom('[', '('), numberLiteral, numberLiteral, fc.constantFrom(']', ')'))
              .map(([o, a, b, c]) => `${o}${a}..${b}${c}`),
            fc
              .tuple(fc.constantFrom('<', '<=', '>', '>=', '=', '!='), tie('expr'))
              .map(([op, e]) => `${op} (${e})`),
            fc.array(tie('expr'), { minLength: 1, maxLength: 3 }).map((es) => `(${es.join(', ')})`),
            fc.array(tie('expr'), { maxLength: 3 }).map((es) => `[${es.join(', ')}]`),
            fc.constantFrom('l1', 'l2', 'lv', 's1'),
          ),
        )
        .map(([x, t]) => `(${x}) in ${t}`),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...unaryFns), tie('expr')).map(([f, a]) => `${f}(${a})`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...binaryFns), tie('expr'), tie('expr'))
        .map(([f, a, b]) => `${f}(${a}, ${b})`),
    },
    { weight: 1, arbitrary: fc.array(tie('expr'), { maxLength: 3 }).map((es) => `[${es.join(', ')}]`) },
    {
      weight: 1,
      arbitrary: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `{a: ${a}, b: ${b}, c: a}.c`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('l1', 'l2', 'lv', 'rows', '[1, 2, 3]', 'n1', 'z'),
          fc.oneof(
            tie('expr'),
            fc.constantFrom(
              'item > 1',
              'a > 0',
              'b = "a"',
              'item = null',
              '-1',
              '1',
              '0',
              '1.5',
              'true',
              'false',
              '"a"',
            ),
          ),
        )
        .map(([l, f]) => `${l}[${f}]`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('l1', 'l2', 'lv', 'rows', 'z', 'n1'), tie('expr'))
        .map(([l, e]) => `for x in ${l} return (${e})`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('some', 'every'), fc.constantFrom('l1', 'l2', 'lv', 'rows', 'z'), tie('expr'))
        .map(([q, l, e]) => `${q} x in ${l} satisfies (${e})`),
    },
    { weight: 1, arbitrary: tie('expr').map((e) => `-(${e})`) },
  ),
}));

describe('compiled FEEL equals feelin', () => {
  it('on random expressions over random data (same value, or steps aside)', () => {
    let compiledRuns = 0;
    let total = 0;
    let feelinMs = 0;
    fc.assert(
      fc.property(expr, dataArb, (expression, data) => {
        total++;
        const form = compileFeel(expression);
        const t0 = performance.now();
        const ref = reference(expression, data);
        feelinMs += performance.now() - t0;
        if (form === null) return;
        const mine = runCompiled(form, data, { now: NOW });
        if (mine === FALLBACK) return;
        compiledRuns++;
        expect(ref).not.toBe(ERROR);
        expect(mine).toEqual(ref);
      }),
      { numRuns: 5000 },
    );
    console.log(
      `compiled FEEL equivalence: ${compiledRuns} of ${total} evaluations ran compiled (feelin ${feelinMs.toFixed(0)} ms)`,
    );
    // Not vacuous: most random expressions are within the compiled subset.
    expect(compiledRuns).toBeGreaterThan(total * 0.5);
  });
});
