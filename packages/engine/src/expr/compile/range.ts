/**
 * Ranges as feelin builds them (`createRange`): the bounds' shared type, or an error for
 * bounds that cannot form a range. Membership is feelin's own `FeelRange.includes`, so `<`,
 * `between`, intervals and unary tests order values exactly as feelin does.
 */
import { FeelRange } from 'feelin';
import { fallback } from './fallback.js';
import { kindOf } from './kinds.js';

const RANGE_TYPES = new Set(['string', 'number', 'duration', 'time', 'date time', 'date']);

/** feelin's createRange; where feelin would throw, the whole expression goes to feelin. */
export function makeRange(start: unknown, end: unknown, startIncluded = true, endIncluded = true): FeelRange {
  const startType = start === null ? null : kindOf(start);
  const endType = end === null ? null : kindOf(end);
  const type = startType ?? endType;
  const valueType =
    type !== null &&
    RANGE_TYPES.has(type) &&
    (startType === null || startType === type) &&
    (endType === null || endType === type)
      ? type
      : null;
  if (valueType === null && !(start === null && end === null)) return fallback();
  return new FeelRange({
    start: start as FeelRange['start'],
    end: end as FeelRange['end'],
    'start included': startIncluded,
    'end included': endIncluded,
    valueType,
  });
}
