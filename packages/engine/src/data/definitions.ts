/**
 * Data item definitions: checking a set of them (field names, numbers, settings), reading them
 * from a BPMN document's `nagare:dataItems`, and normalizing form input to the stored form.
 */
import { nagareExtension } from '../bpmn/extensions.js';
import { type BpmnDefinitions, isModdleElement, type ModdleElement, many } from '../bpmn/model.js';
import { parsePlainDate } from '../time/instant.js';
import {
  type Choice,
  type ColumnType,
  type DataError,
  type DataItemDef,
  type DateSubtype,
  DataErrorCodes as E,
  type SelectFormType,
  type StringFormat,
  type TableColumn,
} from './types.js';
import { dataError, patternRegex } from './validate.js';

/** `q_` + letters, digits, underscore (Questetra's field-name rule). */
export const FIELD_NAME = /^q_[A-Za-z0-9_]+$/;
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Problems with a set of definitions (code `BAD_DEFINITION`, each naming the item): field names
 * that break the rule or repeat, repeated numbers, patterns that do not compile, min above max,
 * selects without choices or with repeated choice ids, a parent that is not a select, tables
 * without columns or with repeated column names, totals or expressions on non-numeric columns.
 */
export function checkDefinitions(items: readonly DataItemDef[]): DataError[] {
  const out: DataError[] = [];
  const bad = (item: DataItemDef, text: string, column?: TableColumn): void => {
    out.push(dataError(column ? { item, column } : { item }, E.BadDefinition, text));
  };
  const names = new Map<string, DataItemDef>();
  const numbers = new Map<number, DataItemDef>();
  for (const item of items) {
    if (!FIELD_NAME.test(item.fieldName)) {
      bad(item, 'a field name is "q_" followed by letters, digits and underscores');
    }
    if (names.has(item.fieldName)) bad(item, 'the field name is used by another item');
    else names.set(item.fieldName, item);
    if (!Number.isSafeInteger(item.number) || item.number < 0)
      bad(item, 'the number is not a whole number ≥ 0');
    const other = numbers.get(item.number);
    if (other) bad(item, `the number ${item.number} is also the number of ${other.fieldName}`);
    else numbers.set(item.number, item);
  }
  const limits = (
    item: DataItemDef,
    s: { minLength?: number; maxLength?: number; pattern?: string; min?: unknown; max?: unknown },
    column?: TableColumn,
  ): void => {
    if (s.pattern !== undefined && patternRegex(s.pattern) === null) {
      bad(item, `the pattern /${s.pattern}/ is not a valid regular expression`, column);
    }
    if (s.minLength !== undefined && s.maxLength !== undefined && s.minLength > s.maxLength) {
      bad(item, `minLength ${s.minLength} is above maxLength ${s.maxLength}`, column);
    }
    if (s.min !== undefined && s.max !== undefined && (s.min as number) > (s.max as number)) {
      bad(item, `min ${String(s.min)} is above max ${String(s.max)}`, column);
    }
  };
  const choices = (item: DataItemDef, list: readonly Choice[] | undefined, column?: TableColumn): void => {
    if (!list || list.length === 0) {
      bad(item, 'fixed choices: at least one choice is needed', column);
      return;
    }
    const seen = new Set<string>();
    for (const c of list) {
      if (c.value === '') bad(item, 'a choice id is empty', column);
      if (seen.has(c.value)) bad(item, `the choice id "${c.value}" is used twice`, column);
      seen.add(c.value);
    }
  };
  for (const item of items) {
    switch (item.type) {
      case 'string':
        limits(item, item);
        break;
      case 'numeric':
      case 'date':
      case 'datetime':
        limits(item, item);
        break;
      case 'select':
        if (item.source === 'fixed') choices(item, item.choices);
        if (item.source === 'master' && !item.optionsMaster) bad(item, 'source "master" needs optionsMaster');
        if (item.source === 'http' && !item.choicesUrl) bad(item, 'source "http" needs choicesUrl');
        if (item.parentItem !== undefined) {
          const parent = names.get(item.parentItem);
          if (parent?.type !== 'select' || parent === item) {
            bad(item, `the parent item "${item.parentItem}" is not another select item`);
          }
        }
        break;
      case 'table': {
        if (item.columns.length === 0) bad(item, 'a table needs at least one column');
        if (item.minRows !== undefined && item.maxRows !== undefined && item.minRows > item.maxRows) {
          bad(item, `minRows ${item.minRows} is above maxRows ${item.maxRows}`);
        }
        const cols = new Set<string>();
        for (const col of item.columns) {
          if (!COLUMN_NAME.test(col.fieldName)) {
            bad(item, 'a column name is letters, digits and underscores', col);
          }
          if (cols.has(col.fieldName)) bad(item, 'the column name is used twice', col);
          cols.add(col.fieldName);
          limits(item, col, col);
          if ((col.total || col.expression) && col.type !== 'numeric') {
            bad(item, 'only numeric columns can be computed or totalled', col);
          }
          if (col.type === 'select') choices(item, col.choices, col);
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

// --- reading nagare:dataItems ---------------------------------------------------------------

const STRING_FORMATS: Record<string, StringFormat> = {
  single: 'single',
  singleline: 'single',
  textfield: 'single',
  multiline: 'multiline',
  multi: 'multiline',
  textarea: 'multiline',
  markdown: 'markdown',
};
const DATE_SUBTYPES: Record<string, DateSubtype> = {
  ymd: 'ymd',
  'y-m-d': 'ymd',
  'y/m/d': 'ymd',
  ym: 'ym',
  'y-m': 'ym',
  'y/m': 'ym',
  md: 'md',
  'm-d': 'md',
  'm/d': 'md',
  y: 'y',
};
const FORM_TYPES: Record<string, SelectFormType> = {
  radio: 'radio',
  checkbox: 'checkbox',
  check: 'checkbox',
  dropdown: 'dropdown',
  pulldown: 'dropdown',
  select: 'dropdown',
  search: 'search',
  searchselect: 'search',
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
function num(v: unknown): number | undefined {
  const s = str(v);
  return s !== undefined && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined;
}
function setIf<T, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

function readChoices(el: ModdleElement): Choice[] {
  return many(el, 'choices').map((c) => ({
    value: str(c.value) ?? '',
    label: str(c.label) ?? str(c.value) ?? '',
  }));
}

function readColumn(el: ModdleElement): TableColumn {
  const raw = (str(el.type) ?? 'string').toLowerCase();
  const type: ColumnType =
    raw === 'numeric' || raw === 'number' || raw === 'decimal'
      ? 'numeric'
      : raw === 'select' || raw === 'date'
        ? raw
        : 'string';
  const col: Mutable<TableColumn> = {
    fieldName: str(el.fieldName) ?? '',
    label: str(el.name) ?? str(el.fieldName) ?? '',
    type,
  };
  if (el.required === true) col.required = true;
  setIf(col, 'minLength', int(el.minLength));
  setIf(col, 'maxLength', int(el.maxLength));
  setIf(col, 'pattern', str(el.pattern));
  setIf(col, 'decimalPlaces', int(el.decimalPlaces));
  setIf(col, 'min', type === 'numeric' ? num(el.min) : str(el.min));
  setIf(col, 'max', type === 'numeric' ? num(el.max) : str(el.max));
  setIf(col, 'prefix', str(el.prefix));
  setIf(col, 'suffix', str(el.suffix));
  setIf(col, 'expression', str(el.expression));
  if (el.total === true) col.total = true;
  if (type === 'select') col.choices = readChoices(el);
  return col;
}

/** One `nagare:dataItem` as a definition, or a message when its type is unknown. */
export function readDataItem(el: ModdleElement): DataItemDef | { error: string } {
  const rawType = (str(el.type) ?? 'string').toLowerCase();
  const fieldName = str(el.fieldName) ?? '';
  const base: Mutable<{
    fieldName: string;
    number: number;
    label: string;
    required?: boolean;
    description?: string;
  }> = {
    fieldName,
    number: int(el.number) ?? -1,
    label: str(el.name) ?? fieldName,
  };
  if (el.required === true) base.required = true;
  const desc = isModdleElement(el.description) ? str(el.description.text) : undefined;
  setIf(base, 'description', desc);
  const format = str(el.format)?.toLowerCase();
  const formType = str(el.formType)?.toLowerCase();
  switch (rawType) {
    case 'string':
    case 'text':
    case 'markdown': {
      const f =
        rawType === 'markdown'
          ? 'markdown'
          : (STRING_FORMATS[formType ?? ''] ??
            STRING_FORMATS[format ?? ''] ??
            (rawType === 'text' ? 'multiline' : 'single'));
      const item: Mutable<DataItemDef & { type: 'string' }> = { ...base, type: 'string', format: f };
      setIf(item, 'minLength', int(el.minLength));
      setIf(item, 'maxLength', int(el.maxLength));
      setIf(item, 'pattern', str(el.pattern));
      return item;
    }
    case 'numeric':
    case 'number':
    case 'decimal': {
      const item: Mutable<DataItemDef & { type: 'numeric' }> = { ...base, type: 'numeric' };
      setIf(item, 'decimalPlaces', int(el.decimalPlaces));
      setIf(item, 'min', num(el.min));
      setIf(item, 'max', num(el.max));
      setIf(item, 'prefix', str(el.prefix));
      setIf(item, 'suffix', str(el.suffix));
      setIf(item, 'format', str(el.format));
      setIf(item, 'expression', str(el.expression));
      return item;
    }
    case 'date': {
      const subtype = DATE_SUBTYPES[format ?? ''] ?? DATE_SUBTYPES[formType ?? ''] ?? 'ymd';
      const item: Mutable<DataItemDef & { type: 'date' }> = { ...base, type: 'date', subtype };
      setIf(item, 'min', str(el.min));
      setIf(item, 'max', str(el.max));
      return item;
    }
    case 'datetime': {
      const item: Mutable<DataItemDef & { type: 'datetime' }> = { ...base, type: 'datetime' };
      setIf(item, 'min', str(el.min));
      setIf(item, 'max', str(el.max));
      return item;
    }
    case 'select': {
      const source =
        str(el.choiceSource)?.toLowerCase() ??
        (str(el.optionsMaster) ? 'master' : str(el.choicesUrl) ? 'http' : 'fixed');
      if (source !== 'fixed' && source !== 'master' && source !== 'http') {
        return { error: `choiceSource "${source}" is not fixed, master or http` };
      }
      const item: Mutable<DataItemDef & { type: 'select' }> = {
        ...base,
        type: 'select',
        formType: FORM_TYPES[formType ?? ''] ?? 'dropdown',
        source,
      };
      if (source === 'fixed') item.choices = readChoices(el);
      setIf(item, 'optionsMaster', str(el.optionsMaster));
      setIf(item, 'choicesUrl', str(el.choicesUrl));
      setIf(item, 'parentItem', str(el.parentItem));
      return item;
    }
    case 'user':
    case 'organization':
    case 'file':
      return { ...base, type: rawType };
    case 'discussion': {
      const item: Mutable<DataItemDef & { type: 'discussion' }> = { ...base, type: 'discussion' };
      setIf(item, 'maxLength', int(el.maxLength));
      return item;
    }
    case 'guide':
    case 'guidepanel':
      return { ...base, type: 'guide' };
    case 'table': {
      const item: Mutable<DataItemDef & { type: 'table' }> = {
        ...base,
        type: 'table',
        columns: many(el, 'columns').map(readColumn),
      };
      setIf(item, 'minRows', int(el.minRows));
      setIf(item, 'maxRows', int(el.maxRows));
      return item;
    }
    default:
      return { error: `the type "${rawType}" is not a data item type` };
  }
}

function executableProcess(definitions: BpmnDefinitions): ModdleElement | undefined {
  const processes = many(definitions, 'rootElements').filter((e) => e.$type === 'bpmn:Process');
  return processes.find((p) => p.isExecutable === true) ?? processes[0];
}

/**
 * The data item definitions of a parsed document's (executable) process, in document order,
 * with every definition problem (`checkDefinitions`, plus unknown types and missing numbers).
 */
export function readDataItems(definitions: BpmnDefinitions): { items: DataItemDef[]; problems: DataError[] } {
  const proc = executableProcess(definitions);
  const items: DataItemDef[] = [];
  const problems: DataError[] = [];
  const container = proc ? nagareExtension(proc, 'DataItems') : undefined;
  for (const el of container ? many(container, 'items') : []) {
    const r = readDataItem(el);
    const fieldName = str(el.fieldName) ?? '';
    if ('error' in r) {
      problems.push(dataError({ item: { fieldName, label: str(el.name) } }, E.BadDefinition, r.error));
      continue;
    }
    if (r.number === -1) {
      problems.push(dataError({ item: r }, E.BadDefinition, 'the item has no number'));
      continue;
    }
    items.push(r);
  }
  problems.push(...checkDefinitions(items));
  return { items, problems };
}

// --- normalizing input --------------------------------------------------------------------

/**
 * The stored form of a form input: `''` and `[]` → null; a date of sub type Y/M given as
 * `YYYY-MM` → `YYYY-MM-01`, Y as `YYYY` → `YYYY-01-01`, M/D as `MM-DD` → `2000-MM-DD`; one
 * select id → a list; a single file → a list. Anything else is returned as given (validation
 * says what is wrong with it).
 */
export function normalizeValue(item: DataItemDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '' && item.type !== 'discussion') return null;
  if (Array.isArray(value) && value.length === 0) return null;
  switch (item.type) {
    case 'date': {
      if (typeof value !== 'string') return value;
      const t = value.trim();
      let full = t;
      if (item.subtype === 'ym' && /^\d{4}-\d{2}$/.test(t)) full = `${t}-01`;
      else if (item.subtype === 'y' && /^\d{4}$/.test(t)) full = `${t}-01-01`;
      else if (item.subtype === 'md' && /^(?:--)?\d{2}-\d{2}$/.test(t)) full = `2000-${t.replace(/^--/, '')}`;
      return parsePlainDate(full).ok ? full : value;
    }
    case 'select':
      return typeof value === 'string' ? [value] : value;
    case 'file':
      return Array.isArray(value) ? value : [value];
    case 'numeric':
      return typeof value === 'string' ? value.trim() : value;
    default:
      return value;
  }
}
