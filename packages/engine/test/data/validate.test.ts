import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDefinitions,
  type DataItemDef,
  decimalPlacesOf,
  normalizeValue,
  OptionsIndex,
  roundDecimal,
  validateValue,
} from '../../src/index.js';
import { ITEMS, item } from './items.js';

const codes = (it: DataItemDef, v: unknown, opts = {}): string[] =>
  validateValue(it, v, opts).map((e) => e.code);

// [field, value, expected codes ([] = valid)]
const CASES: [string, unknown, string[]][] = [
  // string, single line
  ['q_title', 'Hello', []],
  ['q_title', 'x'.repeat(20), []],
  ['q_title', 'x'.repeat(21), ['TOO_LONG']],
  ['q_title', '𠮷'.repeat(20), []], // code points, not UTF-16 units
  ['q_title', 'two\nlines', ['NEWLINE_NOT_ALLOWED']],
  ['q_title', 42, ['WRONG_TYPE']],
  ['q_code', 'AB-12', []],
  ['q_code', 'ab-12', ['PATTERN_MISMATCH']],
  ['q_code', 'AB-', ['PATTERN_MISMATCH']],
  ['q_code', 'AB', ['TOO_SHORT', 'PATTERN_MISMATCH']],
  ['q_code', 'XAB-12', ['PATTERN_MISMATCH']], // whole value
  // multi-line, markdown
  ['q_memo', 'a\nb\r\nc', []],
  ['q_memo', 'x'.repeat(101), ['TOO_LONG']],
  ['q_body', '# Title\n\n- item', []],
  // numeric
  ['q_amount', 12.5, []],
  ['q_amount', '1234.50', []],
  ['q_amount', 1.234, ['TOO_MANY_DECIMALS']],
  ['q_amount', '1.000', ['TOO_MANY_DECIMALS']],
  ['q_amount', -1, ['BELOW_MIN']],
  ['q_amount', 1_000_000.01, ['ABOVE_MAX']],
  ['q_amount', 'abc', ['WRONG_TYPE']],
  ['q_amount', Number.NaN, ['WRONG_TYPE']],
  ['q_amount', Number.POSITIVE_INFINITY, ['WRONG_TYPE']],
  ['q_count', 3, []],
  ['q_count', 2.5, ['TOO_MANY_DECIMALS']],
  ['q_count', 0, ['BELOW_MIN']],
  ['q_count', 11, ['ABOVE_MAX']],
  // date sub types
  ['q_due', '2026-05-31', []],
  ['q_due', '2026-02-30', ['WRONG_TYPE']],
  ['q_due', '2025-12-31', ['BELOW_MIN']],
  ['q_due', '2027-01-01', ['ABOVE_MAX']],
  ['q_due', '2026-05-31T10:00:00Z', ['WRONG_TYPE']],
  ['q_month', '2026-05-01', []],
  ['q_month', '2026-05-02', ['DATE_SUBTYPE']],
  ['q_birthday', '2000-02-29', []],
  ['q_birthday', '2026-02-28', ['DATE_SUBTYPE']],
  ['q_year', '2026-01-01', []],
  ['q_year', '2026-02-01', ['DATE_SUBTYPE']],
  // datetime
  ['q_at', '2026-03-01T09:00:00+09:00', []],
  ['q_at', '2026-03-01T09:00', []],
  ['q_at', '2025-12-31T23:59:59Z', ['BELOW_MIN']],
  ['q_at', '2026-03-01', ['WRONG_TYPE']],
  // select: radio (one), checkbox (many), fixed choices
  ['q_color', ['r'], []],
  ['q_color', 'g', []],
  ['q_color', ['r', 'g'], ['TOO_MANY_CHOICES']],
  ['q_color', ['blue'], ['UNKNOWN_CHOICE']],
  ['q_tags', ['a', 'c'], []],
  ['q_tags', ['a', 'a'], ['DUPLICATE_CHOICE']],
  ['q_tags', [1], ['WRONG_TYPE']],
  // user, organization
  ['q_owner', { id: 'u1', name: 'Aiko', email: 'aiko@example.com' }, []],
  ['q_owner', 'u1', []],
  ['q_owner', { name: 'no id' }, ['BAD_REFERENCE']],
  ['q_owner', { id: 'u1', email: 3 }, ['BAD_REFERENCE']],
  ['q_owner', 7, ['WRONG_TYPE']],
  ['q_dept', { id: 'sales' }, []],
  // file
  ['q_files', [{ id: 'f1', name: 'a.pdf', size: 10, contentType: 'application/pdf' }], []],
  ['q_files', { id: 'f1', name: 'a.pdf', size: 0, contentType: 'text/plain; charset=utf-8' }, []],
  ['q_files', [{ id: 'f1', name: 'a.pdf', size: -1, contentType: 'application/pdf' }], ['BAD_FILE']],
  ['q_files', [{ id: 'f1', name: '', size: 1, contentType: 'pdf' }], ['BAD_FILE']],
  [
    'q_files',
    [
      { id: 'f1', name: 'a', size: 1, contentType: 'a/b' },
      { id: 'f1', name: 'b', size: 1, contentType: 'a/b' },
    ],
    ['DUPLICATE_FILE'],
  ],
  ['q_files', ['f1'], ['BAD_FILE']],
  // discussion
  ['q_talk', 'hello', []],
  ['q_talk', 'x'.repeat(51), ['TOO_LONG']],
  // guide panel: never a value
  ['q_guide', null, []],
  ['q_guide', 'text', ['NO_VALUE']],
  // empty values are fine when not required
  ['q_title', null, []],
  ['q_title', '', []],
  ['q_tags', [], []],
  // computed items validate like any numeric (writes are refused by applyWrite)
  ['q_tax', 12, []],
];

