import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../src/time/instant.js';
import { fromWallClock, isValidTimeZone, offsetMsAt, toWallClock } from '../../src/time/zone.js';

const H = 3_600_000;
const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0,
});

describe('zone', () => {
  it('knows IANA zones and refuses unknown ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('reads offsets across the year', () => {
    expect(offsetMsAt(Date.UTC(2026, 0, 15), 'Europe/Berlin')).toBe(H);
    expect(offsetMsAt(Date.UTC(2026, 6, 15), 'Europe/Berlin')).toBe(2 * H);
    expect(offsetMsAt(Date.UTC(2026, 6, 15), 'America/New_York')).toBe(-4 * H);
    expect(offsetMsAt(Date.UTC(2026, 6, 15), 'Asia/Tokyo')).toBe(9 * H);
    expect(offsetMsAt(Date.UTC(2026, 6, 15), 'Asia/Kolkata')).toBe(5.5 * H);
  });

  it('converts wall-clock time to instants and back', () => {
    const t = fromWallClock(wall(2026, 7, 1, 9), 'Asia/Tokyo');
    expect(t).toBe(Date.UTC(2026, 7 - 1, 1, 0));
    expect(toWallClock(t, 'Asia/Tokyo')).toEqual(wall(2026, 7, 1, 9));
  });

  it('shifts a time in the spring gap forward by the gap (java.time)', () => {
    // Berlin skips 02:00–03:00 on 2026-03-29: 02:30 becomes 03:30 CEST = 01:30Z.
    expect(fromWallClock(wall(2026, 3, 29, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    // New York skips 02:00–03:00 on 2026-03-08: 02:15 becomes 03:15 EDT = 07:15Z.
    expect(fromWallClock(wall(2026, 3, 8, 2, 15), 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 15));
  });

  it('takes the earlier offset in the autumn overlap (java.time)', () => {
    // Berlin shows 02:30 twice on 2026-10-25: first at 00:30Z (CEST).
    expect(fromWallClock(wall(2026, 10, 25, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    // New York shows 01:30 twice on 2026-11-01: first at 05:30Z (EDT).
    expect(fromWallClock(wall(2026, 11, 1, 1, 30), 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5, 30));
  });

  it('agrees with Date for UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (t) => {
        const w = toWallClock(t, 'UTC');
        const d = new Date(t);
        expect([w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond]).toEqual([
          d.getUTCFullYear(),
          d.getUTCMonth() + 1,
          d.getUTCDate(),
          d.getUTCHours(),
          d.getUTCMinutes(),
          d.getUTCSeconds(),
          d.getUTCMilliseconds(),
        ]);
      }),
    );
  });

  it('round-trips every instant through its wall-clock time, except the second pass of an overlap', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Asia/Tokyo',
      'Australia/Lord_Howe',
      'America/Santiago',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(...zones),
        (t, tz) => {
          const back = fromWallClock(toWallClock(t, tz), tz);
          if (back !== t) {
            // Only in an overlap: the same wall time maps to the earlier instant.
            expect(back).toBeLessThan(t);
            expect(toWallClock(back, tz)).toEqual(toWallClock(t, tz));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('maps every wall-clock time to an instant showing that time, or a later one in a gap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2060 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Tokyo'),
        (y, mo, d, h, mi, tz) => {
          const w = wall(y, mo, d, h, mi);
          const t = fromWallClock(w, tz);
          const shown = toWallClock(t, tz);
          const diff =
            Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute) -
            Date.UTC(y, mo - 1, d, h, mi);
          expect(diff === 0 || diff === H).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('instants', () => {
  it('parses offsets, Z, zone suffixes and local times', () => {
    expect(parseInstant('2026-01-01T09:00:00Z')).toEqual({ ok: true, value: Date.UTC(2026, 0, 1, 9) });
    expect(parseInstant('2026-01-01T09:00+09:00')).toEqual({ ok: true, value: Date.UTC(2026, 0, 1, 0) });
    expect(parseInstant('2026-01-01T09:00:00.250-0500')).toEqual({
      ok: true,
      value: Date.UTC(2026, 0, 1, 14, 0, 0, 250),
    });
    expect(parseInstant('2026-07-01T09:00:00[Europe/Berlin]')).toEqual({
      ok: true,
      value: Date.UTC(2026, 6, 1, 7),
    });
    expect(parseInstant('2026-07-01T09:00', 'Asia/Tokyo')).toEqual({
      ok: true,
      value: Date.UTC(2026, 6, 1, 0),
    });
    expect(parseInstant('2026-07-01T09:00').ok).toBe(false);
    expect(parseInstant('2026-02-30T09:00Z').ok).toBe(false);
    expect(parseInstant('yesterday').ok).toBe(false);
  });

  it('formats with the zone offset', () => {
    expect(formatInstant(Date.UTC(2026, 6, 1, 7))).toBe('2026-07-01T07:00:00Z');
    expect(formatInstant(Date.UTC(2026, 6, 1, 7), 'Europe/Berlin')).toBe('2026-07-01T09:00:00+02:00');
    expect(formatInstant(Date.UTC(2026, 0, 1, 7, 0, 0, 5), 'America/New_York')).toBe(
      '2026-01-01T02:00:00.005-05:00',
    );
  });
});
