/**
 * Questetra-style condition rows (the gateway's "rows") compiled to FEEL.
 *
 * A row is a list of terms that must all hold; the condition holds when any row does
 * (no rows: false; a row without terms: true). Each term tests one data item, against a fixed
 * value or another item. Semantics, the same for every type:
 * - `entered`: a value is present: not null, and for strings not "", for selects not [].
 * - `equals`, `contains`, `greaterThan`, …: false unless both sides are entered.
 * - `notEquals`, `notContains`: the negation of `equals` / `contains` (so true when empty).
 * Per type:
 * - string: equals, contains (substring); fixed values are taken verbatim.
 * - numeric, date, datetime: equals and the four orderings; fixed values `12.5`, `2026-12-01`,
 *   `2026-12-01T09:00:00+09:00` (without offset: read in `timeZone`, else an error).
 * - select: contains = the selection includes the choice id; equals = the selection is
 *   exactly that one choice. Against another select item: contains = includes all of its
 *   choices, equals = the same set; against a string item: its text is the choice id.
 * - user, organization: equals by id, or by email when the fixed value contains "@".
 * - table, file: entered / notEntered only.
 * The generated FEEL is null-safe: every term yields true or false for data of the declared
 * types, so a row condition never fails for missing values.
 */

import { formatInstant, parseInstant, parsePlainDate } from '../time/instant.js';
import { err, ok, type Result } from '../time/result.js';
import { feelString, isPlainFeelName } from './feel-literal.js';
import type { DataItemType, DataItemTypes } from './feel-values.js';
import { rememberRows } from './row-registry.js';

export type ConditionOp =
  | 'entered'
  | 'notEntered'
  | 'equals'
  | 'notEquals'
  | 'contains'
  | 'notContains'
  | 'greaterThan'
  | 'greaterOrEqual'
  | 'lessThan'
  | 'lessOrEqual';

export interface ConditionTerm {
  /** Field name of the tested item (`q_amount`). */
  readonly item: string;
  /** A ConditionOp; typed as string because it comes from XML and is checked here. */
  readonly op: string;
  /** Fixed value to compare with (text as written in the XML attribute). */
  readonly value?: string;
  /** Field name of the item to compare with, instead of `value`. */
  readonly otherItem?: string;
}

export interface ConditionRow {
  readonly terms: readonly ConditionTerm[];
}

export interface ConditionRowsOptions {
  /** Zone for fixed datetime values written without an offset. */
  readonly timeZone?: string;
}

const ORDER_OPS = { greaterThan: '>', greaterOrEqual: '>=', lessThan: '<', lessOrEqual: '<=' } as const;
const ORDERED: ReadonlySet<DataItemType> = new Set(['numeric', 'date', 'datetime']);

const PRESENCE_OPS = ['entered', 'notEntered'] as const;
const EQUALITY_OPS = [...PRESENCE_OPS, 'equals', 'notEquals'] as const;
const TEXT_OPS = [...EQUALITY_OPS, 'contains', 'notContains'] as const;
const ORDER_COMPARE_OPS = [
  ...EQUALITY_OPS,
  'greaterThan',
  'greaterOrEqual',
  'lessThan',
  'lessOrEqual',
] as const;

/** Which ops each type supports. */
export const CONDITION_OPS: Readonly<Record<DataItemType, readonly ConditionOp[]>> = {
  string: TEXT_OPS,
  discussion: TEXT_OPS,
  numeric: ORDER_COMPARE_OPS,
  date: ORDER_COMPARE_OPS,
  datetime: ORDER_COMPARE_OPS,
  select: TEXT_OPS,
  user: EQUALITY_OPS,
  organization: EQUALITY_OPS,
  table: PRESENCE_OPS,
  file: PRESENCE_OPS,
};

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** Thrown by conditionRowsToFeel; the message names the row and term. */
export class ConditionRowsError extends Error {
  override readonly name = 'ConditionRowsError';
}

function enteredFeel(name: string, type: DataItemType): string {
  switch (type) {
    case 'string':
    case 'discussion':
      return `(${name} != null and ${name} != "")`;
    case 'select':
    case 'table':
    case 'file':
      return `(${name} != null and count(${name}) > 0)`;
    default:
      return `${name} != null`;
  }
}

function fixedLiteral(
  type: DataItemType,
  value: string,
  options: ConditionRowsOptions | undefined,
): Result<string> {
  switch (type) {
    case 'string':
    case 'discussion':
    case 'select':
    case 'user':
    case 'organization':
      return ok(feelString(value));
    case 'numeric': {
      const text = value.trim();
      return DECIMAL.test(text) ? ok(text) : err(`"${value}" is not a number`);
    }
    case 'date': {
      const d = parsePlainDate(value);
      return d.ok ? ok(`date(${feelString(value.trim())})`) : err(d.error);
    }
    case 'datetime': {
      const text = value.trim();
      const asDate = parsePlainDate(text);
      const instant = asDate.ok
        ? parseInstant(`${text}T00:00`, options?.timeZone)
        : parseInstant(text, options?.timeZone);
      if (!instant.ok) return err(instant.error);
      return ok(`date and time(${feelString(formatInstant(instant.value, 'UTC'))})`);
    }
    default:
      return err(`a ${type} item cannot be compared with a fixed value`);
  }
}

