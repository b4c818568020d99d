import fc from 'fast-check';
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import {
  CONDITION_OPS,
  type ConditionOp,
  type ConditionRow,
  type ConditionTerm,
  compileConditionRows,
  conditionRowsToFeel,
} from '../../src/expr/condition-rows.js';
import { compileConditionRowsEvaluator } from '../../src/expr/condition-rows-eval.js';
import { evaluateCondition } from '../../src/expr/feel.js';
import { type DataItemType, type DataItemTypes, toFeelContext } from '../../src/expr/feel-values.js';

/** The generated FEEL through feelin itself (evaluateCondition would take the direct path). */
function viaFeelin(
  feel: string,
  data: Record<string, unknown>,
): { ok: true; value: boolean } | { ok: false; error: string } {
  try {
    const { value, warnings } = evaluate(feel, toFeelContext(data, items, TZ));
    if (typeof value === 'boolean') return { ok: true, value };
    return { ok: false, error: `got ${String(value)} ${warnings.map((w) => w.message).join('; ')}` };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

const TZ = 'Europe/Berlin';
const items: DataItemTypes = {
  q_s: 'string',
  q_s2: 'string',
  q_n: 'numeric',
  q_n2: 'numeric',
  q_d: 'date',
  q_d2: 'date',
  q_t: 'datetime',
  q_t2: 'datetime',
  q_sel: 'select',
  q_sel2: 'select',
  q_u: 'user',
  q_u2: 'user',
  q_org: 'organization',
  q_tab: 'table',
};

/** Evaluates one term both ways (generated FEEL through feelin, and the direct evaluator); they must agree. */
function both(term: ConditionTerm, data: Record<string, unknown>): boolean {
  const rows: ConditionRow[] = [{ terms: [term] }];
  const feel = conditionRowsToFeel(rows, items, { timeZone: TZ });
  const viaFeel = viaFeelin(feel, data);
  if (!viaFeel.ok) throw new Error(`${feel}: ${viaFeel.error}`);
  const direct = compileConditionRowsEvaluator(rows, items, { timeZone: TZ });
  if (!direct.ok) throw new Error(direct.error);
  expect(direct.value(data)).toBe(viaFeel.value);
  expect(evaluateCondition(feel, data, { types: items, timeZone: TZ })).toEqual({
    ok: true,
    value: viaFeel.value,
  });
  return viaFeel.value;
}

type Case = readonly [string, ConditionTerm, Record<string, unknown>, boolean];

const alice = { id: 'u1', email: 'alice@example.com', name: 'Alice' };
const bob = { id: 'u2', email: 'bob@example.com', name: 'Bob' };

// Every op × type, against a fixed value and another item, entered and not.
const cases: Case[] = [
  // string
  ['string entered', { item: 'q_s', op: 'entered' }, { q_s: 'x' }, true],
  ['string entered: empty', { item: 'q_s', op: 'entered' }, { q_s: '' }, false],
  ['string entered: null', { item: 'q_s', op: 'entered' }, { q_s: null }, false],
  ['string notEntered: missing', { item: 'q_s', op: 'notEntered' }, {}, true],
  ['string notEntered', { item: 'q_s', op: 'notEntered' }, { q_s: 'x' }, false],
  ['string equals', { item: 'q_s', op: 'equals', value: 'Tokyo' }, { q_s: 'Tokyo' }, true],
  ['string equals: case matters', { item: 'q_s', op: 'equals', value: 'Tokyo' }, { q_s: 'tokyo' }, false],
  [
    'string equals: quotes',
    { item: 'q_s', op: 'equals', value: 'say "hi" \\ o\'k' },
    { q_s: 'say "hi" \\ o\'k' },
    true,
  ],
  ['string equals: empty', { item: 'q_s', op: 'equals', value: 'a' }, { q_s: '' }, false],
  ['string notEquals', { item: 'q_s', op: 'notEquals', value: 'a' }, { q_s: 'b' }, true],
  ['string notEquals: empty', { item: 'q_s', op: 'notEquals', value: 'a' }, {}, true],
  ['string contains', { item: 'q_s', op: 'contains', value: '[test]' }, { q_s: 'a [test] b' }, true],
  ['string contains: no', { item: 'q_s', op: 'contains', value: 'z' }, { q_s: 'abc' }, false],
  ['string notContains', { item: 'q_s', op: 'notContains', value: 'z' }, { q_s: 'abc' }, true],
  ['string notContains: empty', { item: 'q_s', op: 'notContains', value: 'z' }, { q_s: null }, true],
  ['string equals other', { item: 'q_s', op: 'equals', otherItem: 'q_s2' }, { q_s: 'a', q_s2: 'a' }, true],
  [
    'string equals other: both empty',
    { item: 'q_s', op: 'equals', otherItem: 'q_s2' },
    { q_s: '', q_s2: '' },
    false,
  ],
  [
    'string contains other',
    { item: 'q_s', op: 'contains', otherItem: 'q_s2' },
    { q_s: 'abc', q_s2: 'b' },
    true,
  ],
  [
    'string notContains other',
    { item: 'q_s', op: 'notContains', otherItem: 'q_s2' },
    { q_s: 'abc', q_s2: 'd' },
    true,
  ],
  [
    'string notEquals other',
    { item: 'q_s', op: 'notEquals', otherItem: 'q_s2' },
    { q_s: 'a', q_s2: 'b' },
    true,
  ],
  // numeric
  ['numeric entered', { item: 'q_n', op: 'entered' }, { q_n: 0 }, true],
  ['numeric notEntered', { item: 'q_n', op: 'notEntered' }, { q_n: null }, true],
  ['numeric equals', { item: 'q_n', op: 'equals', value: '10.50' }, { q_n: 10.5 }, true],
  ['numeric equals decimal string', { item: 'q_n', op: 'equals', value: '3' }, { q_n: '3.0' }, true],
  ['numeric notEquals', { item: 'q_n', op: 'notEquals', value: '10' }, { q_n: 11 }, true],
  ['numeric greaterThan', { item: 'q_n', op: 'greaterThan', value: '10' }, { q_n: 11 }, true],
  ['numeric greaterThan: equal', { item: 'q_n', op: 'greaterThan', value: '10' }, { q_n: 10 }, false],
  ['numeric greaterThan: empty', { item: 'q_n', op: 'greaterThan', value: '-5' }, {}, false],
  ['numeric greaterOrEqual', { item: 'q_n', op: 'greaterOrEqual', value: '10' }, { q_n: 10 }, true],
  ['numeric lessThan', { item: 'q_n', op: 'lessThan', value: '-1.5' }, { q_n: -2 }, true],
  ['numeric lessOrEqual', { item: 'q_n', op: 'lessOrEqual', value: '0' }, { q_n: 0 }, true],
  ['numeric lessThan other', { item: 'q_n', op: 'lessThan', otherItem: 'q_n2' }, { q_n: 1, q_n2: 2 }, true],
  [
    'numeric greaterOrEqual other: missing',
    { item: 'q_n', op: 'greaterOrEqual', otherItem: 'q_n2' },
    { q_n: 1 },
    false,
  ],
  ['numeric equals other', { item: 'q_n', op: 'equals', otherItem: 'q_n2' }, { q_n: 2, q_n2: 2 }, true],
  // date
  ['date entered', { item: 'q_d', op: 'entered' }, { q_d: '2026-01-01' }, true],
  ['date notEntered', { item: 'q_d', op: 'notEntered' }, {}, true],
  ['date equals', { item: 'q_d', op: 'equals', value: '2026-12-01' }, { q_d: '2026-12-01' }, true],
  ['date notEquals', { item: 'q_d', op: 'notEquals', value: '2026-12-01' }, { q_d: '2026-12-02' }, true],
  ['date lessThan', { item: 'q_d', op: 'lessThan', value: '2026-12-01' }, { q_d: '2026-11-30' }, true],
  ['date lessOrEqual', { item: 'q_d', op: 'lessOrEqual', value: '2026-12-01' }, { q_d: '2026-12-01' }, true],
  ['date greaterThan', { item: 'q_d', op: 'greaterThan', value: '2026-12-01' }, { q_d: '2026-12-01' }, false],
  [
    'date greaterOrEqual',
    { item: 'q_d', op: 'greaterOrEqual', value: '2026-12-01' },
    { q_d: '2027-01-01' },
    true,
  ],
  [
    'date greaterThan other',
    { item: 'q_d', op: 'greaterThan', otherItem: 'q_d2' },
    { q_d: '2026-02-01', q_d2: '2026-01-31' },
    true,
  ],
  // datetime
  ['datetime entered', { item: 'q_t', op: 'entered' }, { q_t: '2026-01-01T09:00:00Z' }, true],
  ['datetime notEntered', { item: 'q_t', op: 'notEntered' }, { q_t: null }, true],
  [
    'datetime equals across offsets',
    { item: 'q_t', op: 'equals', value: '2026-01-01T10:00:00+01:00' },
    { q_t: '2026-01-01T09:00:00Z' },
    true,
  ],
  [
    'datetime equals local value',
    { item: 'q_t', op: 'equals', value: '2026-07-01T09:00' },
    { q_t: '2026-07-01T07:00:00Z' },
    true,
  ],
  [
    'datetime notEquals',
    { item: 'q_t', op: 'notEquals', value: '2026-07-01T09:00' },
    { q_t: '2026-07-01T09:00:00Z' },
    true,
  ],
  [
    'datetime greaterThan',
    { item: 'q_t', op: 'greaterThan', value: '2026-07-01' },
    { q_t: '2026-06-30T22:00:01Z' },
    true,
  ],
  [
    'datetime greaterOrEqual',
    { item: 'q_t', op: 'greaterOrEqual', value: '2026-07-01' },
    { q_t: '2026-06-30T22:00:00Z' },
    true,
  ],
  [
    'datetime lessThan',
    { item: 'q_t', op: 'lessThan', value: '2026-07-01T00:00:00+02:00' },
    { q_t: '2026-06-30T23:59' },
    true,
  ],
  [
    'datetime lessOrEqual other',
    { item: 'q_t', op: 'lessOrEqual', otherItem: 'q_t2' },
    { q_t: '2026-01-01T00:00Z', q_t2: '2026-01-01T01:00+01:00' },
    true,
  ],
  // select
  ['select entered', { item: 'q_sel', op: 'entered' }, { q_sel: ['a'] }, true],
  ['select entered: none chosen', { item: 'q_sel', op: 'entered' }, { q_sel: [] }, false],
  ['select notEntered', { item: 'q_sel', op: 'notEntered' }, { q_sel: [] }, true],
  ['select contains', { item: 'q_sel', op: 'contains', value: 'b' }, { q_sel: ['a', 'b'] }, true],
  ['select contains: no', { item: 'q_sel', op: 'contains', value: 'c' }, { q_sel: ['a', 'b'] }, false],
  ['select notContains', { item: 'q_sel', op: 'notContains', value: 'c' }, { q_sel: ['a', 'b'] }, true],
  ['select equals: only that choice', { item: 'q_sel', op: 'equals', value: 'a' }, { q_sel: ['a'] }, true],
  ['select equals: more chosen', { item: 'q_sel', op: 'equals', value: 'a' }, { q_sel: ['a', 'b'] }, false],
  ['select equals: single id string', { item: 'q_sel', op: 'equals', value: 'a' }, { q_sel: 'a' }, true],
  ['select notEquals', { item: 'q_sel', op: 'notEquals', value: 'a' }, { q_sel: ['b'] }, true],
  [
    'select contains other select',
    { item: 'q_sel', op: 'contains', otherItem: 'q_sel2' },
    { q_sel: ['a', 'b', 'c'], q_sel2: ['c', 'a'] },
    true,
  ],
  [
    'select equals other select: same set',
    { item: 'q_sel', op: 'equals', otherItem: 'q_sel2' },
    { q_sel: ['a', 'b'], q_sel2: ['b', 'a'] },
    true,
  ],
  [
    'select equals other select: subset',
    { item: 'q_sel', op: 'equals', otherItem: 'q_sel2' },
    { q_sel: ['a', 'b'], q_sel2: ['a'] },
    false,
  ],
  [
    'select contains string item',
    { item: 'q_sel', op: 'contains', otherItem: 'q_s' },
    { q_sel: ['a', 'b'], q_s: 'b' },
    true,
  ],
  [
    'select notContains string item',
    { item: 'q_sel', op: 'notContains', otherItem: 'q_s' },
    { q_sel: ['a'], q_s: 'b' },
    true,
  ],
  // user / organization
  ['user entered', { item: 'q_u', op: 'entered' }, { q_u: alice }, true],
  ['user notEntered', { item: 'q_u', op: 'notEntered' }, { q_u: null }, true],
  ['user equals id', { item: 'q_u', op: 'equals', value: 'u1' }, { q_u: alice }, true],
  ['user equals email', { item: 'q_u', op: 'equals', value: 'alice@example.com' }, { q_u: alice }, true],
  ['user notEquals', { item: 'q_u', op: 'notEquals', value: 'u1' }, { q_u: bob }, true],
  [
    'user equals other',
    { item: 'q_u', op: 'equals', otherItem: 'q_u2' },
    { q_u: alice, q_u2: { ...alice } },
    true,
  ],
  [
    'user notEquals other',
    { item: 'q_u', op: 'notEquals', otherItem: 'q_u2' },
    { q_u: alice, q_u2: bob },
    true,
  ],
  ['organization entered', { item: 'q_org', op: 'entered' }, { q_org: { id: 'o7' } }, true],
  ['organization notEntered', { item: 'q_org', op: 'notEntered' }, {}, true],
  ['organization notEquals', { item: 'q_org', op: 'notEquals', value: 'o7' }, { q_org: { id: 'o8' } }, true],
  [
    'organization equals',
    { item: 'q_org', op: 'equals', value: 'o7' },
    { q_org: { id: 'o7', name: 'Sales' } },
    true,
  ],
  // table
  ['table entered', { item: 'q_tab', op: 'entered' }, { q_tab: [{ a: 1 }] }, true],
  ['table notEntered', { item: 'q_tab', op: 'notEntered' }, { q_tab: [] }, true],
];

describe('condition rows: every op × type', () => {
  it.each(cases)('%s', (_label, term, data, expected) => {
    expect(both(term, data)).toBe(expected);
  });

  it('covers every allowed op of every tested type', () => {
    for (const [type, ops] of Object.entries(CONDITION_OPS)) {
      if (type === 'file' || type === 'discussion') continue;
      for (const op of ops) {
        const covered = cases.some(([, term]) => items[term.item] === type && term.op === op);
        expect(covered, `${type} ${op}`).toBe(true);
      }
    }
  });
});

describe('condition rows: FEEL text', () => {
  it('ANDs the terms of a row and ORs the rows', () => {
    const feel = conditionRowsToFeel(
      [
        {
          terms: [
            { item: 'q_n', op: 'greaterThan', value: '10' },
            { item: 'q_s', op: 'entered' },
          ],
        },
        { terms: [{ item: 'q_sel', op: 'contains', value: 'vip' }] },
      ],
      items,
    );
    expect(feel).toBe(
      '((q_n != null and q_n > 10) and (q_s != null and q_s != "")) or ((q_sel != null and count(q_sel) > 0) and list contains(q_sel, "vip"))',
    );
  });

  it('no rows: false; an empty row: true', () => {
    expect(conditionRowsToFeel([], items)).toBe('false');
    expect(conditionRowsToFeel([{ terms: [] }], items)).toBe('true');
  });

  it('escapes string literals', () => {
    expect(conditionRowsToFeel([{ terms: [{ item: 'q_s', op: 'equals', value: 'a"b\\c\nd' }] }], items)).toBe(
      '(q_s != null and q_s != "") and q_s = "a\\"b\\\\c\\nd")'.replace(/^/, '('),
    );
  });

  it.each([
    [
      { item: 'q_nope', op: 'entered' },
      'condition row 2, term 1 (q_nope entered): unknown data item "q_nope"',
    ],
    [{ item: 'q_s', op: 'startsWith', value: 'a' }, 'op "startsWith" is not one of'],
    [{ item: 'q_s', op: 'greaterThan', value: 'a' }, 'op "greaterThan" is not one of entered, notEntered'],
    [{ item: 'q_tab', op: 'equals', value: 'a' }, 'for the table item "q_tab"'],
    [{ item: 'q_n', op: 'equals', value: 'ten' }, 'value "ten" is not a number'],
    [{ item: 'q_d', op: 'equals', value: '2026-02-30' }, 'not a valid date'],
    [{ item: 'q_n', op: 'equals' }, 'needs a value or an otherItem'],
    [{ item: 'q_n', op: 'equals', value: '1', otherItem: 'q_n2' }, 'not both'],
    [
      { item: 'q_n', op: 'equals', otherItem: 'q_d' },
      'the numeric item "q_n" cannot be compared with the date item "q_d"',
    ],
    [{ item: 'q_n', op: 'equals', otherItem: 'q_zzz' }, 'unknown data item "q_zzz" (otherItem)'],
    [
      { item: 'q_sel', op: 'contains', otherItem: 'q_n' },
      'a select item can be compared with a select or string item',
    ],
  ] as const)('rejects %j, naming row and term', (term, message) => {
    const rows: ConditionRow[] = [{ terms: [{ item: 'q_s', op: 'entered' }] }, { terms: [term] }];
    const r = compileConditionRows(rows, items);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain(message);
      expect(r.error).toMatch(/^condition row 2, term 1 /);
    }
    expect(() => conditionRowsToFeel(rows, items)).toThrow(message);
  });

  it('needs a zone (or an offset) for datetime values', () => {
    const rows: ConditionRow[] = [{ terms: [{ item: 'q_t', op: 'lessThan', value: '2026-01-01T09:00' }] }];
    expect(compileConditionRows(rows, items).ok).toBe(false);
    expect(compileConditionRows(rows, items, { timeZone: 'Asia/Tokyo' })).toEqual({
      ok: true,
      value: '(q_t != null and q_t < date and time("2026-01-01T00:00:00Z"))',
    });
  });
});

describe('condition rows: evaluateCondition runs generated FEEL directly', () => {
  const rows: ConditionRow[] = [
    {
      terms: [
        { item: 'q_n', op: 'greaterThan', value: '10' },
        { item: 'q_s', op: 'entered' },
      ],
    },
    { terms: [{ item: 'q_sel', op: 'contains', value: 'vip' }] },
  ];

  it('when the types match, fast and with the same answers', () => {
    const feel = conditionRowsToFeel(rows, items);
    const data = { q_n: 11, q_s: 'x', q_sel: [] };
    expect(evaluateCondition(feel, data, { types: items })).toEqual({ ok: true, value: true });
    const n = 20_000;
    const start = performance.now();
    for (let i = 0; i < n; i++)
      evaluateCondition(feel, { q_n: i % 20, q_s: 'x', q_sel: [] }, { types: items });
    const nsPerOp = ((performance.now() - start) * 1e6) / n;
    console.log(`evaluateCondition(rows FEEL): ${nsPerOp.toFixed(0)} ns/op`);
    expect(nsPerOp).toBeLessThan(20_000);
  });

  it('falls back to feelin when types differ or are absent', () => {
    const feel = conditionRowsToFeel(rows, items);
    const data = { q_n: 11, q_s: 'x', q_sel: ['vip'] };
    expect(evaluateCondition(feel, data)).toEqual({ ok: true, value: true });
    expect(
      evaluateCondition(feel, { q_n: 'abc', q_s: 'x', q_sel: 'vip' }, { types: { ...items, q_n: 'string' } }),
    ).toEqual({
      ok: true,
      value: true,
    });
  });
});

describe('condition rows: properties', () => {
  const strings = fc.constantFrom('', 'a', 'b', 'ab', 'a"b', 'x\\y', '日本', 'line\nbreak');
  const numbers = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0.5, -2.25, 10, 10.5));
  const dates = fc.constantFrom('2026-01-31', '2026-02-01', '2026-03-29', '2025-12-31');
  const datetimes = fc.constantFrom(
    '2026-03-29T01:00:00Z',
    '2026-03-29T03:30:00+02:00',
    '2026-03-29T02:30',
    '2026-10-25T02:30',
    '2026-01-01T00:00:00+09:00',
  );
  const ids = fc.constantFrom('a', 'b', 'c');
  const users = fc.constantFrom(alice, bob, { id: 'u3', email: 'carol@example.com', name: 'Carol' });
  const valueArb: Record<DataItemType, fc.Arbitrary<unknown>> = {
    string: strings,
    discussion: strings,
    numeric: numbers,
    date: dates,
    datetime: datetimes,
    select: fc.uniqueArray(ids, { maxLength: 3 }),
    user: users,
    organization: fc.constantFrom({ id: 'o1' }, { id: 'o2' }),
    table: fc.array(fc.constant({ a: 1 }), { maxLength: 2 }),
    file: fc.constant([]),
  };
  const fixedArb: Record<DataItemType, fc.Arbitrary<string>> = {
    string: strings,
    discussion: strings,
    numeric: numbers.map(String),
    date: dates,
    datetime: fc.constantFrom(
      '2026-03-29T03:00:00+02:00',
      '2026-03-29',
      '2026-03-29T02:30',
      '2026-01-01T00:00:00Z',
    ),
    select: ids,
    user: fc.constantFrom('u1', 'u2', 'bob@example.com'),
    organization: fc.constantFrom('o1', 'o2'),
    table: fc.constant(''),
    file: fc.constant(''),
  };
  const names = Object.keys(items);
  const data = fc.record(
    Object.fromEntries(names.map((n) => [n, fc.option(valueArb[items[n] as DataItemType], { nil: null })])),
  );
  const partners = (name: string): string[] => {
    const type = items[name] as DataItemType;
    return names.filter((m) => {
      const t = items[m] as DataItemType;
      return type === 'select' ? t === 'select' || t === 'string' : t === type;
    });
  };
  const term: fc.Arbitrary<ConditionTerm> = fc.constantFrom(...names).chain((item) => {
    const type = items[item] as DataItemType;
    return fc.constantFrom(...CONDITION_OPS[type]).chain((op: ConditionOp): fc.Arbitrary<ConditionTerm> => {
      if (op === 'entered' || op === 'notEntered') return fc.constant({ item, op });
      return fc.oneof<fc.Arbitrary<ConditionTerm>[]>(
        fixedArb[type].map((value) => ({ item, op, value })),
        fc.constantFrom(...partners(item)).map((otherItem) => ({ item, op, otherItem })),
      );
    });
  });
  const rows = fc.array(fc.record({ terms: fc.array(term, { maxLength: 3 }) }), { maxLength: 3 });

  it('generated FEEL always evaluates to a boolean equal to the direct evaluation', () => {
    fc.assert(
      fc.property(rows, data, (rs, d) => {
        const feel = conditionRowsToFeel(rs, items, { timeZone: TZ });
        const viaFeel = viaFeelin(feel, d);
        expect(viaFeel, feel).toEqual({ ok: true, value: expect.any(Boolean) });
        const direct = compileConditionRowsEvaluator(rs, items, { timeZone: TZ });
        if (!direct.ok || !viaFeel.ok) throw new Error('unreachable');
        expect(direct.value(d), feel).toBe(viaFeel.value);
      }),
      { numRuns: 300 },
    );
  });
});
