/**
 * Remembers which FEEL texts compileConditionRows produced, from which rows and item types,
 * so evaluateCondition can run them with the direct evaluator (condition-rows-eval.ts)
 * instead of feelin, which re-parses on every call (~200 µs). A bounded memo: forgetting an
 * entry only means the slower, equivalent FEEL path.
 */
import type { ConditionRow, ConditionRowsOptions } from './condition-rows.js';
import type { DataItemType, DataItemTypes } from './feel-values.js';

export interface RowsEntry {
  readonly rows: readonly ConditionRow[];
  /** Only the items the rows mention. */
  readonly items: Readonly<Record<string, DataItemType>>;
  readonly options: ConditionRowsOptions | undefined;
  /** The direct predicate, built on first use. */
  predicate?: (data: Readonly<Record<string, unknown>>, timeZone: string | undefined) => boolean;
}

const MAX_ENTRIES = 4096;
const entries = new Map<string, RowsEntry>();

export function rememberRows(
  feel: string,
  rows: readonly ConditionRow[],
  items: DataItemTypes,
  options: ConditionRowsOptions | undefined,
): void {
  const used: Record<string, DataItemType> = {};
  for (const row of rows) {
    for (const term of row.terms) {
      for (const name of [term.item, term.otherItem]) {
        const type = name === undefined ? undefined : items[name];
        if (name !== undefined && type !== undefined) used[name] = type;
      }
    }
  }
  const existing = entries.get(feel);
  if (existing && sameTypes(existing.items, used) && existing.options?.timeZone === options?.timeZone) return;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(feel, { rows, items: used, options });
}

function sameTypes(
  a: Readonly<Record<string, DataItemType>>,
  b: Readonly<Record<string, DataItemType>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The entry for `feel` if the evaluation's types agree with those it was generated for. */
export function rowsEntryFor(feel: string, types: DataItemTypes | undefined): RowsEntry | undefined {
  if (types === undefined) return undefined;
  const entry = entries.get(feel);
  if (!entry) return undefined;
  for (const [name, type] of Object.entries(entry.items)) if (types[name] !== type) return undefined;
  return entry;
}
