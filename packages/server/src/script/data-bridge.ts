/**
 * Between an issue's data and the script API's typed values. In: each data item of the App
 * becomes a definition with the product's type code (`STRING_TEXTFIELD`, `DECIMAL`, …) and its
 * value as JSON. Out: the values the script set, tagged with their kind by the sandbox, are
 * checked against each item's type and turned into the issue's data values; a value that does
 * not fit names the item and what was given.
 */
import type { DataItemSpec, DataValues } from '@nagare/engine';
import type { FileRef } from '../files/file-store.js';
import { offsetAt, wallToInstant, type ZoneSpec } from './time-zone.js';

/** A file the script made, in a file item's value until the caller has stored it (`stage` = its place in the run's staged files). */
export interface StagedRef {
  readonly stage: number;
}

/** The product's type code for a Nagare value type. */
const TYPE_CODES: Readonly<Record<string, string>> = {
  string: 'STRING_TEXTFIELD',
  discussion: 'DISCUSSION',
  numeric: 'DECIMAL',
  date: 'DATE_YMD',
  datetime: 'DATETIME',
  select: 'SELECT_SINGLE',
  user: 'QUSER',
  organization: 'QGROUP',
  table: 'LIST',
  file: 'FILE',
};

export interface ScriptItem {
  readonly number: number;
  readonly varName: string;
  readonly name: string;
  readonly type: string;
  readonly value?: unknown;
}

/** The App's data items with their values, numbered as declared (or in order when not). */
export function itemsForScript(
  items: Readonly<Record<string, DataItemSpec>>,
  data: DataValues,
): ScriptItem[] {
  // an App that declares no data items accepts any name: its values are seen as text items
  const specs: DataItemSpec[] =
    Object.keys(items).length > 0
      ? Object.values(items)
      : Object.keys(data).map((fieldName) => ({ fieldName, type: 'string', valueType: 'string' }));
  const out: ScriptItem[] = [];
  const used = new Set(specs.map((s) => s.number).filter((n): n is number => n !== undefined));
  let next = 1;
  for (const spec of specs) {
    let number = spec.number;
    if (number === undefined) {
      while (used.has(next)) next++;
      number = next;
      used.add(number);
    }
    // a multi-line text item (`type="text"`, Markdown) is the product's STRING_TEXTAREA
    const type =
      spec.valueType === 'string' && (spec.type === 'text' || spec.type === 'markdown')
        ? 'STRING_TEXTAREA'
        : (TYPE_CODES[spec.valueType ?? 'string'] ?? 'STRING_TEXTFIELD');
    const value = data[spec.fieldName];
    out.push({
      number,
      varName: spec.fieldName,
      name: spec.name ?? spec.fieldName,
      type,
      ...(value === undefined ? {} : { value: valueForScript(spec.valueType, value) }),
    });
  }
  return out;
}

function valueForScript(type: string | undefined, value: unknown): unknown {
  if (value === null) return null;
  if (type === 'select') {
    const ids = Array.isArray(value) ? value : [value];
    return ids.map((id) => ({ value: String(id), label: String(id) }));
  }
  if (type === 'numeric') return String(value);
  return value;
}

interface Tagged {
  readonly t: string;
  readonly v: unknown;
}

export interface ScriptWrite {
  readonly number: number;
  readonly varName: string;
  readonly value: Tagged | null;
}

export type WritesResult =
  | { readonly ok: true; readonly data: DataValues }
  | { readonly ok: false; readonly error: string };

/** The files a run may put in file items as they are: those of the issue's file items, by id. */
export function issueFiles(
  data: DataValues,
  items: Readonly<Record<string, DataItemSpec>>,
): Map<string, FileRef> {
  const out = new Map<string, FileRef>();
  for (const [name, value] of Object.entries(data)) {
    // only file items: a table row or other value that looks like a reference is not a file
    if (items[name]?.valueType !== 'file' || !Array.isArray(value)) continue;
    for (const f of value as Partial<FileRef>[])
      if (
        f &&
        typeof f === 'object' &&
        typeof f.id === 'string' &&
        typeof f.name === 'string' &&
        typeof f.contentType === 'string' &&
        typeof f.size === 'number'
      )
        out.set(f.id, { id: f.id, name: f.name, contentType: f.contentType, size: f.size });
  }
  return out;
}

