/**
 * `nagare:condition` rows on a sequence flow → FEEL text, through the expr layer.
 */
import { compileConditionRows } from '../expr/condition-rows.js';
import type { DataItemTypes } from '../expr/feel-values.js';
import type { ModdleLike } from './parse.js';

export type RowsResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly error: string };

function list(v: unknown): ModdleLike[] {
  return Array.isArray(v) ? (v as ModdleLike[]) : [];
}

export function conditionRowsFeel(condition: ModdleLike, types: DataItemTypes | undefined): RowsResult {
  if (!types) return { ok: false, error: 'condition rows need the process data items (nagare:dataItems)' };
  const rows = list(condition.rows).map((r) => ({
    terms: list(r.terms).map((t) => {
      const term: { item: string; op: string; value?: string; otherItem?: string } = {
        item: String(t.item ?? ''),
        op: String(t.op ?? ''),
      };
      if (typeof t.value === 'string') term.value = t.value;
      if (typeof t.otherItem === 'string') term.otherItem = t.otherItem;
      return term;
    }),
  }));
  return compileConditionRows(rows, types);
}
