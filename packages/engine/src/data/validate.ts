/**
 * Server-side validation of data item values with the product's settings. The basic shape
 * check is the engine's own (`valueProblem`, the `BAD_DATA_VALUE` rule of `decide`), so what
 * passes here also passes `decide`; the settings (lengths, patterns, decimal places, ranges,
 * date sub types, choices, rows and columns) come on top. Never throws: every problem is a
 * `DataError` with a stable code and a message naming the item (and row and column).
 */
import { dataItemType, valueProblem } from '../model/data-values.js';
import { parseInstant, parsePlainDate } from '../time/instant.js';
import { decimalPlacesOf, numericValue } from './decimal.js';
import {
  type DataError,
  type DataErrorCode,
  type DataItemDef,
  type DataValues,
  type DateSubtype,
  DataErrorCodes as E,
  type SelectItem,
  type TableColumn,
  type TableItem,
} from './types.js';

/** Tells whether a choice id exists (a `Set`, an options-master index...). */
export interface ChoiceLookup {
  has(id: string): boolean;
}

export interface ValidateOptions {
  /** Check `required` (default: the item's own `required`). */
  readonly required?: boolean;
  /** Zone for datetimes without an offset (min/max comparisons). Default UTC. */
  readonly timeZone?: string;
  /**
   * Choices of select items whose choices are not fixed (options masters, HTTP sources): the
   * lookup to check chosen ids against, or undefined to skip that check.
   */
  readonly choicesOf?: (item: SelectItem) => ChoiceLookup | undefined;
}

/** Where an error is: the item, and for tables the row (1-based) and column. */
interface At {
  readonly item: { readonly fieldName: string; readonly label?: string };
  readonly row?: number;
  readonly column?: TableColumn;
}

/** `q_amount (Amount)`, `q_lines (Lines), row 2, column cost (Cost)`. */
export function describeItem(item: { fieldName: string; label?: string }): string {
  return item.label && item.label !== item.fieldName ? `${item.fieldName} (${item.label})` : item.fieldName;
}

export function dataError(at: At, code: DataErrorCode, text: string): DataError {
  let where = describeItem(at.item);
  if (at.row !== undefined) where += `, row ${at.row}`;
  if (at.column) where += `, column ${describeItem(at.column)}`;
  const error: { -readonly [K in keyof DataError]: DataError[K] } = {
    code,
    fieldName: at.item.fieldName,
    message: `${where}: ${text}`,
  };
  if (at.item.label !== undefined) error.label = at.item.label;
  if (at.row !== undefined) error.row = at.row;
  if (at.column) error.column = at.column.fieldName;
  return error;
}

/** True for "no value": null, undefined, `''`, `[]`. */
export function isEmptyValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

const regexCache = new Map<string, RegExp | null>();
/** The whole-value regular expression of a `pattern` setting, or null when it does not compile. */
export function patternRegex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

function checkText(
  at: At,
  text: string,
  s: { minLength?: number; maxLength?: number; pattern?: string; singleLine?: boolean },
  out: DataError[],
): void {
  if (s.singleLine && /[\r\n]/.test(text)) {
    out.push(dataError(at, E.NewlineNotAllowed, 'is a single line; line breaks are not allowed'));
  }
  const n = codePoints(text);
  if (s.minLength !== undefined && n < s.minLength) {
    out.push(dataError(at, E.TooShort, `needs at least ${s.minLength} characters; got ${n}`));
  }
  if (s.maxLength !== undefined && n > s.maxLength) {
    out.push(dataError(at, E.TooLong, `takes at most ${s.maxLength} characters; got ${n}`));
  }
  if (s.pattern !== undefined) {
    const re = patternRegex(s.pattern);
    if (re && !re.test(text)) out.push(dataError(at, E.PatternMismatch, `does not match /${s.pattern}/`));
  }
}

function checkNumber(
  at: At,
  value: unknown,
  s: { decimalPlaces?: number; min?: number | string; max?: number | string },
  out: DataError[],
): void {
  const n = numericValue(value);
  if (n === null) return;
  if (n === undefined) {
    out.push(dataError(at, E.WrongType, `is numeric; got ${shown(value)}`));
    return;
  }
  if (s.decimalPlaces !== undefined && decimalPlacesOf(value as number | string) > s.decimalPlaces) {
    const places = s.decimalPlaces;
    out.push(
      dataError(
        at,
        E.TooManyDecimals,
        places === 0
          ? `takes whole numbers; got ${shown(value)}`
          : `takes at most ${places} decimal places; got ${shown(value)}`,
      ),
    );
  }
  const min = typeof s.min === 'number' ? s.min : undefined;
  const max = typeof s.max === 'number' ? s.max : undefined;
  if (min !== undefined && n < min) out.push(dataError(at, E.BelowMin, `must be at least ${min}; got ${n}`));
  if (max !== undefined && n > max) out.push(dataError(at, E.AboveMax, `must be at most ${max}; got ${n}`));
}

