import { describe, expect, it } from 'vitest';
import { computeDeadline, type DeadlineSpec } from '../../src/time/deadline.js';
import { formatInstant, parseInstant } from '../../src/time/instant.js';

const at = (text: string) => {
  const r = parseInstant(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const base = {
  arrivalAt: at('2026-03-28T09:15:00+01:00'),
  issueStartedAt: '2026-01-31T10:00:00+01:00',
  data: { q_due: '2026-03-28', q_meeting: '2026-03-28T22:30:00Z', q_empty: '' } as Record<string, unknown>,
  timeZone: 'Europe/Berlin',
};
const deadline = (spec: DeadlineSpec, input = base) => {
  const r = computeDeadline(spec, input);
  return r.ok ? formatInstant(r.value, input.timeZone) : `error: ${r.error}`;
};

describe('deadlines', () => {
  it.each([
    [{ base: 'arrival', amount: 30, unit: 'minutes' }, '2026-03-28T09:45:00+01:00'],
    [{ base: 'arrival', amount: 24, unit: 'hours' }, '2026-03-29T10:15:00+02:00'],
    [{ base: 'arrival', amount: 1, unit: 'days' }, '2026-03-29T09:15:00+02:00'],
    [{ base: 'issueStart', amount: 1, unit: 'months' }, '2026-02-28T10:00:00+01:00'],
    [{ base: 'issueStart', amount: 2, unit: 'months' }, '2026-03-31T10:00:00+02:00'],
    [{ base: 'item', item: 'q_due', amount: 1, unit: 'days' }, '2026-03-29T00:00:00+01:00'],
    [{ base: 'item', item: 'q_due', amount: 0 }, '2026-03-28T00:00:00+01:00'],
    [{ base: 'item', item: 'q_due', amount: 12, unit: 'hours' }, '2026-03-28T12:00:00+01:00'],
    // 22:30Z is 23:30 in Berlin on the 28th: 00:00 of the 28th, local.
    [{ base: 'item', item: 'q_meeting', amount: 2, unit: 'days' }, '2026-03-30T00:00:00+02:00'],
  ] as const)('%j → %s', (spec, expected) => {
    expect(deadline(spec)).toBe(expected);
  });

  it('uses 00:00 in the workspace zone', () => {
    expect(deadline({ base: 'item', item: 'q_due', amount: 0 }, { ...base, timeZone: 'Asia/Tokyo' })).toBe(
      '2026-03-28T00:00:00+09:00',
    );
  });

  it('clamps deadlines on or after 2101-01-01 to 2100-12-31', () => {
    const late = { ...base, issueStartedAt: '2100-06-01T10:00:00+02:00' };
    expect(deadline({ base: 'issueStart', amount: 9999, unit: 'days' }, late)).toBe(
      '2100-12-31T00:00:00+01:00',
    );
    expect(deadline({ base: 'issueStart', amount: 6, unit: 'months' }, late)).toBe(
      '2100-12-01T10:00:00+01:00',
    );
    expect(deadline({ base: 'issueStart', amount: 7, unit: 'months' }, late)).toBe(
      '2100-12-31T00:00:00+01:00',
    );
  });

  it('names a missing or unusable item', () => {
    expect(deadline({ base: 'item', item: 'q_nothing', amount: 1, unit: 'days' })).toBe(
      'error: deadline data item "q_nothing" has no value',
    );
    expect(deadline({ base: 'item', item: 'q_empty', amount: 1, unit: 'days' })).toBe(
      'error: deadline data item "q_empty" has no value',
    );
    expect(
      deadline(
        { base: 'item', item: 'q_due', amount: 1, unit: 'days' },
        { ...base, data: { q_due: 'soon' } },
      ),
    ).toMatch(/^error: deadline data item "q_due"/);
  });

  it.each([
    [{ base: 'arrival', amount: 0, unit: 'days' }, 'amount 0 must be 1–9999'],
    [{ base: 'arrival', amount: 10000, unit: 'days' }, 'amount 10000'],
    [{ base: 'arrival', amount: 1.5, unit: 'days' }, 'amount 1.5'],
    [{ base: 'arrival', amount: 1, unit: 'weeks' }, 'unit "weeks"'],
    [{ base: 'item', item: 'q_due', amount: 1 }, 'unit "undefined"'],
    [{ base: 'later', amount: 1, unit: 'days' }, 'base "later"'],
  ])('rejects %j', (spec, message) => {
    expect(deadline(spec as unknown as DeadlineSpec)).toContain(message);
  });
});
