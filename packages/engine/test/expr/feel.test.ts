import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateFeel } from '../../src/expr/feel.js';

describe('evaluateFeel', () => {
  it('evaluates arithmetic and names', () => {
    expect(evaluateFeel('q_a + q_b * 2', { q_a: 1, q_b: 3 })).toEqual({ ok: true, value: 7 });
  });

  it('reports a syntax error naming the expression, never throwing', () => {
    const r = evaluateFeel('amount >', { amount: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('"amount >"');
  });

  it('rejects an empty expression', () => {
    expect(evaluateFeel('  ', {}).ok).toBe(false);
  });

  it('returns a missing name as null (FEEL semantics)', () => {
    expect(evaluateFeel('q_missing', {})).toEqual({ ok: true, value: null });
  });

  it('compares date strings with FEEL dates, typed or by shape', () => {
    const data = { q_due: '2026-11-30' };
    expect(evaluateFeel('q_due < date("2026-12-01")', data)).toEqual({ ok: true, value: true });
    expect(evaluateFeel('q_due < date("2026-12-01")', data, { types: { q_due: 'date' } })).toEqual({
      ok: true,
      value: true,
    });
    expect(evaluateFeel('q_due < date("2026-11-30")', data)).toEqual({ ok: true, value: false });
  });

  it('keeps a date-shaped string item a string when types say so', () => {
    expect(evaluateFeel('q_s = "2026-12-01"', { q_s: '2026-12-01' }, { types: { q_s: 'string' } })).toEqual({
      ok: true,
      value: true,
    });
  });

  it('compares datetimes as instants, whatever the offset', () => {
    const data = { q_at: '2026-03-01T09:00:00+09:00' };
    expect(
      evaluateFeel('q_at = date and time("2026-03-01T00:00:00Z")', data, {
        types: { q_at: 'datetime' },
        timeZone: 'Europe/Berlin',
      }),
    ).toEqual({ ok: true, value: true });
    expect(evaluateFeel('q_at < date and time("2026-03-01T00:00:01Z")', data)).toEqual({
      ok: true,
      value: true,
    });
  });

  it('reads datetimes without offset in the workspace zone, fields as users see them', () => {
    const opts = { types: { q_at: 'datetime' as const }, timeZone: 'Asia/Tokyo' };
    expect(evaluateFeel('q_at.hour', { q_at: '2026-03-01T09:30' }, opts)).toEqual({ ok: true, value: 9 });
    expect(evaluateFeel('q_at', { q_at: '2026-03-01T00:30:00Z' }, opts)).toEqual({
      ok: true,
      value: '2026-03-01T09:30:00+09:00',
    });
  });

  it('reads decimal strings of numeric items as numbers', () => {
    expect(evaluateFeel('q_n > 9', { q_n: '10.5' }, { types: { q_n: 'numeric' } })).toEqual({
      ok: true,
      value: true,
    });
    expect(evaluateFeel('q_n', { q_n: '' }, { types: { q_n: 'numeric' } })).toEqual({
      ok: true,
      value: null,
    });
  });

  it('sees selects as lists, users as contexts, tables as lists of contexts', () => {
    const data = {
      q_sel: ['a', 'c'],
      q_user: { id: 'u1', email: 'ann@example.com', name: 'Ann' },
      q_rows: [
        { item: 'pen', price: 2 },
        { item: 'ink', price: 5 },
      ],
    };
    const types = { q_sel: 'select', q_user: 'user', q_rows: 'table' } as const;
    expect(evaluateFeel('list contains(q_sel, "c")', data, { types })).toEqual({ ok: true, value: true });
    expect(evaluateFeel('q_user.email', data, { types })).toEqual({ ok: true, value: 'ann@example.com' });
    expect(evaluateFeel('sum(q_rows.price)', data, { types })).toEqual({ ok: true, value: 7 });
  });

  it('returns dates, datetimes and durations as data text', () => {
    expect(evaluateFeel('date("2026-01-31") + duration("P1M")', {})).toEqual({
      ok: true,
      value: '2026-02-28',
    });
    expect(evaluateFeel('date and time("2026-01-01T10:00:00+09:00")', {})).toEqual({
      ok: true,
      value: '2026-01-01T01:00:00Z',
    });
    expect(evaluateFeel('duration("P1DT2H")', {})).toEqual({ ok: true, value: 'P1DT2H' });
  });

  it('refuses functions as a result', () => {
    expect(evaluateFeel('function(x) x', {}).ok).toBe(false);
  });

  it('never reads the clock: now() needs the instant from the caller', () => {
    const r = evaluateFeel('now()', {});
    expect(r.ok).toBe(false);
    const now = Date.UTC(2026, 0, 1, 18, 0);
    expect(evaluateFeel('now()', {}, { now, timeZone: 'Asia/Tokyo' })).toEqual({
      ok: true,
      value: '2026-01-02T03:00:00+09:00',
    });
    expect(evaluateFeel('today()', {}, { now, timeZone: 'Asia/Tokyo' })).toEqual({
      ok: true,
      value: '2026-01-02',
    });
    expect(evaluateFeel('today()', {}, { now })).toEqual({ ok: true, value: '2026-01-01' });
    expect(
      evaluateFeel(
        'q_due < today()',
        { q_due: '2026-01-01' },
        { now, timeZone: 'Asia/Tokyo', types: { q_due: 'date' } },
      ),
    ).toEqual({ ok: true, value: true });
  });
});

describe('evaluateCondition', () => {
  it('returns booleans', () => {
    expect(evaluateCondition('amount > 10', { amount: 11 })).toEqual({ ok: true, value: true });
    expect(evaluateCondition('amount > 10', { amount: 10 })).toEqual({ ok: true, value: false });
    expect(evaluateCondition('q_s = "x" and q_n >= 2', { q_s: 'x', q_n: 2 })).toEqual({
      ok: true,
      value: true,
    });
  });

  it('treats a null result as an error, as Zeebe raises an incident', () => {
    const r = evaluateCondition('amount > 10', {});
    expect(r).toEqual({
      ok: false,
      error: `condition "amount > 10" must be true or false but got null (Variable 'amount' not found)`,
    });
  });

  it('names a non-boolean result', () => {
    const r = evaluateCondition('q_n + 1', { q_n: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('got the number 2');
    const s = evaluateCondition('"yes"', {});
    if (!s.ok) expect(s.error).toContain('got the string "yes"');
  });

  it('reports syntax errors', () => {
    const r = evaluateCondition('q_n >>', { q_n: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^FEEL syntax error in "q_n >>"/);
  });
});