describe('validateValue: each type × setting', () => {
  it.each(CASES)('%s = %j → %j', (field, value, expected) => {
    expect(codes(item(field), value)).toEqual(expected);
  });

  it('tables: rows, columns, cells', () => {
    const t = item('q_lines');
    const row = { what: 'pen', price: 1.5, qty: 2, kind: 'x', on: '2026-02-01' };
    expect(codes(t, [row])).toEqual([]);
    expect(codes(t, [])).toEqual([]); // empty = no value
    expect(codes(t, [row, row, row, row])).toEqual(['TOO_MANY_ROWS']);
    const errors = validateValue(t, [
      row,
      { what: 'x'.repeat(11), price: 1.234, qty: 0, kind: 'z', on: '2025-01-01', extra: 1 },
      { price: 'abc' },
      'not a row',
    ]);
    expect(errors.map((e) => [e.code, e.row, e.column])).toEqual([
      ['TOO_MANY_ROWS', undefined, undefined],
      ['UNKNOWN_COLUMN', 2, undefined],
      ['TOO_LONG', 2, 'what'],
      ['TOO_MANY_DECIMALS', 2, 'price'],
      ['BELOW_MIN', 2, 'qty'],
      ['UNKNOWN_CHOICE', 2, 'kind'],
      ['BELOW_MIN', 2, 'on'],
      ['REQUIRED', 3, 'what'],
      ['WRONG_TYPE', 3, 'price'],
      ['BAD_ROW', 4, undefined],
    ]);
    expect(errors.find((e) => e.column === 'price')!.message).toBe(
      'q_lines (Lines), row 2, column price (Price): takes at most 2 decimal places; got 1.234',
    );
    // a computed column's value is ignored: it is recomputed
    expect(codes(t, [{ ...row, sum: 'anything' }])).toEqual([]);
  });

  it('a table needs its minimum of rows', () => {
    const t: DataItemDef = { ...(item('q_lines') as DataItemDef & { type: 'table' }), minRows: 2 };
    expect(codes(t, [{ what: 'a' }])).toEqual(['TOO_FEW_ROWS']);
  });

  it('required: the item setting, or the option', () => {
    const t = item('q_title');
    expect(codes({ ...t, required: true }, '')).toEqual(['REQUIRED']);
    expect(codes(t, null, { required: true })).toEqual(['REQUIRED']);
    expect(codes({ ...t, required: true }, null, { required: false })).toEqual([]);
  });

  it('messages name the field name and the label', () => {
    const [e] = validateValue(item('q_amount'), -1);
    expect(e).toMatchObject({ code: 'BELOW_MIN', fieldName: 'q_amount', label: 'Amount' });
    expect(e!.message).toBe('q_amount (Amount): must be at least 0; got -1');
  });

  it('master and HTTP choices are checked against the lookup the caller gives', () => {
    const city = item('q_city');
    const master = new OptionsIndex([
      { value: '0100', display: 'Sapporo' },
      { value: '1300', display: 'Chiyoda' },
    ]);
    expect(codes(city, ['0100'], { choicesOf: () => master })).toEqual([]);
    expect(codes(city, ['9999'], { choicesOf: () => master })).toEqual(['UNKNOWN_CHOICE']);
    expect(codes(city, ['9999'])).toEqual([]); // no lookup: not checked
  });

  it('never throws, whatever the value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ITEMS), fc.anything(), (it, v) => {
        const errors = validateValue(it, v);
        for (const e of errors) {
          expect(e.fieldName).toBe(it.fieldName);
          expect(e.message.startsWith(it.fieldName)).toBe(true);
        }
      }),
    );
  });

  it('any valid string passes (length and line rules)', () => {
    const t = item('q_memo');
    fc.assert(
      fc.property(fc.string({ maxLength: 100, unit: 'grapheme' }), (s) => {
        if ([...s].length <= 100) expect(codes(t, s)).toEqual([]);
      }),
    );
  });
});

