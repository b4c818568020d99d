/**
 * FEEL comparisons as feelin evaluates them. `=` / `!=` replicate feelin's `equals` for the
 * kinds Nagare data has (null, booleans, numbers, strings, lists, contexts, dates, date-times)
 * and hand anything else to feelin. `<` `<=` `>` `>=` answer numbers and strings directly and
 * otherwise build the same range feelin builds and ask it (range.ts).
 */
import { FeelDate, FeelDateTime, type FeelRange } from 'feelin';
import { fallback } from './fallback.js';
import { isContext, kindOf } from './kinds.js';
import { makeRange } from './range.js';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** feelin's `equals(a, b)`: true, false, or null when the kinds cannot be compared. */
export function feelEquals(a0: unknown, b0: unknown): boolean | null {
  if (
    typeof a0 === typeof b0 &&
    (typeof a0 === 'number' || typeof a0 === 'string' || typeof a0 === 'boolean')
  )
    return a0 === b0;
  if ((a0 === null) !== (b0 === null)) return false;
  // feelin compares a list of fewer than two elements as its only element.
  const a = Array.isArray(a0) && a0.length < 2 ? a0[0] : a0;
  const b = Array.isArray(b0) && b0.length < 2 ? b0[0] : b0;
  const aKind = kindOf(a);
  const bKind = kindOf(b);
  if (aKind === 'date' || aKind === 'date time' || aKind === 'time') {
    if (bKind !== 'date' && bKind !== 'date time' && bKind !== 'time') return null;
    if (aKind !== bKind) return null;
    return sameInstant(a, b);
  }
  if (aKind !== bKind) return null;
  switch (aKind) {
    case 'nil':
      return true;
    case 'boolean':
    case 'number':
    case 'string':
      return a === b;
    case 'list': {
      const al = a as unknown[];
      const bl = b as unknown[];
      if (al.length !== bl.length) return false;
      // feelin's `every`: a null element comparison counts as not equal.
      return al.every((el, i) => feelEquals(el, bl[i]) === true);
    }
    case 'context': {
      if (!isContext(a) || !isContext(b)) return fallback();
      const aKeys = Object.keys(a);
      if (aKeys.length !== Object.keys(b).length) return false;
      return aKeys.every((k) => Object.hasOwn(b, k) && feelEquals(a[k], b[k]) === true);
    }
    default:
      return fallback();
  }
}

/** Same date, or same date-time instant (zoned and wall-clock values never equal), as feelin. */
function sameInstant(a: unknown, b: unknown): boolean {
  if (a instanceof FeelDate && b instanceof FeelDate) return a.iso === b.iso;
  if (a instanceof FeelDateTime && b instanceof FeelDateTime) {
    if ((a.zone === null) !== (b.zone === null)) return false;
    // A closed one-point range holds exactly the values feelin's toComparable equates.
    return makeRange(b, b).includes(a) === true;
  }
  return fallback();
}

/** feelin's ordering of two same-kind values: -1, 0 or 1 (NaN compares as 0, as in feelin). */
function cmp(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `left op right` as feelin's Comparison node computes it. */
export function compare(op: CompareOp, left: unknown, right: unknown): boolean | null {
  if (op === '=') return feelEquals(left, right);
  if (op === '!=') {
    const r = feelEquals(left, right);
    return r === null ? null : !r;
  }
  const lt = typeof left;
  if ((lt === 'number' || lt === 'string') && typeof right === lt) {
    const c = cmp(left as number | string, right as number | string);
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  }
  return orderTest(op, right).includes(left as FeelRange['start']);
}

/** The range feelin's `< x` (and friends) stands for; its `includes` is the comparison. */
export function orderTest(op: '<' | '<=' | '>' | '>=', bound: unknown): FeelRange {
  switch (op) {
    case '>':
      return makeRange(bound, null, false, false);
    case '>=':
      return makeRange(bound, null, true, false);
    case '<':
      return makeRange(null, bound, false, false);
    case '<=':
      return makeRange(null, bound, false, true);
  }
}