const SUBTYPE_TEXT: Record<DateSubtype, string> = {
  ymd: 'a date',
  ym: 'a year and month (stored as the 1st: YYYY-MM-01)',
  md: 'a month and day (stored in the year 2000: 2000-MM-DD)',
  y: 'a year (stored as YYYY-01-01)',
};

function checkDate(
  at: At,
  value: unknown,
  s: { subtype?: DateSubtype; min?: number | string; max?: number | string },
  out: DataError[],
): void {
  if (typeof value !== 'string' || !parsePlainDate(value).ok || value.length !== 10) {
    out.push(dataError(at, E.BadDate, `is a date (YYYY-MM-DD); got ${shown(value)}`));
    return;
  }
  const subtype = s.subtype ?? 'ymd';
  const ok =
    subtype === 'ymd' ||
    (subtype === 'ym' && value.endsWith('-01')) ||
    (subtype === 'y' && value.endsWith('-01-01')) ||
    (subtype === 'md' && value.startsWith('2000-'));
  if (!ok) out.push(dataError(at, E.DateSubtype, `is ${SUBTYPE_TEXT[subtype]}; got ${shown(value)}`));
  if (typeof s.min === 'string' && value < s.min) {
    out.push(dataError(at, E.BelowMin, `must be on or after ${s.min}; got ${value}`));
  }
  if (typeof s.max === 'string' && value > s.max) {
    out.push(dataError(at, E.AboveMax, `must be on or before ${s.max}; got ${value}`));
  }
}

function choiceIds(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function fixedLookup(choices: readonly { value: string }[] | undefined): ChoiceLookup | undefined {
  if (!choices) return undefined;
  return new Set(choices.map((c) => c.value));
}

function checkSelect(
  at: At,
  ids: readonly string[],
  multiple: boolean,
  lookup: ChoiceLookup | undefined,
  out: DataError[],
): void {
  if (!multiple && ids.length > 1) {
    out.push(dataError(at, E.TooManyChoices, `takes one choice; got ${ids.length}`));
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) out.push(dataError(at, E.DuplicateChoice, `has the choice ${shown(id)} twice`));
    seen.add(id);
    if (lookup && !lookup.has(id)) out.push(dataError(at, E.UnknownChoice, `has no choice ${shown(id)}`));
  }
}

function checkReference(at: At, value: unknown, what: string, out: DataError[]): void {
  if (typeof value === 'string') {
    if (value.trim() === '') out.push(dataError(at, E.BadReference, `needs a ${what} id`));
    return;
  }
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || v.id.trim() === '') {
    out.push(dataError(at, E.BadReference, `is a ${what}: an object with a non-empty "id"`));
  }
  for (const k of ['name', 'email'] as const) {
    if (v[k] !== undefined && typeof v[k] !== 'string') {
      out.push(dataError(at, E.BadReference, `"${k}" of the ${what} must be text`));
    }
  }
}

const CONTENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(?:\s*;.*)?$/;

function checkFiles(at: At, value: unknown, out: DataError[]): void {
  const list = Array.isArray(value) ? value : [value];
  const ids = new Set<string>();
  list.forEach((f, i) => {
    const which = list.length > 1 ? `file ${i + 1}` : 'the file';
    if (typeof f !== 'object' || f === null || Array.isArray(f)) {
      out.push(dataError(at, E.BadFile, `${which} is not a file reference { id, name, size, contentType }`));
      return;
    }
    const r = f as Record<string, unknown>;
    const bad: string[] = [];
    if (typeof r.id !== 'string' || r.id === '') bad.push('"id" (text)');
    if (typeof r.name !== 'string' || r.name.trim() === '') bad.push('"name" (text)');
    if (typeof r.size !== 'number' || !Number.isSafeInteger(r.size) || r.size < 0) {
      bad.push('"size" (bytes, a whole number ≥ 0)');
    }
    if (typeof r.contentType !== 'string' || !CONTENT_TYPE.test(r.contentType)) {
      bad.push('"contentType" (type/subtype)');
    }
    if (bad.length > 0) out.push(dataError(at, E.BadFile, `${which} needs ${bad.join(', ')}`));
    if (typeof r.id === 'string') {
      if (ids.has(r.id)) out.push(dataError(at, E.DuplicateFile, `has the file ${shown(r.id)} twice`));
      ids.add(r.id);
    }
  });
}

function checkCell(at: At, col: TableColumn, value: unknown, out: DataError[]): void {
  if (isEmptyValue(value)) {
    if (col.required && !col.expression) out.push(dataError(at, E.Required, 'is required'));
    return;
  }
  switch (col.type) {
    case 'string':
      if (typeof value !== 'string') out.push(dataError(at, E.WrongType, `is text; got ${shown(value)}`));
      else checkText(at, value, col, out);
      return;
    case 'numeric':
      checkNumber(at, value, col, out);
      return;
    case 'date':
      checkDate(at, value, col, out);
      return;
    case 'select': {
      const ids = choiceIds(value);
      if (!ids) out.push(dataError(at, E.WrongType, `is a choice id; got ${shown(value)}`));
      else checkSelect(at, ids, false, fixedLookup(col.choices), out);
      return;
    }
  }
}