describe('numeric decimal places and rounding', () => {
  it('rounds half away from zero on the decimal text', () => {
    expect(roundDecimal(1.005, 2)).toBe(1.01);
    expect(roundDecimal(-1.005, 2)).toBe(-1.01);
    expect(roundDecimal(2.5, 0)).toBe(3);
    expect(roundDecimal(-2.5, 0)).toBe(-3);
    expect(roundDecimal(0.1 + 0.2, 2)).toBe(0.3);
    expect(roundDecimal(9.995, 2)).toBe(10);
    expect(roundDecimal(1e-7, 2)).toBe(0);
    expect(roundDecimal(123.456, 5)).toBe(123.456);
    expect(roundDecimal(1e21, 2)).toBe(1e21);
    expect(decimalPlacesOf(1e-7)).toBe(7);
    expect(decimalPlacesOf('1.50')).toBe(2);
  });

  const num = fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true });
  it('any number rounded to p places has at most p places and passes the item', () => {
    fc.assert(
      fc.property(num, fc.integer({ min: 0, max: 6 }), (x, p) => {
        const r = roundDecimal(x, p);
        expect(decimalPlacesOf(r)).toBeLessThanOrEqual(p);
        const it: DataItemDef = {
          fieldName: 'q_n',
          number: 1,
          label: 'N',
          type: 'numeric',
          decimalPlaces: p,
        };
        expect(codes(it, r)).toEqual([]);
      }),
    );
  });
  it('rounding is idempotent and moves by at most half a unit', () => {
    fc.assert(
      fc.property(num, fc.integer({ min: 0, max: 6 }), (x, p) => {
        const r = roundDecimal(x, p);
        expect(roundDecimal(r, p)).toBe(r);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5 * 10 ** -p * (1 + 1e-9) + Math.abs(x) * 1e-15);
      }),
    );
  });
  it('values with p or fewer places are kept as they are', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 4 }), (n, p) => {
        const x = n / 10 ** p;
        expect(roundDecimal(x, p)).toBe(x);
      }),
    );
  });
});

describe('normalizeValue', () => {
  it.each([
    ['q_month', '2026-05', '2026-05-01'],
    ['q_year', '2026', '2026-01-01'],
    ['q_birthday', '02-29', '2000-02-29'],
    ['q_birthday', '--12-24', '2000-12-24'],
    ['q_due', '2026-05-31', '2026-05-31'],
    ['q_month', '2026-13', '2026-13'],
    ['q_color', 'r', ['r']],
    ['q_title', '', null],
    ['q_tags', [], null],
    ['q_amount', ' 12.50 ', '12.50'],
  ])('%s %j → %j', (field, input, stored) => {
    expect(normalizeValue(item(field), input)).toEqual(stored);
  });
});

describe('checkDefinitions', () => {
  it('accepts the test items', () => {
    expect(checkDefinitions(ITEMS)).toEqual([]);
  });

  it.each<[string, DataItemDef[], RegExp]>([
    ['bad field name', [{ fieldName: 'title', number: 1, label: 'T', type: 'user' }], /"q_"/],
    [
      'duplicate field name',
      [
        { fieldName: 'q_a', number: 1, label: 'A', type: 'user' },
        { fieldName: 'q_a', number: 2, label: 'A2', type: 'user' },
      ],
      /used by another item/,
    ],
    [
      'duplicate number',
      [
        { fieldName: 'q_a', number: 1, label: 'A', type: 'user' },
        { fieldName: 'q_b', number: 1, label: 'B', type: 'user' },
      ],
      /number 1 is also the number of q_a/,
    ],
    [
      'bad regex',
      [{ fieldName: 'q_a', number: 1, label: 'A', type: 'string', format: 'single', pattern: '(' }],
      /not a valid regular expression/,
    ],
    [
      'min above max',
      [{ fieldName: 'q_a', number: 1, label: 'A', type: 'numeric', min: 5, max: 1 }],
      /min 5 is above max 1/,
    ],
    [
      'select without choices',
      [
        {
          fieldName: 'q_a',
          number: 1,
          label: 'A',
          type: 'select',
          formType: 'radio',
          source: 'fixed',
          choices: [],
        },
      ],
      /at least one choice/,
    ],
    [
      'parent that is not a select',
      [
        { fieldName: 'q_a', number: 1, label: 'A', type: 'user' },
        {
          fieldName: 'q_b',
          number: 2,
          label: 'B',
          type: 'select',
          formType: 'search',
          source: 'http',
          choicesUrl: 'https://x',
          parentItem: 'q_a',
        },
      ],
      /not another select/,
    ],
    [
      'table: repeated column, total on text',
      [
        {
          fieldName: 'q_t',
          number: 1,
          label: 'T',
          type: 'table',
          columns: [
            { fieldName: 'a', label: 'A', type: 'string', total: true },
            { fieldName: 'a', label: 'A', type: 'numeric' },
          ],
        },
      ],
      /only numeric columns|used twice/,
    ],
  ])('%s', (_name, defs, message) => {
    const problems = checkDefinitions(defs);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === 'BAD_DEFINITION')).toBe(true);
    expect(problems.map((p) => p.message).join('\n')).toMatch(message);
  });
});