function termFeel(
  term: ConditionTerm,
  items: DataItemTypes,
  options: ConditionRowsOptions | undefined,
): Result<string> {
  const type = items[term.item];
  if (type === undefined) return err(`unknown data item "${term.item}"`);
  if (!isPlainFeelName(term.item)) return err(`data item "${term.item}" has a name FEEL cannot use`);
  const allowed = CONDITION_OPS[type];
  if (!allowed) return err(`data item "${term.item}" has unknown type "${type}"`);
  if (!(allowed as readonly string[]).includes(term.op)) {
    return err(`op "${term.op}" is not one of ${allowed.join(', ')} for the ${type} item "${term.item}"`);
  }
  const op = term.op as ConditionOp;
  const n = term.item;
  if (op === 'entered') return ok(enteredFeel(n, type));
  if (op === 'notEntered') return ok(`not(${enteredFeel(n, type)})`);

  const hasValue = term.value !== undefined;
  const hasOther = term.otherItem !== undefined && term.otherItem !== '';
  if (hasValue && hasOther) return err(`give either value or otherItem, not both`);
  if (!hasValue && !hasOther) return err(`op "${op}" needs a value or an otherItem`);

  const negate = op === 'notEquals' || op === 'notContains';
  const positive: ConditionOp = op === 'notEquals' ? 'equals' : op === 'notContains' ? 'contains' : op;
  let body: Result<string>;
  if (hasOther) {
    const m = term.otherItem as string;
    const otherType = items[m];
    if (otherType === undefined) return err(`unknown data item "${m}" (otherItem)`);
    if (!isPlainFeelName(m)) return err(`data item "${m}" has a name FEEL cannot use`);
    body = otherItemFeel(positive, n, type, m, otherType);
  } else {
    const lit = fixedLiteral(type, term.value as string, options);
    if (!lit.ok) return err(`value ${lit.error}`);
    body = fixedFeel(positive, n, type, lit.value, term.value as string);
  }
  if (!body.ok) return body;
  return ok(negate ? `not(${body.value})` : body.value);
}

function fixedFeel(op: ConditionOp, n: string, type: DataItemType, lit: string, raw: string): Result<string> {
  const entered = enteredFeel(n, type);
  if (op in ORDER_OPS) return ok(`(${entered} and ${n} ${ORDER_OPS[op as keyof typeof ORDER_OPS]} ${lit})`);
  switch (type) {
    case 'select':
      return ok(
        op === 'contains'
          ? `(${entered} and list contains(${n}, ${lit}))`
          : `(${entered} and count(${n}) = 1 and list contains(${n}, ${lit}))`,
      );
    case 'user':
    case 'organization':
      return ok(`(${entered} and ${n}.${raw.includes('@') ? 'email' : 'id'} = ${lit})`);
    default:
      return ok(
        op === 'contains' ? `(${entered} and contains(${n}, ${lit}))` : `(${entered} and ${n} = ${lit})`,
      );
  }
}

function otherItemFeel(
  op: ConditionOp,
  n: string,
  type: DataItemType,
  m: string,
  otherType: DataItemType,
): Result<string> {
  const both = `${enteredFeel(n, type)} and ${enteredFeel(m, otherType)}`;
  if (type === 'select') {
    if (otherType === 'string') {
      return ok(
        op === 'contains'
          ? `(${both} and list contains(${n}, ${m}))`
          : `(${both} and count(${n}) = 1 and list contains(${n}, ${m}))`,
      );
    }
    if (otherType === 'select') {
      const includesAll = `(every x in ${m} satisfies list contains(${n}, x))`;
      const includedIn = `(every x in ${n} satisfies list contains(${m}, x))`;
      return ok(
        op === 'contains' ? `(${both} and ${includesAll})` : `(${both} and ${includesAll} and ${includedIn})`,
      );
    }
    return err(
      `a select item can be compared with a select or string item, not the ${otherType} item "${m}"`,
    );
  }
  const sameFamily = otherType === type || (isText(type) && isText(otherType));
  if (!sameFamily) return err(`the ${type} item "${n}" cannot be compared with the ${otherType} item "${m}"`);
  if (op in ORDER_OPS && ORDERED.has(type)) {
    return ok(`(${both} and ${n} ${ORDER_OPS[op as keyof typeof ORDER_OPS]} ${m})`);
  }
  if (type === 'user' || type === 'organization') return ok(`(${both} and ${n}.id = ${m}.id)`);
  return ok(op === 'contains' ? `(${both} and contains(${n}, ${m}))` : `(${both} and ${n} = ${m})`);
}

function isText(type: DataItemType): boolean {
  return type === 'string' || type === 'discussion';
}

/** Compiles rows to one FEEL condition, or an error naming the row and term (1-based). */
export function compileConditionRows(
  rows: readonly ConditionRow[],
  items: DataItemTypes,
  options?: ConditionRowsOptions,
): Result<string> {
  if (rows.length === 0) return ok('false');
  const parts: string[] = [];
  for (const [r, row] of rows.entries()) {
    if (row.terms.length === 0) {
      parts.push('true');
      continue;
    }
    const terms: string[] = [];
    for (const [t, term] of row.terms.entries()) {
      const feel = termFeel(term, items, options);
      if (!feel.ok)
        return err(`condition row ${r + 1}, term ${t + 1} (${term.item} ${term.op}): ${feel.error}`);
      terms.push(feel.value);
    }
    parts.push(terms.length === 1 ? (terms[0] as string) : `(${terms.join(' and ')})`);
  }
  const feel = parts.join(' or ');
  rememberRows(feel, rows, items, options);
  return ok(feel);
}

/** Like compileConditionRows, but throws a ConditionRowsError naming the row and term. */
export function conditionRowsToFeel(
  rows: readonly ConditionRow[],
  items: DataItemTypes,
  options?: ConditionRowsOptions,
): string {
  const r = compileConditionRows(rows, items, options);
  if (!r.ok) throw new ConditionRowsError(r.error);
  return r.value;
}
