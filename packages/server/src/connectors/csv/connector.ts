import type { DataValues } from '@nagare/engine';
import type { FileStore } from '../../files/file-store.js';
import type { Connector, ConnectorResult, JobIssue, JobRun } from '../connector.js';
import { isFileRef } from '../http/connector.js';
import { badConfig, type Failure, thrownFailure } from '../http/outcome.js';
import { formatValue, renderTemplate } from '../http/template.js';
import { type CsvConfig, readCsvConfig } from './config.js';
import { parseCsv, writeCsv } from './csv-format.js';
import type { IssueSource } from './issue-list.js';

export interface CsvConnectorOptions {
  readonly fileStore?: FileStore;
  /** For `issuesToCsv`: the App's issues (storeIssueSource over the store). */
  readonly issues?: IssueSource;
}

/** At most this many rows go into a table item from one CSV. */
const MAX_TABLE_ROWS = 10_000;

/**
 * Converts between CSV files and data: a table item or the App's issues into a CSV file item
 * (UTF-8, optionally with a BOM), or a CSV file item into a table item.
 */
export function csvConnector(options: CsvConnectorOptions = {}): Connector {
  return {
    type: 'csv',
    async run(job: JobRun): Promise<ConnectorResult> {
      const read = readCsvConfig(job.automation.configs);
      if (!read.ok) return badConfig(read.error);
      const config = read.config;
      if (!options.fileStore) return badConfig('this server has no file store for CSV files');
      const issue = await job.issue();
      const declared = Object.keys(issue.app.dataItems).length > 0;
      for (const [name, type] of [
        [config.tableItem, 'table'],
        [config.fileItem, 'file'],
      ] as const) {
        if (name && declared && issue.app.dataItems[name]?.valueType !== type) {
          return badConfig(`config "${type}Item": ${name} is not a ${type} data item of the app`);
        }
      }
      if (config.mode === 'csvToTable') return csvToTable(config, job, issue, options.fileStore);
      let rows: unknown[][];
      if (config.mode === 'tableToCsv') {
        const table = issue.data[config.tableItem!];
        const list = Array.isArray(table) ? (table as Record<string, unknown>[]) : [];
        const columns =
          config.columns.length > 0
            ? config.columns
            : [...new Set(list.flatMap((r) => Object.keys(r ?? {})))];
        rows = list.map((r) => columns.map((c) => r?.[c] ?? null));
        if (config.header) rows.unshift([...columns]);
      } else {
        if (!options.issues) return badConfig('this server cannot list issues for CSV');
        const issues = await options.issues(job.workspaceId, issue.appId, config.limit);
        const items = Object.keys(issue.app.dataItems);
        const columns =
          config.columns.length > 0 ? config.columns : ['id', 'status', 'startedAt', 'endedAt', ...items];
        rows = issues.map((i) =>
          columns.map((c) => {
            const own = (i as unknown as Record<string, unknown>)[c];
            return c in i && c !== 'data' ? own : formatValue(i.data[c]);
          }),
        );
        if (config.header) rows.unshift([...columns]);
      }
      const csv = writeCsv(rows, {
        delimiter: config.delimiter,
        bom: config.bom,
        escapeFormulas: config.escapeFormulas,
      });
      const name = renderTemplate(config.fileName, issue);
      if (!name.ok) return badConfig(`config "fileName": ${name.error}`);
      try {
        const stored = await options.fileStore.put(job.workspaceId, {
          name: name.text.replace(/[\\/\0\r\n]/g, '_') || 'data.csv',
          contentType: 'text/csv; charset=utf-8',
          bytes: new TextEncoder().encode(csv),
        });
        const ref = { id: stored.id, name: stored.name, contentType: stored.contentType, size: stored.size };
        return { ok: true, data: { [config.fileItem]: [ref] } as DataValues };
      } catch (error) {
        return thrownFailure(error, 'storing the CSV');
      }
    },
  };
}

async function csvToTable(
  config: CsvConfig,
  job: JobRun,
  issue: JobIssue,
  fileStore: FileStore,
): Promise<ConnectorResult> {
  const refs = issue.data[config.fileItem];
  if (!Array.isArray(refs) || refs.length === 0 || !refs.every(isFileRef)) {
    return badConfig(`config "fileItem": ${config.fileItem} holds no file to read`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await fileStore.read(job.workspaceId, refs[0]!.id);
  } catch (error) {
    return thrownFailure(error, `file ${refs[0]!.name}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bad(`${refs[0]!.name} is not UTF-8 text`);
  }
  const parsed = parseCsv(text, config.delimiter);
  if (!parsed.ok) return bad(`${refs[0]!.name}: ${parsed.error}`);
  const records = parsed.rows.filter((r) => !(r.length === 1 && r[0] === ''));
  const names = config.header ? (records.shift() ?? []).map((h) => h.trim()) : [...config.columns];
  const keep = config.columns.length > 0 ? config.columns : names;
  for (const c of keep) {
    if (!names.includes(c))
      return bad(`${refs[0]!.name}: no column "${c}" (the header has ${names.join(', ')})`);
  }
  if (records.length > MAX_TABLE_ROWS)
    return bad(`${refs[0]!.name}: ${records.length} rows, more than ${MAX_TABLE_ROWS}`);
  const table: Record<string, unknown>[] = [];
  for (const [n, record] of records.entries()) {
    const row: Record<string, unknown> = {};
    for (const c of keep) {
      const cell = record[names.indexOf(c)] ?? '';
      if (config.numericColumns.includes(c) && cell.trim() !== '') {
        const value = Number(cell.trim().replace(/,/g, ''));
        if (!Number.isFinite(value)) {
          return bad(`${refs[0]!.name}, row ${n + 1}, column ${c}: "${cell}" is not a number`);
        }
        row[c] = value;
      } else row[c] = cell === '' ? null : cell;
    }
    table.push(row);
  }
  return { ok: true, data: { [config.tableItem!]: table } as DataValues };
}

function bad(message: string): Failure {
  return { ok: false, error: { code: 'BAD_CSV', message }, retryable: false };
}
