/**
 * The access matrix: for each human step (user task, and a start event with a start form)
 * and each data item, whether the step's form shows the item editable, read-only or not at
 * all, and whether it is required there. Read from `nagare:dataAccess` on the steps; an item
 * a step does not list is hidden in that step.
 *
 * The functions the server runs on every request that reads or writes an issue's data:
 * - `visibleData` removes what a step must not see (hidden values never leave the server);
 * - `applyWrite` merges a form's values into the issue's, refusing writes the step may not
 *   make, validating, computing derived values and (on finish) checking required items; it
 *   changes nothing when anything is wrong.
 *
 * CSV export/import lets process owners edit the matrix in a spreadsheet (docs/data-items.md).
 */
import { nagareExtension } from '../bpmn/extensions.js';
import { type BpmnDefinitions, type ModdleElement, many } from '../bpmn/model.js';
import { type ComputeOptions, computeDerived, isComputed } from './compute.js';
import { type CsvRecord, type FormatCsvOptions, formatCsv, parseCsv } from './csv.js';
import { normalizeValue } from './definitions.js';
import { type DataError, type DataItemDef, type DataValues, DataErrorCodes as E } from './types.js';
import {
  checkParentChoice,
  dataError,
  describeItem,
  isEmptyValue,
  type ValidateOptions,
  validateValue,
} from './validate.js';

export type AccessMode = 'edit' | 'read' | 'hidden';

export interface ItemAccess {
  readonly mode: AccessMode;
  /** Only with `edit`: the step cannot be finished while the item is empty. */
  readonly required: boolean;
}

/** One step's column of the matrix: field name → access. An item not listed is hidden. */
export type StepAccess = Readonly<Record<string, ItemAccess>>;

export interface AccessStep {
  readonly id: string;
  readonly name?: string;
}

export interface AccessMatrix {
  /** Human steps, in document order. */
  readonly steps: readonly AccessStep[];
  /** Field names, in definition order. */
  readonly items: readonly string[];
  /** Step id → its access (every item listed). */
  readonly access: Readonly<Record<string, StepAccess>>;
}

const HIDDEN: ItemAccess = { mode: 'hidden', required: false };

/** The access of `fieldName` in a step (hidden when the step does not list it). */
export function accessOf(access: StepAccess, fieldName: string): ItemAccess {
  return Object.hasOwn(access, fieldName) ? access[fieldName]! : HIDDEN;
}

/** A step's column, or an all-hidden one for a step the matrix does not know. */
export function stepAccess(matrix: AccessMatrix, stepId: string): StepAccess {
  return Object.hasOwn(matrix.access, stepId) ? matrix.access[stepId]! : {};
}

// --- reading nagare:dataAccess ------------------------------------------------------------------

export interface AccessProblem {
  readonly stepId: string;
  readonly message: string;
}

const MODES: Record<string, AccessMode> = {
  edit: 'edit',
  write: 'edit',
  editable: 'edit',
  read: 'read',
  readonly: 'read',
  display: 'read',
  hidden: 'hidden',
  none: 'hidden',
};

function humanSteps(container: ModdleElement, out: ModdleElement[]): void {
  for (const el of many(container, 'flowElements')) {
    if (el.$type === 'bpmn:UserTask') out.push(el);
    else if (el.$type === 'bpmn:StartEvent' && nagareExtension(el, 'DataAccess')) out.push(el);
    else if (el.$type === 'bpmn:SubProcess' || el.$type === 'bpmn:Transaction') humanSteps(el, out);
  }
}

/**
 * The matrix of a parsed document: every user task, and every start event with
 * `nagare:dataAccess` (its start form), over `items`. Problems (an unknown item, an unknown
 * mode, `required` on an item that is not editable, a computed item or guide panel made
 * editable — it is then read-only) name the step.
 */