function checkTable(item: TableItem, rows: readonly unknown[], out: DataError[]): void {
  const at: At = { item };
  if (item.minRows !== undefined && rows.length < item.minRows) {
    out.push(dataError(at, E.TooFewRows, `needs at least ${item.minRows} rows; got ${rows.length}`));
  }
  if (item.maxRows !== undefined && rows.length > item.maxRows) {
    out.push(dataError(at, E.TooManyRows, `takes at most ${item.maxRows} rows; got ${rows.length}`));
  }
  const columns = new Map(item.columns.map((c) => [c.fieldName, c]));
  rows.forEach((row, i) => {
    const rowAt: At = { item, row: i + 1 };
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      out.push(dataError(rowAt, E.BadRow, 'is not a row (an object of column values)'));
      return;
    }
    const cells = row as Record<string, unknown>;
    for (const key of Object.keys(cells)) {
      if (!columns.has(key)) out.push(dataError(rowAt, E.UnknownColumn, `has no column "${key}"`));
    }
    for (const col of item.columns) {
      if (col.expression) continue; // computed: recomputed, whatever was sent
      checkCell({ item, row: i + 1, column: col }, col, cells[col.fieldName], out);
    }
  });
}

/**
 * The problems with one item's value (empty when it is fine). Checks the type's shape (the
 * engine's `BAD_DATA_VALUE` rule), then the item's settings. Required-ness: see
 * {@link ValidateOptions.required}. Cross-item rules (a dependent select's parent) are
 * checked by `validateForm`.
 */
export function validateValue(item: DataItemDef, value: unknown, options: ValidateOptions = {}): DataError[] {
  const out: DataError[] = [];
  const at: At = { item };
  if (item.type === 'guide') {
    if (value !== null && value !== undefined) {
      out.push(dataError(at, E.NoValue, 'is a guide panel (display only) and has no value'));
    }
    return out;
  }
  if (isEmptyValue(value)) {
    if (options.required ?? item.required) out.push(dataError(at, E.Required, 'is required'));
    return out;
  }
  const base = dataItemType(item.type);
  const problem = base ? valueProblem(base, value) : undefined;
  if (problem) {
    out.push(dataError(at, E.WrongType, problem));
    return out;
  }
  switch (item.type) {
    case 'string':
      checkText(at, value as string, Object.assign({}, item, { singleLine: item.format === 'single' }), out);
      break;
    case 'discussion':
      checkText(at, value as string, { maxLength: item.maxLength }, out);
      break;
    case 'numeric':
      checkNumber(at, value, item, out);
      break;
    case 'date':
      checkDate(at, value, item, out);
      break;
    case 'datetime': {
      const zone = options.timeZone ?? 'UTC';
      const t = parseInstant(value as string, zone);
      if (!t.ok) {
        out.push(dataError(at, E.BadDatetime, `is a date-time (ISO 8601); got ${shown(value)}`));
        break;
      }
      const min = item.min !== undefined ? parseInstant(item.min, zone) : undefined;
      const max = item.max !== undefined ? parseInstant(item.max, zone) : undefined;
      if (min?.ok && t.value < min.value) {
        out.push(dataError(at, E.BelowMin, `must be at or after ${item.min}; got ${value}`));
      }
      if (max?.ok && t.value > max.value) {
        out.push(dataError(at, E.AboveMax, `must be at or before ${item.max}; got ${value}`));
      }
      break;
    }
    case 'select': {
      const lookup =
        item.source === 'fixed' ? fixedLookup(item.choices ?? []) : (options.choicesOf?.(item) ?? undefined);
      checkSelect(at, choiceIds(value) ?? [], item.formType === 'checkbox', lookup, out);
      break;
    }
    case 'user':
      checkReference(at, value, 'user', out);
      break;
    case 'organization':
      checkReference(at, value, 'organization', out);
      break;
    case 'file':
      checkFiles(at, value, out);
      break;
    case 'table':
      checkTable(item, value as unknown[], out);
      break;
  }
  return out;
}

/** Choice ids of a select value (a list or one id), or [] when it has none. */
export function selectedIds(value: unknown): string[] {
  return choiceIds(value) ?? [];
}

/**
 * Dependent selects: every id chosen in `child` must start with one of the ids selected in
 * its parent (the HTTP choice protocol's `parent`: forward match).
 */
export function checkParentChoice(child: SelectItem, values: DataValues, parent?: DataItemDef): DataError[] {
  const ids = selectedIds(values[child.fieldName]);
  if (ids.length === 0 || !child.parentItem) return [];
  const parentIds = selectedIds(values[child.parentItem]);
  const out: DataError[] = [];
  const parentName = parent ? describeItem(parent) : child.parentItem;
  for (const id of ids) {
    if (!parentIds.some((p) => id.startsWith(p))) {
      out.push(
        dataError(
          { item: child },
          E.NotUnderParent,
          parentIds.length === 0
            ? `the choice ${shown(id)} needs a choice in ${parentName} first`
            : `the choice ${shown(id)} does not belong to the choice of ${parentName} (${parentIds.join(', ')})`,
        ),
      );
    }
  }
  return out;
}
