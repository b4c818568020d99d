/**
 * The CSV step's configs (`nagare:automation type="csv"`). Text configs may carry data items.
 *
 * | name             | meaning                                                                   |
 * | ---------------- | ------------------------------------------------------------------------- |
 * | `mode`           | required: `tableToCsv`, `issuesToCsv` (the App's issues), `csvToTable`    |
 * | `tableItem`      | the table data item (tableToCsv, csvToTable)                              |
 * | `fileItem`       | the file data item: receives the CSV, or holds it (csvToTable)            |
 * | `fileName`       | default `data.csv`                                                        |
 * | `columns`        | column field names, comma separated: which columns and in what order; csvToTable without a header row: the names of the CSV's columns |
 * | `numericColumns` | csvToTable: columns whose cells become numbers                            |
 * | `header`         | `true` (default): a header row is written / expected                       |
 * | `bom`            | `true`: the file starts with a UTF-8 BOM (for Excel); default false        |
 * | `delimiter`      | `,` (default), `;` or `tab`                                               |
 * | `escapeFormulas` | `true` (default): text starting with = + - @ gets a leading `'`          |
 * | `limit`          | issuesToCsv: at most this many issues (default 10000, newest first)       |
 */
import { splitList } from '../mail/config.js';

export const CSV_MODES = ['tableToCsv', 'issuesToCsv', 'csvToTable'] as const;

export interface CsvConfig {
  readonly mode: (typeof CSV_MODES)[number];
  readonly tableItem: string | undefined;
  readonly fileItem: string;
  readonly fileName: string;
  readonly columns: readonly string[];
  readonly numericColumns: readonly string[];
  readonly header: boolean;
  readonly bom: boolean;
  readonly delimiter: string;
  readonly escapeFormulas: boolean;
  readonly limit: number;
}

export type CsvConfigResult =
  | { readonly ok: true; readonly config: CsvConfig }
  | { readonly ok: false; readonly error: string };

function flag(configs: Readonly<Record<string, string>>, name: string, fallback: boolean): boolean | string {
  const text = configs[name]?.trim().toLowerCase();
  if (!text) return fallback;
  if (text === 'true') return true;
  if (text === 'false') return false;
  return `config "${name}" must be true or false, got "${configs[name]}"`;
}

export function readCsvConfig(configs: Readonly<Record<string, string>>): CsvConfigResult {
  const mode = configs.mode?.trim() as CsvConfig['mode'];
  if (!CSV_MODES.includes(mode)) {
    return {
      ok: false,
      error: `config "mode" must be one of ${CSV_MODES.join(', ')}, got "${configs.mode ?? ''}"`,
    };
  }
  const tableItem = configs.tableItem?.trim() || undefined;
  if (mode !== 'issuesToCsv' && !tableItem)
    return { ok: false, error: `config "tableItem" is required for ${mode}` };
  const fileItem = configs.fileItem?.trim() ?? '';
  if (fileItem === '') return { ok: false, error: 'config "fileItem" is required' };
  const header = flag(configs, 'header', true);
  const bom = flag(configs, 'bom', false);
  const escapeFormulas = flag(configs, 'escapeFormulas', true);
  for (const f of [header, bom, escapeFormulas]) if (typeof f === 'string') return { ok: false, error: f };
  const d = configs.delimiter ?? ',';
  const delimiter = d === 'tab' || d === '\t' ? '\t' : d;
  if (![',', ';', '\t'].includes(delimiter)) {
    return { ok: false, error: `config "delimiter" must be ",", ";" or tab, got "${d}"` };
  }
  const limitText = configs.limit?.trim();
  const limit = limitText ? Number(limitText) : 10_000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    return { ok: false, error: `config "limit" must be a whole number from 1 to 100000, got "${limitText}"` };
  }
  const columns = splitList(configs.columns);
  if (mode === 'csvToTable' && header === false && columns.length === 0) {
    return { ok: false, error: 'config "columns" is required for csvToTable when the CSV has no header row' };
  }
  return {
    ok: true,
    config: {
      mode,
      tableItem,
      fileItem,
      fileName: configs.fileName?.trim() || 'data.csv',
      columns,
      numericColumns: splitList(configs.numericColumns),
      header: header as boolean,
      bom: bom as boolean,
      delimiter,
      escapeFormulas: escapeFormulas as boolean,
      limit,
    },
  };
}