export function readAccessMatrix(
  definitions: BpmnDefinitions,
  items: readonly DataItemDef[],
): { matrix: AccessMatrix; problems: AccessProblem[] } {
  const problems: AccessProblem[] = [];
  const byName = new Map(items.map((i) => [i.fieldName, i]));
  const steps: AccessStep[] = [];
  const access: Record<string, StepAccess> = {};
  const processes = many(definitions, 'rootElements').filter((e) => e.$type === 'bpmn:Process');
  const proc = processes.find((p) => p.isExecutable === true) ?? processes[0];
  const elements: ModdleElement[] = [];
  if (proc) humanSteps(proc, elements);
  for (const el of elements) {
    const id = String(el.id);
    steps.push(typeof el.name === 'string' && el.name !== '' ? { id, name: el.name } : { id });
    const column: Record<string, ItemAccess> = {};
    for (const item of items) column[item.fieldName] = HIDDEN;
    const da = nagareExtension(el, 'DataAccess');
    for (const entry of da ? many(da, 'entries') : []) {
      const field = typeof entry.item === 'string' ? entry.item : '';
      const item = byName.get(field);
      if (!item) {
        problems.push({ stepId: id, message: `${id}: no data item "${field}"` });
        continue;
      }
      const rawMode = typeof entry.mode === 'string' ? entry.mode.toLowerCase() : 'read';
      let mode = MODES[rawMode];
      if (!mode) {
        problems.push({
          stepId: id,
          message: `${id}: ${describeItem(item)}: mode "${rawMode}" is not edit, read or hidden`,
        });
        continue;
      }
      if (mode === 'edit' && (isComputed(item) || item.type === 'guide')) {
        problems.push({
          stepId: id,
          message: `${id}: ${describeItem(item)} is ${item.type === 'guide' ? 'a guide panel' : 'computed'}; it can only be read`,
        });
        mode = 'read';
      }
      let required = entry.required === true;
      if (required && mode !== 'edit') {
        problems.push({ stepId: id, message: `${id}: ${describeItem(item)} is required but not editable` });
        required = false;
      }
      if (entry.required === undefined && mode === 'edit' && item.required === true) required = true;
      column[field] = { mode, required };
    }
    access[id] = column;
  }
  return { matrix: { steps, items: items.map((i) => i.fieldName), access }, problems };
}

// --- reading and writing values ----------------------------------------------------------------

/**
 * The values a step may see: hidden items (and anything that is not a declared item, and
 * guide panels, which hold nothing) are removed. A new object; `values` is not changed.
 */
