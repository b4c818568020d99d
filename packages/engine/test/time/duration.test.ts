import { describe, expect, it } from 'vitest';
import { addIsoDuration, formatIsoDuration, parseIsoDuration } from '../../src/time/duration.js';
import { parseInstant } from '../../src/time/instant.js';

const at = (text: string) => {
  const r = parseInstant(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const dur = (text: string) => {
  const r = parseIsoDuration(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('ISO 8601 durations', () => {
  it.each([
    ['PT15M', { minutes: 15 }],
    ['P1DT2H', { days: 1, hours: 2 }],
    ['P1M', { months: 1 }],
    ['P1Y2M3W4DT5H6M7.5S', { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7.5 }],
    ['PT0,5S', { seconds: 0.5 }],
  ])('parses %s', (text, parts) => {
    expect(dur(text)).toEqual({
      years: 0,
      months: 0,
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: 0,
      seconds: 0,
      ...parts,
    });
  });

  it.each(['', 'P', 'PT', '15M', 'P1H', 'PT1.5H', 'P1.5D', 'R3/PT1M', 'p1d', '-P1D'])(
    'rejects "%s"',
    (text) => {
      expect(parseIsoDuration(text).ok).toBe(false);
    },
  );

  it('formats back', () => {
    expect(formatIsoDuration(dur('P1DT2H'))).toBe('P1DT2H');
    expect(formatIsoDuration(dur('PT0S'))).toBe('PT0S');
  });

  it('adds P1D across a DST change keeping the wall-clock time', () => {
    expect(addIsoDuration(at('2026-03-28T09:00:00+01:00'), dur('P1D'), 'Europe/Berlin')).toBe(
      at('2026-03-29T09:00:00+02:00'),
    );
    expect(addIsoDuration(at('2026-10-31T09:00:00-04:00'), dur('P1D'), 'America/New_York')).toBe(
      at('2026-11-01T09:00:00-05:00'),
    );
  });

  it('adds PT24H across a DST change as elapsed time', () => {
    expect(addIsoDuration(at('2026-03-28T09:00:00+01:00'), dur('PT24H'), 'Europe/Berlin')).toBe(
      at('2026-03-29T10:00:00+02:00'),
    );
  });

  it('adds months clamping to the month end, from the start each time', () => {
    const jan31 = at('2026-01-31T10:00:00+09:00');
    expect(addIsoDuration(jan31, dur('P1M'), 'Asia/Tokyo')).toBe(at('2026-02-28T10:00:00+09:00'));
    expect(addIsoDuration(jan31, dur('P1M'), 'Asia/Tokyo', 2)).toBe(at('2026-03-31T10:00:00+09:00'));
    expect(addIsoDuration(at('2028-01-31T10:00:00+09:00'), dur('P1M'), 'Asia/Tokyo')).toBe(
      at('2028-02-29T10:00:00+09:00'),
    );
    expect(addIsoDuration(at('2028-02-29T10:00:00Z'), dur('P1Y'), 'UTC')).toBe(at('2029-02-28T10:00:00Z'));
  });

  it('applies the calendar part before the time part', () => {
    // 2026-03-28 02:30 Berlin + P1D lands in the gap → 03:30, then +PT1H → 04:30.
    expect(addIsoDuration(at('2026-03-28T02:30:00+01:00'), dur('P1DT1H'), 'Europe/Berlin')).toBe(
      at('2026-03-29T04:30:00+02:00'),
    );
  });
});
