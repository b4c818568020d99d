import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/time/instant.js';
import {
  formatTimerDefinition,
  nextTimerDue,
  parseTimerDefinition,
  type TimerDefinition,
  type TimerKind,
} from '../../src/time/timer-definition.js';

const at = (text: string) => {
  const r = parseInstant(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const def = (kind: TimerKind, text: string, tz = 'UTC'): TimerDefinition => {
  const r = parseTimerDefinition(kind, text, tz);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const MIN = 60_000;

describe('BPMN timer definitions', () => {
  it('timeDuration is due that long after arming, once', () => {
    const d = def('timeDuration', 'PT15M');
    const armedAt = at('2026-05-01T10:00:00Z');
    expect(nextTimerDue(d, { armedAt }, 'UTC')).toBe(armedAt + 15 * MIN);
    expect(nextTimerDue(d, { armedAt, fired: 1 }, 'UTC')).toBeNull();
  });

  it('timeDuration in days keeps the wall-clock time across DST', () => {
    const d = def('timeDuration', 'P1D');
    expect(nextTimerDue(d, { armedAt: at('2026-03-28T09:00:00+01:00') }, 'Europe/Berlin')).toBe(
      at('2026-03-29T09:00:00+02:00'),
    );
  });

  it('timeDate is due at its instant; without an offset in the workspace zone', () => {
    expect(nextTimerDue(def('timeDate', '2026-12-24T18:00:00Z'), { armedAt: 0 }, 'UTC')).toBe(
      at('2026-12-24T18:00:00Z'),
    );
    expect(
      nextTimerDue(def('timeDate', '2026-12-24T18:00', 'Asia/Tokyo'), { armedAt: 0 }, 'Asia/Tokyo'),
    ).toBe(at('2026-12-24T09:00:00Z'));
  });

  it('R3/PT10M fires three times, ten minutes apart', () => {
    const d = def('timeCycle', 'R3/PT10M');
    const armedAt = at('2026-05-01T10:00:00Z');
    const first = nextTimerDue(d, { armedAt }, 'UTC');
    expect(first).toBe(armedAt + 10 * MIN);
    const second = nextTimerDue(d, { armedAt, fired: 1, after: first ?? 0 }, 'UTC');
    expect(second).toBe(armedAt + 20 * MIN);
    expect(nextTimerDue(d, { armedAt, fired: 2, after: second ?? 0 }, 'UTC')).toBe(armedAt + 30 * MIN);
    expect(nextTimerDue(d, { armedAt, fired: 3, after: armedAt + 30 * MIN }, 'UTC')).toBeNull();
  });

  it('R/start/P1D fires daily at the start time, keeping wall-clock time across DST', () => {
    const d = def('timeCycle', 'R/2026-03-27T09:00:00/P1D', 'Europe/Berlin');
    const armedAt = at('2026-03-01T00:00:00Z');
    expect(nextTimerDue(d, { armedAt }, 'Europe/Berlin')).toBe(at('2026-03-27T09:00:00+01:00'));
    expect(nextTimerDue(d, { armedAt, after: at('2026-03-28T09:00:00+01:00') }, 'Europe/Berlin')).toBe(
      at('2026-03-29T09:00:00+02:00'),
    );
  });

  it('skips firings before arming and during downtime: one round, then the next after now', () => {
    const d = def('timeCycle', 'R/2026-01-01T09:00:00Z/P1D');
    const armedAt = at('2026-06-15T12:00:00Z');
    expect(nextTimerDue(d, { armedAt }, 'UTC')).toBe(at('2026-06-16T09:00:00Z'));
    expect(nextTimerDue(d, { armedAt, after: at('2026-07-20T09:00:00Z') }, 'UTC')).toBe(
      at('2026-07-21T09:00:00Z'),
    );
  });

  it('a start at the arming instant fires then', () => {
    const d = def('timeCycle', 'R2/2026-01-01T09:00:00Z/PT1H');
    expect(nextTimerDue(d, { armedAt: at('2026-01-01T09:00:00Z') }, 'UTC')).toBe(at('2026-01-01T09:00:00Z'));
  });

  it('monthly cycles count months from the start (Jan 31 → Feb 28 → Mar 31)', () => {
    const d = def('timeCycle', 'R/2026-01-31T00:00:00Z/P1M');
    const armedAt = at('2026-01-01T00:00:00Z');
    expect(nextTimerDue(d, { armedAt, after: at('2026-01-31T00:00:00Z') }, 'UTC')).toBe(
      at('2026-02-28T00:00:00Z'),
    );
    expect(nextTimerDue(d, { armedAt, after: at('2026-02-28T00:00:00Z') }, 'UTC')).toBe(
      at('2026-03-31T00:00:00Z'),
    );
  });

  it('stops at the end of a duration/end cycle', () => {
    const d = def('timeCycle', 'R/PT1H/2026-01-01T12:00:00Z');
    const armedAt = at('2026-01-01T10:00:00Z');
    expect(nextTimerDue(d, { armedAt, after: at('2026-01-01T11:00:00Z') }, 'UTC')).toBe(
      at('2026-01-01T12:00:00Z'),
    );
    expect(nextTimerDue(d, { armedAt, after: at('2026-01-01T12:00:00Z') }, 'UTC')).toBeNull();
  });

  it('formats back', () => {
    expect(formatTimerDefinition(def('timeCycle', 'R3/PT10M'))).toBe('R3/PT10M');
    expect(formatTimerDefinition(def('timeCycle', 'R/2026-01-01T09:00:00+09:00/P1D'))).toBe(
      'R/2026-01-01T00:00:00Z/P1D',
    );
  });

  it.each([
    ['timeDuration', '15 minutes'],
    ['timeDate', 'tomorrow'],
    ['timeCycle', '0 0 9 * * ?'],
    ['timeCycle', 'R0/PT1M'],
    ['timeCycle', 'R/PT0S'],
    ['timeCycle', 'R/2026-01-02T00:00:00Z/2026-01-01T00:00:00Z'],
    ['timeCycle', 'R/a/b/c'],
    ['timeCycle', ''],
  ] as const)('rejects %s "%s" with a message', (kind, text) => {
    const r = parseTimerDefinition(kind, text, 'UTC');
    expect(r.ok).toBe(false);
  });

  it('property: a cycle firing is strictly after `after`, and none is skipped between calls', () => {
    const intervals = ['PT7M', 'PT1H', 'P1D', 'P1W', 'P1M', 'P1DT1H'];
    fc.assert(
      fc.property(
        fc.constantFrom(...intervals),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (interval, start, delta, tz, fraction) => {
          const d = def('timeCycle', `R/${new Date(start).toISOString()}/${interval}`, tz);
          const armedAt = start - 1;
          const after = start + delta;
          const next = nextTimerDue(d, { armedAt, after }, tz) ?? Number.NaN;
          expect(next).toBeGreaterThan(after);
          // Any point between `after` and `next` sees the same next firing: none lies between.
          const mid = after + Math.floor((next - after) * fraction);
          expect(nextTimerDue(d, { armedAt, after: mid }, tz)).toBe(next);
          // And `next` itself is a firing: asking just before it returns it.
          expect(nextTimerDue(d, { armedAt, after: next - 1 }, tz)).toBe(next);
        },
      ),
      { numRuns: 500 },
    );
  });
});
