/**
 * CSV as RFC 4180 writes it (fields with a delimiter, quote or line break are quoted, quotes
 * doubled, CRLF between records) and reads it (quoted fields across lines, LF or CRLF, a
 * leading BOM dropped). Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@` first) get a leading `'` unless told otherwise.
 */

export interface CsvWriteOptions {
  readonly delimiter?: string;
  readonly bom?: boolean;
  readonly escapeFormulas?: boolean;
}

export function writeCsv(rows: readonly (readonly unknown[])[], options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const escapeFormulas = options.escapeFormulas ?? true;
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    let text =
      typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (escapeFormulas && typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const body = rows.map((row) => row.map(cell).join(delimiter)).join('\r\n');
  return `${options.bom ? '\uFEFF' : ''}${body}${rows.length > 0 ? '\r\n' : ''}`;
}

export type CsvParseResult =
  | { readonly ok: true; readonly rows: string[][] }
  | { readonly ok: false; readonly error: string };

export function parseCsv(input: string, delimiter = ','): CsvParseResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
          return { ok: false, error: `CSV line ${line}: text after a closing quote` };
        }
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) return { ok: false, error: `CSV line ${line}: a quoted field is not closed` };
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return { ok: true, rows };
}
