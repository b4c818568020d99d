import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDerived, type DataItemDef } from '../../src/index.js';
import { ITEMS } from './items.js';

describe('computeDerived', () => {
  it('computes table columns, totals, then numeric items in dependency order', () => {
    const values = {
      q_amount: 1005,
      q_lines: [
        { what: 'pen', price: 1.25, qty: 3 },
        { what: 'ink', price: '0.10', qty: 3 },
      ],
    };
    const r = computeDerived(ITEMS, values);
    expect(r.errors).toEqual([]);
    expect(r.values.q_lines).toEqual([
      { what: 'pen', price: 1.25, qty: 3, sum: 3.75 },
      { what: 'ink', price: '0.10', qty: 3, sum: 0.3 },
    ]);
    expect(r.totals).toEqual({ q_lines: { sum: 4.05 } });
    expect(r.values.q_tax).toBe(101); // 100.5 rounded half up to 0 places
    expect(r.values.q_total).toBe(105.05); // uses q_tax: computed first
    expect(values.q_lines[0]).toEqual({ what: 'pen', price: 1.25, qty: 3 }); // input untouched
  });

  it('empty inputs give null, not errors', () => {
    const r = computeDerived(ITEMS, {});
    expect(r.errors).toEqual([]);
    expect(r.values.q_tax).toBeNull();
    expect(r.values.q_total).toBeNull();
  });

  it('reports a failing expression and a cycle, naming the item', () => {
    const defs: DataItemDef[] = [
      { fieldName: 'q_a', number: 1, label: 'A', type: 'numeric', expression: 'q_b + 1' },
      { fieldName: 'q_b', number: 2, label: 'B', type: 'numeric', expression: 'q_a + 1' },
      { fieldName: 'q_c', number: 3, label: 'C', type: 'numeric', expression: 'q_c * 2' },
      { fieldName: 'q_d', number: 4, label: 'D', type: 'numeric', expression: '"text"' },
      { fieldName: 'q_e', number: 5, label: 'E', type: 'numeric', expression: 'q_d +' },
    ];
    const r = computeDerived(defs, {});
    expect(r.errors.map((e) => [e.fieldName, e.code])).toEqual([
      ['q_d', 'COMPUTE_FAILED'],
      ['q_e', 'COMPUTE_FAILED'],
      ['q_a', 'COMPUTE_CYCLE'],
      ['q_b', 'COMPUTE_CYCLE'],
      ['q_c', 'COMPUTE_CYCLE'],
    ]);
    expect(r.errors[0]!.message).toMatch(/^q_d \(D\): "text": /);
  });

  it('names row and column when a computed column fails', () => {
    const defs: DataItemDef[] = [
      {
        fieldName: 'q_t',
        number: 1,
        label: 'T',
        type: 'table',
        columns: [
          { fieldName: 'a', label: 'A', type: 'string' },
          { fieldName: 'b', label: 'B', type: 'numeric', expression: 'a' },
        ],
      },
    ];
    const r = computeDerived(defs, { q_t: [{ a: 'x' }] });
    expect(r.errors[0]).toMatchObject({ code: 'COMPUTE_FAILED', row: 1, column: 'b' });
    expect(r.errors[0]!.message).toMatch(/^q_t \(T\), row 1, column b \(B\): /);
  });

  it('is deterministic and does not mutate its input', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            what: fc.string({ maxLength: 5 }),
            price: fc.integer({ min: 0, max: 100000 }).map((n) => n / 100),
            qty: fc.integer({ min: 1, max: 50 }),
          }),
          { maxLength: 3 },
        ),
        fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100),
        (rows, amount) => {
          const values = Object.freeze({ q_amount: amount, q_lines: rows.map((r) => Object.freeze(r)) });
          const a = computeDerived(ITEMS, values);
          const b = computeDerived(ITEMS, values);
          expect(a).toEqual(b);
          expect(a.errors).toEqual([]);
          const expected = rows.reduce((s, r) => s + Math.round(r.price * r.qty * 100), 0) / 100;
          expect(a.totals.q_lines?.sum).toBeCloseTo(expected, 6);
        },
      ),
    );
  });
});
