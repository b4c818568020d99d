/**
 * Computed values: numeric items with an `expression`, computed table columns and column
 * totals, evaluated with FEEL through the expression layer. Pure and deterministic: the same
 * definitions and values give the same result; nothing is mutated.
 *
 * Order: first every table's computed columns, row by row and column by column (a column may
 * use the row's cells, earlier computed columns, and the data items); then the computed
 * numeric items in dependency order (an item may use tables, with their computed columns, and
 * other computed items; `sum(q_lines.amount)` adds up a column). A cycle between computed
 * items is an error for each item in it. Results are rounded half away from zero to the
 * item's (column's) `decimalPlaces`.
 */

import { evaluateFeel } from '../expr/feel.js';
import type { DataItemType, DataItemTypes } from '../expr/feel-values.js';
import { dataItemType } from '../model/data-values.js';
import { numericValue, roundDecimal } from './decimal.js';
import {
  type DataError,
  type DataItemDef,
  type DataValues,
  DataErrorCodes as E,
  type NumericItem,
  type TableColumn,
  type TableItem,
} from './types.js';
import { dataError } from './validate.js';

export interface ComputeOptions {
  /** For FEEL `now()` / `today()` (epoch ms); without it, expressions calling them fail. */
  readonly now?: number;
  /** The workspace zone (default UTC). */
  readonly timeZone?: string;
}

export interface Derived {
  /** The values with every computed item and column filled in (a new object). */
  readonly values: DataValues;
  /** Table field name → column field name → the column's total, for columns with `total`. */
  readonly totals: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly errors: readonly DataError[];
}

function typesOf(items: readonly DataItemDef[]): DataItemTypes {
  const types: Record<string, DataItemType> = {};
  for (const item of items) {
    const t = dataItemType(item.type);
    if (t) types[item.fieldName] = t;
  }
  return types;
}

function columnTypes(table: TableItem, itemTypes: DataItemTypes): DataItemTypes {
  const types: Record<string, DataItemType> = { ...itemTypes };
  for (const col of table.columns) types[col.fieldName] = col.type;
  return types;
}

function asNumber(
  result: { ok: true; value: unknown } | { ok: false; error: string },
): { value: number | null } | { error: string } {
  if (!result.ok) return { error: result.error };
  const v = result.value;
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'number' && Number.isFinite(v)) return { value: v };
  return {
    error: `the expression gave ${typeof v === 'string' ? JSON.stringify(v) : typeof v}, not a number`,
  };
}

/** Identifiers an expression mentions (a superset is fine: it only orders evaluation). */
function mentions(expression: string): Set<string> {
  return new Set(expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}

function sumColumn(rows: readonly unknown[], col: TableColumn): number {
  let total = 0;
  let places = col.decimalPlaces ?? 0;
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const cell = (row as Record<string, unknown>)[col.fieldName];
    const n = numericValue(cell);
    if (typeof n !== 'number') continue;
    total += n;
    if (col.decimalPlaces === undefined) {
      const text = String(cell);
      const dot = text.indexOf('.');
      if (dot !== -1 && !text.includes('e')) places = Math.max(places, text.length - dot - 1);
    }
  }
  return roundDecimal(total, Math.min(places, 20));
}

/** Computes every computed item, column and total. Never throws. */
export function computeDerived(
  items: readonly DataItemDef[],
  values: DataValues,
  options: ComputeOptions = {},
): Derived {
  const out: Record<string, unknown> = { ...values };
  const errors: DataError[] = [];
  const totals: Record<string, Record<string, number>> = {};
  const types = typesOf(items);
  const feelOptions = { types, now: options.now, timeZone: options.timeZone };

  // 1. tables: computed columns, then totals
  for (const table of items) {
    if (table.type !== 'table') continue;
    const rows = out[table.fieldName];
    const computed = table.columns.filter((c) => c.expression && c.type === 'numeric');
    if (Array.isArray(rows) && computed.length > 0) {
      const rowTypes = columnTypes(table, types);
      out[table.fieldName] = rows.map((row, i) => {
        if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
        const cells: Record<string, unknown> = { ...(row as Record<string, unknown>) };
        for (const col of computed) {
          const r = asNumber(
            evaluateFeel(
              col.expression!,
              { ...out, ...cells },
              Object.assign({}, feelOptions, { types: rowTypes }),
            ),
          );
          if ('error' in r) {
            errors.push(
              dataError(
                { item: table, row: i + 1, column: col },
                E.ComputeFailed,
                `${col.expression}: ${r.error}`,
              ),
            );
            cells[col.fieldName] = null;
          } else {
            cells[col.fieldName] =
              r.value === null || col.decimalPlaces === undefined
                ? r.value
                : roundDecimal(r.value, col.decimalPlaces);
          }
        }
        return cells;
      });
    }
    const totalled = table.columns.filter((c) => c.total && c.type === 'numeric');
    if (totalled.length > 0) {
      const list = Array.isArray(out[table.fieldName]) ? (out[table.fieldName] as unknown[]) : [];
      totals[table.fieldName] = Object.fromEntries(totalled.map((c) => [c.fieldName, sumColumn(list, c)]));
    }
  }

  // 2. computed numeric items, in dependency order (ties: definition order)
  const computedItems = items.filter((i): i is NumericItem => i.type === 'numeric' && !!i.expression);
  const byName = new Map(computedItems.map((i) => [i.fieldName, i]));
  const deps = new Map(
    computedItems.map((i) => [
      i.fieldName,
      [...mentions(i.expression!)].filter((n) => byName.has(n) && n !== i.fieldName),
    ]),
  );
  const selfRef = new Set(
    computedItems.filter((i) => mentions(i.expression!).has(i.fieldName)).map((i) => i.fieldName),
  );
  const done = new Set<string>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const item of computedItems) {
      if (done.has(item.fieldName) || selfRef.has(item.fieldName)) continue;
      if (!deps.get(item.fieldName)!.every((d) => done.has(d))) continue;
      const r = asNumber(evaluateFeel(item.expression!, out, feelOptions));
      if ('error' in r) {
        errors.push(dataError({ item }, E.ComputeFailed, `${item.expression}: ${r.error}`));
        out[item.fieldName] = null;
      } else {
        out[item.fieldName] =
          r.value === null || item.decimalPlaces === undefined
            ? r.value
            : roundDecimal(r.value, item.decimalPlaces);
      }
      done.add(item.fieldName);
      progress = true;
    }
  }
  for (const item of computedItems) {
    if (done.has(item.fieldName)) continue;
    errors.push(
      dataError(
        { item },
        E.ComputeCycle,
        selfRef.has(item.fieldName)
          ? 'the expression uses the item itself'
          : `the expression depends on itself through ${deps
              .get(item.fieldName)!
              .filter((d) => !done.has(d))
              .join(', ')}`,
      ),
    );
    out[item.fieldName] = null;
  }
  return { values: out, totals, errors };
}

/** True for an item users cannot write: computed numerics (and guide panels, which hold nothing). */
export function isComputed(item: DataItemDef): boolean {
  return item.type === 'numeric' && !!item.expression;
}
