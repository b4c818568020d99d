/**
 * Condition rows evaluated directly in TypeScript, with the same semantics as the FEEL that
 * condition-rows.ts generates (test/expr/condition-rows.test.ts checks both agree with
 * fast-check). Gateways evaluate rows on every issue; this costs well under a microsecond,
 * where a FEEL evaluation in feelin costs hundreds (it parses every time).
 *
 * Data is assumed to match the item types (the runtime validates values on write); a value of
 * the wrong shape counts as not entered.
 */
import { epochDay } from '../time/calendar.js';
import { parseInstant, parsePlainDate } from '../time/instant.js';
import { err, ok, type Result } from '../time/result.js';
import {
  type ConditionOp,
  type ConditionRow,
  type ConditionRowsOptions,
  compileConditionRows,
} from './condition-rows.js';
import type { DataItemType, DataItemTypes } from './feel-values.js';

type Data = Readonly<Record<string, unknown>>;
/** A value normalised for comparison; null = not entered. */
type Norm = string | number | readonly string[] | { readonly id: unknown; readonly email: unknown } | null;

const DECIMAL = /^\s*-?\d+(?:\.\d+)?\s*$/;

function normalise(value: unknown, type: DataItemType, timeZone: string | undefined): Norm {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
    case 'discussion':
      return typeof value === 'string' && value !== '' ? value : null;
    case 'numeric':
      if (typeof value === 'number') return Number.isFinite(value) ? value : null;
      return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const d = parsePlainDate(value.length > 10 && value[10] === 'T' ? value.slice(0, 10) : value);
      return d.ok ? epochDay(d.value) : null;
    }
    case 'datetime': {
      if (typeof value !== 'string') return null;
      const t = parseInstant(value, timeZone);
      return t.ok ? t.value : null;
    }
    case 'select': {
      const list = typeof value === 'string' ? [value] : value;
      return Array.isArray(list) && list.length > 0 ? (list as string[]) : null;
    }
    case 'table':
    case 'file':
      return Array.isArray(value) && value.length > 0 ? (value as string[]) : null;
    case 'user':
    case 'organization':
      return typeof value === 'object' ? (value as { id: unknown; email: unknown }) : null;
  }
}

function fixedNorm(type: DataItemType, raw: string, timeZone: string | undefined): Norm {
  switch (type) {
    case 'date':
      return normalise(raw.trim(), type, timeZone);
    case 'datetime': {
      const text = raw.trim();
      return normalise(parsePlainDate(text).ok ? `${text}T00:00` : text, type, timeZone);
    }
    case 'numeric':
      return Number(raw.trim());
    default:
      return raw;
  }
}

type Test = (data: Data, timeZone: string | undefined) => boolean;

function compare(op: ConditionOp, a: number, b: number): boolean {
  switch (op) {
    case 'greaterThan':
      return a > b;
    case 'greaterOrEqual':
      return a >= b;
    case 'lessThan':
      return a < b;
    case 'lessOrEqual':
      return a <= b;
    default:
      return a === b;
  }
}

function positiveTest(
  op: ConditionOp,
  type: DataItemType,
  get: (d: Data, tz: string | undefined) => Norm,
  other: (d: Data, tz: string | undefined) => Norm,
  otherType: DataItemType,
  fixedRaw: string | null,
): Test {
  return (d, tz) => {
    const a = get(d, tz);
    const b = other(d, tz);
    if (a === null || b === null) return false;
    if (type === 'select') {
      const list = a as readonly string[];
      const wanted = otherType === 'select' ? (b as readonly string[]) : [b as string];
      const includesAll = wanted.every((x) => list.includes(x));
      if (op === 'contains') return includesAll;
      return otherType === 'select'
        ? includesAll && list.every((x) => wanted.includes(x))
        : list.length === 1 && includesAll;
    }
    if (type === 'user' || type === 'organization') {
      const u = a as { id: unknown; email: unknown };
      if (fixedRaw !== null) return (fixedRaw.includes('@') ? u.email : u.id) === fixedRaw;
      return u.id === (b as { id: unknown }).id;
    }
    if (op === 'contains') return (a as string).includes(b as string);
    if (typeof a === 'number' && typeof b === 'number') return compare(op, a, b);
    return a === b;
  };
}

/**
 * Compiles rows to a TypeScript predicate over Nagare data. Errors are the same as
 * compileConditionRows's (it validates first).
 */
export function compileConditionRowsEvaluator(
  rows: readonly ConditionRow[],
  items: DataItemTypes,
  options?: ConditionRowsOptions,
): Result<(data: Data, timeZone?: string) => boolean> {
  const checked = compileConditionRows(rows, items, options);
  if (!checked.ok) return err(checked.error);
  // Fixed values were read in the compile-time zone; data is read in the evaluation's zone.
  const tz = options?.timeZone;
  const rowTests = rows.map((row) =>
    row.terms.map((term): Test => {
      const type = items[term.item] as DataItemType;
      const get = (d: Data, zone: string | undefined) => normalise(d[term.item], type, zone);
      const op = term.op as ConditionOp;
      if (op === 'entered') return (d, zone) => get(d, zone) !== null;
      if (op === 'notEntered') return (d, zone) => get(d, zone) === null;
      const negate = op === 'notEquals' || op === 'notContains';
      const positive: ConditionOp = op === 'notEquals' ? 'equals' : op === 'notContains' ? 'contains' : op;
      let test: Test;
      if (term.otherItem !== undefined && term.otherItem !== '') {
        const otherName = term.otherItem;
        const otherType = items[otherName] as DataItemType;
        test = positiveTest(
          positive,
          type,
          get,
          (d) => normalise(d[otherName], otherType, tz),
          otherType,
          null,
        );
      } else {
        const raw = term.value as string;
        const fixed = fixedNorm(type, raw, tz);
        // A fixed select value is one choice id.
        test = positiveTest(positive, type, get, () => fixed, type === 'select' ? 'string' : type, raw);
      }
      return negate ? (d, zone) => !test(d, zone) : test;
    }),
  );
  return ok((data, timeZone = tz) => rowTests.some((terms) => terms.every((t) => t(data, timeZone))));
}
