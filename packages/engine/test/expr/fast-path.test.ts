import fc from 'fast-check';
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { parseFastComparison, runFastComparison } from '../../src/expr/fast-path.js';
import { evaluateCondition } from '../../src/expr/feel.js';
import { feelString } from '../../src/expr/feel-literal.js';

const ops = ['=', '!=', '<', '<=', '>', '>='] as const;
const numberLiteral = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc
    .tuple(fc.integer({ min: -9999, max: 9999 }), fc.integer({ min: 0, max: 999 }))
    .map(([i, f]) => `${i}.${f}`),
  fc.constantFrom('0', '-0', '10', '0.1', '007', '12345678901234567890'),
);
const numberValue = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e7, max: 1e7 }),
  fc.constantFrom(0, -0, 10, 0.1, 7, 1.2345678901234567e19),
);
const stringValue = fc.oneof(fc.string(), fc.constantFrom('', 'open', 'Open', 'a b'));
const plainString = fc.string().filter((s) => !s.includes('"') && !s.includes('\\'));

describe('fast path for `name op literal`', () => {
  it('recognises only the simple shape', () => {
    expect(parseFastComparison('amount > 10')).toEqual({ name: 'amount', op: '>', literal: 10 });
    expect(parseFastComparison(' q_s = "open" ')).toEqual({ name: 'q_s', op: '=', literal: 'open' });
    expect(parseFastComparison('q_s < "open"')).toBeNull();
    expect(parseFastComparison('q_s = "a\\"b"')).toBeNull();
    expect(parseFastComparison('amount > 10 and b')).toBeNull();
    expect(parseFastComparison('null = 1')).toBeNull();
    expect(parseFastComparison('a.b > 1')).toBeNull();
  });

  it('gives the same result as feelin for numbers', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ops), numberLiteral, numberValue, (op, lit, value) => {
        const expression = `q_n ${op} ${lit}`;
        const fast = parseFastComparison(expression);
        expect(fast).not.toBeNull();
        const mine = fast && runFastComparison(fast, value);
        expect(mine).toBe(evaluate(expression, { q_n: value }).value);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same result as feelin for string (in)equality', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '!='), plainString, stringValue, (op, lit, value) => {
        const expression = `q_s ${op} "${lit}"`;
        const fast = parseFastComparison(expression);
        expect(fast).not.toBeNull();
        const mine = fast && runFastComparison(fast, value);
        expect(mine).toBe(evaluate(expression, { q_s: value }).value);
      }),
      { numRuns: 3000 },
    );
  });

  it('steps aside for other values, so evaluateCondition matches feelin', () => {
    const others = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.string(),
      fc.constant(Number.NaN),
      fc.array(fc.integer()),
    );
    fc.assert(
      fc.property(fc.constantFrom(...ops), numberLiteral, others, (op, lit, value) => {
        const expression = `q_n ${op} ${lit}`;
        const feel = evaluate(expression, { q_n: value }).value;
        const mine = evaluateCondition(expression, { q_n: value });
        if (typeof feel === 'boolean') expect(mine).toEqual({ ok: true, value: feel });
        else expect(mine.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('is fast: evaluateCondition("amount > 10") well under a microsecond', () => {
    const n = 200_000;
    let hits = 0;
    for (let i = 0; i < 20_000; i++) evaluateCondition('amount > 10', { amount: i % 20 });
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const r = evaluateCondition('amount > 10', { amount: i % 20 });
      if (r.ok && r.value) hits++;
    }
    const nsPerOp = ((performance.now() - start) * 1e6) / n;
    console.log(`evaluateCondition("amount > 10"): ${nsPerOp.toFixed(0)} ns/op`);
    expect(hits).toBe(n * 0.45);
    // A loose bound (25× the measured cost): fails only if the fast path is bypassed.
    expect(nsPerOp).toBeLessThan(5_000);
  });
});

describe('FEEL string literals', () => {
  it('round-trip any string through feelin', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(evaluate(feelString(s)).value).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});
