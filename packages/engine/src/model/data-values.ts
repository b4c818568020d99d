/**
 * Checking incoming values against their data item's type, and typing `initialValue`s.
 * The accepted shapes are the ones the expression layer reads (expr/feel-values.ts): null
 * clears any item; a numeric item takes a number or a decimal string (`"1234.50"`); a date
 * takes `YYYY-MM-DD`; a datetime takes ISO 8601 text; a select takes choice ids (a list, or one
 * id); users and organizations take an object (or an id); tables take a list (of rows); files a
 * list or one object.
 */
import type { DataItemType } from '../expr/feel-values.js';
import { parsePlainDate } from '../time/instant.js';

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?$/;

const TYPES: Readonly<Record<string, DataItemType>> = {
  string: 'string',
  text: 'string',
  numeric: 'numeric',
  number: 'numeric',
  decimal: 'numeric',
  date: 'date',
  datetime: 'datetime',
  select: 'select',
  user: 'user',
  organization: 'organization',
  table: 'table',
  file: 'file',
  discussion: 'discussion',
};

/** The value type of a `nagare:dataItem type`, or undefined for a type Nagare does not know. */
export function dataItemType(type: string): DataItemType | undefined {
  return TYPES[type.toLowerCase()];
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `the ${typeof v} ${String(v)}`;
}

/** Why `value` does not fit an item of `type`, or undefined when it does. */
export function valueProblem(type: DataItemType, value: unknown): string | undefined {
  if (value === null) return undefined;
  let ok: boolean;
  switch (type) {
    case 'string':
    case 'discussion':
      ok = typeof value === 'string';
      break;
    case 'numeric':
      ok =
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && (value.trim() === '' || DECIMAL.test(value.trim())));
      break;
    case 'date':
      ok = typeof value === 'string' && parsePlainDate(value.slice(0, 10)).ok && value.length === 10;
      break;
    case 'datetime':
      ok = typeof value === 'string' && DATE_TIME.test(value);
      break;
    case 'select':
      ok = typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
      break;
    case 'user':
    case 'organization':
      ok = typeof value === 'string' || isObject(value);
      break;
    case 'table':
      ok = Array.isArray(value);
      break;
    case 'file':
      ok = Array.isArray(value) || isObject(value);
      break;
  }
  return ok ? undefined : `is ${type}; got ${describe(value)}`;
}

/**
 * The typed value of an `initialValue` attribute: a number for numeric items, a list of choice
 * ids for selects (comma-separated), the text otherwise. `{ error }` when it does not fit the type
 * (or the type takes no initial value: users, organizations, tables, files).
 */
export function typedInitialValue(
  type: DataItemType | undefined,
  text: string,
): { value: unknown } | { error: string } {
  switch (type) {
    case undefined:
    case 'string':
    case 'discussion':
      return { value: text };
    case 'numeric': {
      const t = text.trim();
      return DECIMAL.test(t) ? { value: Number(t) } : { error: `"${text}" is not a number` };
    }
    case 'select':
      return {
        value: text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    case 'date':
    case 'datetime': {
      const problem = valueProblem(type, text.trim());
      return problem ? { error: `"${text}" ${problem.replace(/; got.*/, '')} text` } : { value: text.trim() };
    }
    default:
      return { error: `a ${type} item takes no initial value` };
  }
}
