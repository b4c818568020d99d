/**
 * A small RFC 4180 CSV reader and writer: quoted fields with embedded commas, quotes (`""`)
 * and line breaks; CRLF, LF or CR line ends; a leading UTF-8 BOM is skipped. Each record
 * carries the (1-based) line it starts on, for error messages. Blank lines are skipped.
 */

export interface CsvRecord {
  /** The physical line the record starts on (1-based). */
  readonly line: number;
  readonly fields: readonly string[];
}

export type CsvParse =
  | { readonly ok: true; readonly records: readonly CsvRecord[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

export function parseCsv(text: string): CsvParse {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  let i = 0;
  const n = src.length;
  const endRecord = (): void => {
    fields.push(field);
    field = '';
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  let atFieldStart = true;
  while (i < n) {
    const c = src[i]!;
    if (atFieldStart && c === '"') {
      // quoted field
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= n) return { ok: false, line: quoteLine, message: 'a quoted field is not closed' };
        const q = src[i]!;
        if (q === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\r' || q === '\n') {
          if (q === '\r' && src[i + 1] === '\n') {
            field += '\r\n';
            i += 2;
          } else {
            field += q;
            i++;
          }
          line++;
          continue;
        }
        field += q;
        i++;
      }
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        return { ok: false, line, message: `unexpected ${JSON.stringify(next)} after a closing quote` };
      }
      atFieldStart = false;
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      atFieldStart = true;
      continue;
    }
    field += c;
    atFieldStart = false;
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { ok: true, records };
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) || /^\s|\s$/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export interface FormatCsvOptions {
  /** Line end (default CRLF, as RFC 4180 and spreadsheets expect). */
  readonly eol?: '\r\n' | '\n';
  /** Start with a UTF-8 BOM so that spreadsheet programs read the file as UTF-8 (default false). */
  readonly bom?: boolean;
}

/** CSV text of `rows`, quoting fields that need it; ends with a line end. */
export function formatCsv(rows: readonly (readonly string[])[], options: FormatCsvOptions = {}): string {
  const eol = options.eol ?? '\r\n';
  const body = rows.map((r) => r.map(quote).join(',')).join(eol);
  return `${options.bom ? '\uFEFF' : ''}${body}${eol}`;
}