/**
 * The script's writes as data values, each checked against its item's type. A file item's
 * value is a list of the issue's own files (`FileRef`) and files the script made (`StagedRef`,
 * stored by the caller with `storeStagedFiles`).
 */
export function writesToData(
  writes: readonly ScriptWrite[],
  items: Readonly<Record<string, DataItemSpec>>,
  zone: ZoneSpec,
  files: { readonly known: ReadonlyMap<string, FileRef>; readonly staged: number } = {
    known: new Map(),
    staged: 0,
  },
): WritesResult {
  const data: Record<string, unknown> = {};
  for (const w of writes) {
    const spec = items[w.varName];
    const type = spec?.valueType ?? 'string';
    const converted = convert(type, w.value, zone, files);
    if (typeof converted === 'object' && converted !== null && 'problem' in converted) {
      return { ok: false, error: `data item ${w.varName} (${type}): ${converted.problem}` };
    }
    data[w.varName] = converted;
  }
  return { ok: true, data: data as DataValues };
}

type Converted = unknown | { readonly problem: string };

function convert(
  type: string,
  tagged: Tagged | null,
  tz: ZoneSpec,
  files: { readonly known: ReadonlyMap<string, FileRef>; readonly staged: number },
): Converted {
  if (tagged === null) return null;
  const { t, v } = tagged;
  const wrong = { problem: `the script set ${describe(tagged)}` };
  switch (type) {
    case 'string':
    case 'discussion':
      if (t === 'string' || t === 'decimal' || t === 'number' || t === 'boolean') return String(v);
      return wrong;
    case 'numeric': {
      if (t === 'number') return v;
      if (t === 'decimal' || (t === 'string' && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(String(v).trim()))) {
        const text = String(v).trim();
        const n = Number(text);
        return Number.isFinite(n) && String(n) === text ? n : text;
      }
      if (t === 'string' && String(v).trim() === '') return null;
      return wrong;
    }
    case 'date':
      if (t === 'date') return v;
      if (t === 'datetime') {
        const ms = Date.parse(String(v));
        return new Date(ms + offsetAt(tz, ms) * 60_000).toISOString().slice(0, 10);
      }
      if (t === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(String(v))) return v;
      return wrong;
    case 'datetime':
      if (t === 'datetime') return v;
      if (t === 'date')
        return new Date(wallToInstant(tz, Date.parse(`${String(v)}T00:00:00Z`))).toISOString();
      if (t === 'string' && !Number.isNaN(Date.parse(String(v))))
        return new Date(Date.parse(String(v))).toISOString();
      return wrong;
    case 'select':
      if (t === 'select') return v;
      if (t === 'string') return [v];
      return wrong;
    case 'user':
    case 'organization':
      if (t === 'user' || t === 'organization') return v;
      if (t === 'string' || t === 'number' || t === 'decimal') return String(v);
      return wrong;
    case 'table': {
      if (t !== 'table' || !Array.isArray(v)) return wrong;
      return v.map((row: Record<string, Tagged | null>) =>
        Object.fromEntries(Object.entries(row).map(([k, cell]) => [k, cell === null ? null : cell.v])),
      );
    }
    case 'file': {
      if (t !== 'files' || !Array.isArray(v)) return wrong;
      if (v.length === 0) return null;
      const out: (FileRef | StagedRef)[] = [];
      for (const f of v as { id?: unknown; stage?: unknown }[]) {
        if (
          typeof f?.stage === 'number' &&
          Number.isInteger(f.stage) &&
          f.stage >= 0 &&
          f.stage < files.staged
        )
          out.push({ stage: f.stage });
        else if (typeof f?.id === 'string' && files.known.has(f.id)) out.push(files.known.get(f.id)!);
        else return { problem: 'the script set a file that is not one of this issue’s files' };
      }
      return out;
    }
    default:
      return v;
  }
}

function describe(tagged: Tagged): string {
  const text = JSON.stringify(tagged.v);
  return `a ${tagged.t} value (${text === undefined ? '' : text.length > 60 ? `${text.slice(0, 60)}…` : text})`;
}
