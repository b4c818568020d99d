import { formatCsv } from '@nagare/engine';
import type { ProcessLogEntry } from './process-log-entry.js';

export const PROCESS_LOG_CSV_COLUMNS = [
  'at',
  'issue_id',
  'app_id',
  'ordinal',
  'kind',
  'step',
  'actor',
  'field',
  'before',
  'after',
  'detail',
] as const;

/**
 * The entries as CSV for spreadsheet programs: UTF-8 with a BOM, CRLF, one row per entry and,
 * for a data edit, one row per changed item (before/after as text, JSON for lists and objects).
 */
export function processLogCsv(entries: readonly ProcessLogEntry[]): string {
  const rows: string[][] = [[...PROCESS_LOG_CSV_COLUMNS]];
  for (const e of entries) {
    const base = [e.at, e.issueId, e.appId, String(e.ordinal), e.kind, e.step ?? '', e.actor ?? ''];
    if (e.changes && e.changes.length > 0) {
      for (const c of e.changes) rows.push([...base, c.field, text(c.before), text(c.after), e.detail ?? '']);
    } else {
      rows.push([...base, '', '', '', e.detail ?? '']);
    }
  }
  return formatCsv(rows, { bom: true });
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
