import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../src/time/instant.js';
import {
  DAYS_OF_WEEK,
  nextScheduleFiring,
  scheduleRound,
  type TimerSchedule,
  validateSchedules,
} from '../../src/time/schedule.js';
import { toWallClock } from '../../src/time/zone.js';

const at = (text: string) => {
  const r = parseInstant(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const next = (s: TimerSchedule[], after: string, tz: string) =>
  formatInstant(nextScheduleFiring(s, at(after), tz).at, tz);

describe('timer-start schedules: validation', () => {
  it('accepts 1–24 well-formed schedules', () => {
    const daily: TimerSchedule = { frequency: 'daily', time: '09:00', count: 1 };
    expect(validateSchedules([daily]).ok).toBe(true);
    expect(validateSchedules(Array.from({ length: 24 }, () => daily)).ok).toBe(true);
  });

  it.each([
    [[], 'at least one'],
    [Array.from({ length: 25 }, () => ({ frequency: 'daily', time: '09:00', count: 1 })), 'at most 24'],
    [[{ frequency: 'daily', time: '24:00', count: 1 }], 'schedule 1: time "24:00"'],
    [[{ frequency: 'daily', time: '9:00', count: 1 }], 'HH:MM'],
    [[{ frequency: 'daily', time: '09:00', count: 0 }], 'count 0'],
    [[{ frequency: 'daily', time: '09:00', count: 101 }], 'count 101'],
    [[{ frequency: 'weekly', time: '09:00', count: 1, dayOfWeek: 'FUNDAY' }], 'dayOfWeek'],
    [[{ frequency: 'monthly', time: '09:00', count: 1, dayOfMonth: 32 }], 'dayOfMonth 32'],
    [
      [{ frequency: 'yearly', time: '09:00', count: 1, month: 2, dayOfMonth: 30 }],
      'day 30 does not exist in month 2',
    ],
    [[{ frequency: 'yearly', time: '09:00', count: 1, month: 13, dayOfMonth: 1 }], 'month 13'],
    [[{ frequency: 'hourly', time: '09:00', count: 1 }], 'unknown frequency'],
  ])('rejects %j', (schedules, message) => {
    const r = validateSchedules(schedules as unknown as TimerSchedule[]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('nextScheduleFiring refuses invalid input', () => {
    expect(() => nextScheduleFiring([], 0, 'UTC')).toThrow(RangeError);
    expect(() =>
      nextScheduleFiring([{ frequency: 'daily', time: '09:00', count: 1 }], 0, 'Nowhere/City'),
    ).toThrow(/unknown time zone/);
  });
});

describe('timer-start schedules: next firing', () => {
  it('daily: today if still ahead, strictly after `after`, else tomorrow', () => {
    const s: TimerSchedule[] = [{ frequency: 'daily', time: '09:00', count: 3 }];
    expect(next(s, '2026-05-01T08:59:00+09:00', 'Asia/Tokyo')).toBe('2026-05-01T09:00:00+09:00');
    expect(next(s, '2026-05-01T09:00:00+09:00', 'Asia/Tokyo')).toBe('2026-05-02T09:00:00+09:00');
    expect(nextScheduleFiring(s, at('2026-05-01T00:00:00Z'), 'Asia/Tokyo').schedules).toEqual([
      { index: 0, count: 3 },
    ]);
  });

  it('daily across DST keeps 09:00 local (Berlin and New York)', () => {
    const s: TimerSchedule[] = [{ frequency: 'daily', time: '09:00', count: 1 }];
    expect(next(s, '2026-03-28T09:00:00+01:00', 'Europe/Berlin')).toBe('2026-03-29T09:00:00+02:00');
    expect(next(s, '2026-10-24T09:00:00+02:00', 'Europe/Berlin')).toBe('2026-10-25T09:00:00+01:00');
    expect(next(s, '2026-03-07T09:00:00-05:00', 'America/New_York')).toBe('2026-03-08T09:00:00-04:00');
    expect(next(s, '2026-10-31T09:00:00-04:00', 'America/New_York')).toBe('2026-11-01T09:00:00-05:00');
  });

  it('a time in the spring gap fires after the gap; in the autumn overlap once, at the first', () => {
    const gap: TimerSchedule[] = [{ frequency: 'daily', time: '02:30', count: 1 }];
    expect(next(gap, '2026-03-28T03:00:00+01:00', 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
    expect(next(gap, '2026-03-29T03:30:00+02:00', 'Europe/Berlin')).toBe('2026-03-30T02:30:00+02:00');
    expect(next(gap, '2026-10-24T03:00:00+02:00', 'Europe/Berlin')).toBe('2026-10-25T02:30:00+02:00');
    // The second 02:30 (CET) is not a new firing.
    expect(next(gap, '2026-10-25T02:30:00+02:00', 'Europe/Berlin')).toBe('2026-10-26T02:30:00+01:00');
    const ny: TimerSchedule[] = [{ frequency: 'daily', time: '01:30', count: 1 }];
    expect(next(ny, '2026-11-01T01:30:00-04:00', 'America/New_York')).toBe('2026-11-02T01:30:00-05:00');
  });

  it('weekly on a day of the week', () => {
    const s: TimerSchedule[] = [{ frequency: 'weekly', dayOfWeek: 'MON', time: '08:15', count: 1 }];
    // 2026-05-01 is a Friday.
    expect(next(s, '2026-05-01T12:00:00Z', 'UTC')).toBe('2026-05-04T08:15:00Z');
    expect(next(s, '2026-05-04T08:15:00Z', 'UTC')).toBe('2026-05-11T08:15:00Z');
    expect(next(s, '2026-05-04T08:14:59Z', 'UTC')).toBe('2026-05-04T08:15:00Z');
  });

  it('monthly on day 31 fires on the last day of shorter months', () => {
    const s: TimerSchedule[] = [{ frequency: 'monthly', dayOfMonth: 31, time: '18:00', count: 1 }];
    expect(next(s, '2026-01-31T18:00:00+09:00', 'Asia/Tokyo')).toBe('2026-02-28T18:00:00+09:00');
    expect(next(s, '2028-01-31T18:00:00+09:00', 'Asia/Tokyo')).toBe('2028-02-29T18:00:00+09:00');
    expect(next(s, '2026-02-28T18:00:00+09:00', 'Asia/Tokyo')).toBe('2026-03-31T18:00:00+09:00');
    expect(next(s, '2026-03-31T18:00:00+09:00', 'Asia/Tokyo')).toBe('2026-04-30T18:00:00+09:00');
  });

  it('monthly on the last day, and on a weekday of the last week', () => {
    const last: TimerSchedule[] = [{ frequency: 'monthly', dayOfMonth: 'last', time: '00:00', count: 1 }];
    expect(next(last, '2026-02-01T00:00:00Z', 'UTC')).toBe('2026-02-28T00:00:00Z');
    const lastFriday: TimerSchedule[] = [
      { frequency: 'monthly', dayOfMonth: 'lastWeek', dayOfWeek: 'FRI', time: '17:00', count: 2 },
    ];
    expect(next(lastFriday, '2026-05-01T00:00:00Z', 'UTC')).toBe('2026-05-29T17:00:00Z');
    expect(next(lastFriday, '2026-05-29T17:00:00Z', 'UTC')).toBe('2026-06-26T17:00:00Z');
    // July 2026 ends on a Friday.
    expect(next(lastFriday, '2026-06-26T17:00:00Z', 'UTC')).toBe('2026-07-31T17:00:00Z');
  });

  it('yearly, with Feb 29 on Feb 28 in common years', () => {
    const s: TimerSchedule[] = [{ frequency: 'yearly', month: 2, dayOfMonth: 29, time: '10:00', count: 1 }];
    expect(next(s, '2026-03-01T00:00:00Z', 'Asia/Tokyo')).toBe('2027-02-28T10:00:00+09:00');
    expect(next(s, '2027-03-01T00:00:00Z', 'Asia/Tokyo')).toBe('2028-02-29T10:00:00+09:00');
    const newYear: TimerSchedule[] = [
      { frequency: 'yearly', month: 1, dayOfMonth: 1, time: '00:00', count: 1 },
    ];
    expect(next(newYear, '2026-12-31T23:59:00+09:00', 'Asia/Tokyo')).toBe('2027-01-01T00:00:00+09:00');
  });

  it('groups schedules that fire at the same instant, with their counts', () => {
    const s: TimerSchedule[] = [
      { frequency: 'daily', time: '09:00', count: 1 },
      { frequency: 'weekly', dayOfWeek: 'MON', time: '09:00', count: 5 },
      { frequency: 'daily', time: '12:00', count: 'operators' },
    ];
    const f = nextScheduleFiring(s, at('2026-05-03T12:00:00Z'), 'UTC');
    expect(formatInstant(f.at)).toBe('2026-05-04T09:00:00Z');
    expect(f.schedules).toEqual([
      { index: 0, count: 1 },
      { index: 1, count: 5 },
    ]);
  });
});

describe('timer-start schedules: one round after downtime', () => {
  const s: TimerSchedule[] = [
    { frequency: 'daily', time: '09:00', count: 1 },
    { frequency: 'weekly', dayOfWeek: 'MON', time: '09:00', count: 5 },
  ];

  it('fires the due round on time and names the next', () => {
    const r = scheduleRound(s, at('2026-05-03T09:00:00Z'), at('2026-05-04T09:00:00Z'), 'UTC');
    expect(r.due?.at).toBe(at('2026-05-04T09:00:00Z'));
    expect(r.due?.schedules.map((x) => x.count)).toEqual([1, 5]);
    expect(r.skipped).toBe(false);
    expect(r.next.at).toBe(at('2026-05-05T09:00:00Z'));
  });

  it('after downtime starts only the latest round and reports the skip', () => {
    const r = scheduleRound(s, at('2026-05-01T09:00:00Z'), at('2026-05-06T10:00:00Z'), 'UTC');
    expect(r.due?.at).toBe(at('2026-05-06T09:00:00Z'));
    expect(r.due?.schedules).toEqual([{ index: 0, count: 1 }]);
    expect(r.skipped).toBe(true);
    expect(r.next.at).toBe(at('2026-05-07T09:00:00Z'));
  });

  it('starts nothing when nothing is due (early wake-up, or never fired)', () => {
    expect(scheduleRound(s, at('2026-05-04T09:00:00Z'), at('2026-05-04T12:00:00Z'), 'UTC').due).toBeNull();
    expect(scheduleRound(s, null, at('2026-05-04T12:00:00Z'), 'UTC').due).toBeNull();
  });
});

describe('timer-start schedules: properties', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'];
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const day = fc.constantFrom(...DAYS_OF_WEEK);
  const schedule: fc.Arbitrary<TimerSchedule> = fc.oneof(
    fc.record({ frequency: fc.constant('daily' as const), time, count: fc.integer({ min: 1, max: 100 }) }),
    fc.record({ frequency: fc.constant('weekly' as const), dayOfWeek: day, time, count: fc.constant(1) }),
    fc.record({
      frequency: fc.constant('monthly' as const),
      dayOfMonth: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant('last' as const)),
      time,
      count: fc.constant(1),
    }),
    fc.record({
      frequency: fc.constant('monthly' as const),
      dayOfMonth: fc.constant('lastWeek' as const),
      dayOfWeek: day,
      time,
      count: fc.constant(1),
    }),
    fc.record({
      frequency: fc.constant('yearly' as const),
      month: fc.integer({ min: 1, max: 12 }),
      dayOfMonth: fc.integer({ min: 1, max: 28 }),
      time,
      count: fc.constant(1),
    }),
  );
  const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) });

  it('a firing is strictly after `after`, at its wall-clock time (unless in a DST gap), and none is skipped', () => {
    fc.assert(
      fc.property(
        fc.array(schedule, { minLength: 1, maxLength: 4 }),
        instant,
        fc.constantFrom(...zones),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (schedules, after, tz, fraction) => {
          const f = nextScheduleFiring(schedules, after, tz);
          expect(f.at).toBeGreaterThan(after);
          expect(f.schedules.length).toBeGreaterThan(0);
          const wall = toWallClock(f.at, tz);
          for (const { index } of f.schedules) {
            const s = schedules[index] as TimerSchedule;
            const [h, m] = s.time.split(':').map(Number);
            const minutes = wall.hour * 60 + wall.minute - ((h ?? 0) * 60 + (m ?? 0));
            // On time, or shifted forward by a DST gap (one hour in these zones).
            expect(minutes === 0 || minutes === 60).toBe(true);
            expect(wall.second).toBe(0);
          }
          const mid = after + Math.floor((f.at - after) * fraction);
          expect(nextScheduleFiring(schedules, mid, tz).at).toBe(f.at);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('consecutive calls walk every firing of a daily schedule once per day', () => {
    fc.assert(
      fc.property(time, instant, fc.constantFrom(...zones), (t, start, tz) => {
        const s: TimerSchedule[] = [{ frequency: 'daily', time: t, count: 1 }];
        let after = start;
        let previousDay: string | null = null;
        for (let i = 0; i < 40; i++) {
          const at = nextScheduleFiring(s, after, tz).at;
          const w = toWallClock(at, tz);
          const dayKey = `${w.year}-${w.month}-${w.day}`;
          expect(dayKey).not.toBe(previousDay);
          previousDay = dayKey;
          after = at;
        }
      }),
      { numRuns: 100 },
    );
  });
});