export function visibleData(
  items: readonly DataItemDef[],
  values: DataValues,
  access: StepAccess,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (item.type === 'guide' || !Object.hasOwn(values, item.fieldName)) continue;
    if (accessOf(access, item.fieldName).mode === 'hidden') continue;
    out[item.fieldName] = values[item.fieldName];
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export interface WriteOptions extends ValidateOptions, ComputeOptions {
  /** The step is being finished (not only saved): required items must have a value. */
  readonly finish?: boolean;
}

export type WriteResult =
  | {
      readonly ok: true;
      /** The merged values, with computed items, columns recomputed. */
      readonly values: Record<string, unknown>;
      readonly totals: Readonly<Record<string, Readonly<Record<string, number>>>>;
      /** Field names whose value the write changed (computed ones included). */
      readonly changed: readonly string[];
    }
  | { readonly ok: false; readonly errors: readonly DataError[] };

/**
 * Merges a step's form values (`incoming`) into the issue's (`current`). Refuses, naming the
 * item: undeclared fields (`UNKNOWN_ITEM`), hidden items (`HIDDEN`), read-only items
 * (`READ_ONLY`) and computed items (`COMPUTED`) — a read-only or computed value sent back
 * unchanged is not a write and passes —, guide panels (`NO_VALUE`); then validates each written
 * value, computes derived values, checks dependent selects and, with `finish`, the step's
 * required items. All problems are returned together and nothing is changed; `current` is
 * never mutated.
 */
export function applyWrite(
  items: readonly DataItemDef[],
  current: DataValues,
  incoming: DataValues,
  access: StepAccess,
  options: WriteOptions = {},
): WriteResult {
  const errors: DataError[] = [];
  const byName = new Map(items.map((i) => [i.fieldName, i]));
  const written: Record<string, unknown> = {};
  for (const key of Object.keys(incoming).sort()) {
    const item = byName.get(key);
    if (!item) {
      errors.push(dataError({ item: { fieldName: key } }, E.UnknownItem, 'is not a data item of this App'));
      continue;
    }
    const value = incoming[key];
    const mode = accessOf(access, key).mode;
    if (mode === 'hidden') {
      errors.push(dataError({ item }, E.Hidden, 'is not shown in this step and cannot be written'));
      continue;
    }
    if (item.type === 'guide') {
      if (value !== null && value !== undefined) {
        errors.push(dataError({ item }, E.NoValue, 'is a guide panel (display only) and has no value'));
      }
      continue;
    }
    const unchanged = sameValue(normalizeValue(item, value), normalizeValue(item, current[key]));
    if (isComputed(item)) {
      if (!unchanged) errors.push(dataError({ item }, E.Computed, 'is computed and cannot be written'));
      continue;
    }
    if (mode === 'read') {
      if (!unchanged) errors.push(dataError({ item }, E.ReadOnly, 'is read-only in this step'));
      continue;
    }
    if (unchanged) continue;
    const normalized = normalizeValue(item, value);
    const problems = validateValue(item, normalized, Object.assign({}, options, { required: false }));
    if (problems.length > 0) errors.push(...problems);
    else written[key] = normalized;
  }
  if (errors.length > 0) return { ok: false, errors };

  const derived = computeDerived(items, { ...current, ...written }, options);
  if (derived.errors.length > 0) return { ok: false, errors: derived.errors };
  const merged = derived.values as Record<string, unknown>;

  for (const item of items) {
    const a = accessOf(access, item.fieldName);
    if (a.mode !== 'edit') continue;
    if (item.type === 'select' && item.parentItem) {
      const parentChanged = Object.hasOwn(written, item.parentItem);
      if (Object.hasOwn(written, item.fieldName) || parentChanged) {
        errors.push(...checkParentChoice(item, merged, byName.get(item.parentItem)));
      }
    }
    if (options.finish && a.required && isEmptyValue(merged[item.fieldName])) {
      errors.push(dataError({ item }, E.Required, 'is required'));
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const changed = items
    .map((i) => i.fieldName)
    .filter((k) => Object.hasOwn(written, k) || !sameValue(merged[k], current[k]))
    .filter((k) => Object.hasOwn(merged, k));
  return { ok: true, values: merged, totals: derived.totals, changed };
}

/**
 * Validates a whole form as a step submits it: each editable item's value in `values`, the
 * step's required items (when `finish` is set, the default), dependent selects. Values of
 * read-only and hidden items are not checked (they are not the step's to write).
 */
export function validateForm(
  items: readonly DataItemDef[],
  values: DataValues,
  access: StepAccess,
  options: ValidateOptions & { readonly finish?: boolean } = {},
): DataError[] {
  const errors: DataError[] = [];
  const byName = new Map(items.map((i) => [i.fieldName, i]));
  for (const item of items) {
    const a = accessOf(access, item.fieldName);
    if (a.mode !== 'edit' || isComputed(item)) continue;
    const value = normalizeValue(item, values[item.fieldName]);
    errors.push(
      ...validateValue(
        item,
        value,
        Object.assign({}, options, { required: (options.finish ?? true) && a.required }),
      ),
    );
    if (item.type === 'select' && item.parentItem) {
      errors.push(
        ...checkParentChoice(item, { ...values, [item.fieldName]: value }, byName.get(item.parentItem)),
      );
    }
  }
  return errors;
}

// --- CSV ----------------------------------------------------------------------------------------

/** First cell of the header row, of the step-names row, and the label column's header. */
export const ACCESS_CSV_ITEM = 'item';
export const ACCESS_CSV_LABEL = 'label';
export const ACCESS_CSV_NAMES = '#name';

function cellText(a: ItemAccess): string {
  return a.mode === 'edit' && a.required ? 'edit*' : a.mode;
}

/**
 * The matrix as CSV: a header row `item,label,<step id>...`, a row `#name,,<step name>...`,
 * then one row per item: field name, label, and per step `edit`, `edit*` (required), `read`
 * or `hidden`.
 */
export function exportAccessCsv(
  matrix: AccessMatrix,
  items: readonly DataItemDef[],
  options?: FormatCsvOptions,
): string {
  const labels = new Map(items.map((i) => [i.fieldName, i.label]));
  const rows: string[][] = [
    [ACCESS_CSV_ITEM, ACCESS_CSV_LABEL, ...matrix.steps.map((s) => s.id)],
    [ACCESS_CSV_NAMES, '', ...matrix.steps.map((s) => s.name ?? '')],
  ];
  for (const field of matrix.items) {
    const cells = matrix.steps.map((s) => cellText(accessOf(stepAccess(matrix, s.id), field)));
    rows.push([field, labels.get(field) ?? '', ...cells]);
  }
  return formatCsv(rows, options);
}

export interface CsvLineError {
  /** 1-based line of the CSV text. */
  readonly line: number;
  readonly message: string;
}

export type AccessCsvImport =
  | { readonly ok: true; readonly matrix: AccessMatrix }
  | { readonly ok: false; readonly errors: readonly CsvLineError[] };

const CELL = /^(edit\*?|read|hidden)$/;

/**
 * Reads a matrix back from CSV for an App with these `items` and `steps`. Columns are matched
 * by step id (any order), rows by field name (any order); the label column and the `#name`
 * row are for people and not read. Every step and every item must appear exactly once. Any
 * problem — unknown or repeated step or item, a row with the wrong number of cells, a cell
 * that is not `edit`, `edit*`, `read` or `hidden`, a computed item or guide panel made
 * editable, broken quoting — is reported with its line, and no matrix is returned.
 * A leading BOM and CRLF line ends are fine. Round trip: `importAccessCsv(exportAccessCsv(m))`
 * gives `m` back for a matrix over the same items and steps.
 */
export function importAccessCsv(
  text: string,
  items: readonly DataItemDef[],
  steps: readonly AccessStep[],
): AccessCsvImport {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, errors: [{ line: parsed.line, message: parsed.message }] };
  const errors: CsvLineError[] = [];
  const records = parsed.records;
  const header = records[0];
  if (!header) return { ok: false, errors: [{ line: 1, message: 'the file is empty' }] };
  const err = (r: CsvRecord | { line: number }, message: string): void => {
    errors.push({ line: r.line, message });
  };
  if (header.fields[0]?.trim() !== ACCESS_CSV_ITEM || header.fields[1]?.trim() !== ACCESS_CSV_LABEL) {
    err(header, `the header row starts with "${ACCESS_CSV_ITEM},${ACCESS_CSV_LABEL}"`);
    return { ok: false, errors };
  }
  const stepIds = new Set(steps.map((s) => s.id));
  const columnStep: (string | undefined)[] = [];
  const seenSteps = new Set<string>();
  header.fields.slice(2).forEach((raw, i) => {
    const id = raw.trim();
    if (!stepIds.has(id)) err(header, `column ${i + 3}: no human step "${id}"`);
    else if (seenSteps.has(id)) err(header, `column ${i + 3}: the step "${id}" appears twice`);
    else {
      seenSteps.add(id);
      columnStep[i] = id;
      return;
    }
    columnStep[i] = undefined;
  });
  for (const s of steps) if (!seenSteps.has(s.id)) err(header, `no column for the step "${s.id}"`);
  const width = header.fields.length;
  const byName = new Map(items.map((i) => [i.fieldName, i]));
  const access: Record<string, Record<string, ItemAccess>> = {};
  for (const s of steps) access[s.id] = {};
  const seenItems = new Set<string>();
  for (const r of records.slice(1)) {
    if (r.fields.length !== width) {
      err(r, `${r.fields.length} cells; the header has ${width}`);
      continue;
    }
    const field = r.fields[0]!.trim();
    if (field === ACCESS_CSV_NAMES) continue;
    const item = byName.get(field);
    if (!item) {
      err(r, `no data item "${field}"`);
      continue;
    }
    if (seenItems.has(field)) {
      err(r, `the item "${field}" appears twice`);
      continue;
    }
    seenItems.add(field);
    r.fields.slice(2).forEach((raw, i) => {
      const step = columnStep[i];
      const cell = raw.trim().toLowerCase();
      if (!CELL.test(cell)) {
        err(r, `${field}, ${step ?? `column ${i + 3}`}: "${raw}" is not edit, edit*, read or hidden`);
        return;
      }
      const mode = (cell.startsWith('edit') ? 'edit' : cell) as AccessMode;
      if (mode === 'edit' && (isComputed(item) || item.type === 'guide')) {
        err(
          r,
          `${field}, ${step ?? `column ${i + 3}`}: ${item.type === 'guide' ? 'a guide panel' : 'a computed item'} cannot be editable`,
        );
        return;
      }
      if (step) access[step]![field] = { mode, required: cell === 'edit*' };
    });
  }
  const lastLine = records[records.length - 1]!.line;
  for (const item of items) {
    if (!seenItems.has(item.fieldName)) err({ line: lastLine }, `no row for the item "${item.fieldName}"`);
  }
  if (errors.length > 0) {
    return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
  }
  const ordered: Record<string, StepAccess> = {};
  for (const s of steps) {
    const column: Record<string, ItemAccess> = {};
    for (const item of items) column[item.fieldName] = access[s.id]![item.fieldName]!;
    ordered[s.id] = column;
  }
  return { ok: true, matrix: { steps: [...steps], items: items.map((i) => i.fieldName), access: ordered } };
}
