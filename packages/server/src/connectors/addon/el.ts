/**
 * `#{…}` in add-on config values with `el-enabled="true"`, expanded with the issue's data before
 * the script reads `configs.get(name)`, as the product's SpEL templates do for the forms its
 * manuals document (R2272): data items by field name (`#{#q_amount}`), the issue's facts
 * (`#{processInstanceId}`, `#{processInstanceTitle}`, `#{processInstanceStartDatetime}`,
 * `#{processInstanceInitQuserName}`, `#{processInstanceInitQuser?.getEmail()}`, …), getters on
 * users, organizations and choices (`?.getName()`, `.email`), `#{#dateFormatter.format('yyyy/MM/dd', #q_date)}`
 * and `#{#sformat('%06d', …)}`.
 *
 * This is a small parser and evaluator of exactly that grammar, not SpEL: nothing else runs.
 * Text outside `#{…}` is kept as written. An unknown data item, variable, method or function,
 * or text that does not parse, is an error naming the config.
 */
import type { DataItemSpec, DataValues } from '@nagare/engine';
import { offsetAt, readZone, type ZoneSpec } from '../../script/time-zone.js';

export interface ElContext {
  readonly issueId: string;
  readonly title: string | null;
  readonly startedAt: string;
  readonly starter?: { readonly id: string; readonly name: string | null; readonly email: string | null };
  readonly appId: string;
  readonly appName: string | null;
  readonly items: Readonly<Record<string, DataItemSpec>>;
  readonly data: DataValues;
  readonly zone: ZoneSpec;
}

/** A value while evaluating: text, a number, an instant, a date, a user-like record, a list. */
type Value =
  | null
  | string
  | number
  | { readonly kind: 'instant'; readonly ms: number; readonly show: string }
  | { readonly kind: 'date'; readonly ymd: string }
  | {
      readonly kind: 'record';
      readonly fields: Readonly<Record<string, string | null>>;
      readonly show: string;
    }
  | { readonly kind: 'list'; readonly values: readonly Value[] };

class ElError extends Error {}

/** Expands every `#{…}` of `text`; a string error names what is wrong. */
export function expandEl(
  text: string,
  ctx: ElContext,
): { ok: true; text: string } | { ok: false; error: string } {
  let out = '';
  let i = 0;
  try {
    while (i < text.length) {
      const at = text.indexOf('#{', i);
      if (at < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, at);
      const parser = new Parser(text, at + 2, ctx);
      const value = parser.expression();
      parser.skip();
      if (text[parser.pos] !== '}')
        throw new ElError(`expected } at ${parser.pos - at - 2} in #{${snippet(text, at)}`);
      out += show(value);
      i = parser.pos + 1;
    }
  } catch (e) {
    if (e instanceof ElError) return { ok: false, error: e.message };
    throw e;
  }
  return { ok: true, text: out };
}

function snippet(text: string, at: number): string {
  const end = text.indexOf('}', at);
  return end < 0 ? `${text.slice(at + 2, at + 40)}…` : text.slice(at + 2, end + 1);
}

class Parser {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
    readonly ctx: ElContext,
  ) {
    this.pos = start;
  }

  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  eat(s: string): boolean {
    this.skip();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  ident(): string {
    this.skip();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) throw new ElError(`a name was expected at "${this.text.slice(this.pos, this.pos + 20)}"`);
    this.pos += m[0].length;
    return m[0];
  }

  expression(): Value {
    let value = this.primary();
    for (;;) {
      const safe = this.eat('?.');
      if (!safe && !this.eat('.')) return value;
      const name = this.ident();
      const call = this.eat('(');
      if (call && !this.eat(')')) throw new ElError(`${name}() takes no arguments here`);
      if (value === null) {
        if (safe) continue;
        throw new ElError(`.${name} of an empty value (use ?.${name})`);
      }
      value = member(value, name);
    }
  }

  primary(): Value {
    this.skip();
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return this.string();
    if (c !== undefined && /[0-9-]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(this.text.slice(this.pos));
      if (!m) throw new ElError(`unexpected "${c}"`);
      this.pos += m[0].length;
      return Number(m[0]);
    }
    if (this.eat('#')) {
      const name = this.ident();
      if (name === 'dateFormatter') {
        if (!this.eat('.') || this.ident() !== 'format' || !this.eat('('))
          throw new ElError('#dateFormatter takes .format(pattern, date)');
        const args = this.args();
        return formatCall(args, this.ctx.zone);
      }
      if (name === 'sformat') {
        if (!this.eat('(')) throw new ElError('#sformat takes (format, values…)');
        return sformat(this.args());
      }
      return dataItem(name, this.ctx);
    }
    return variable(this.ident(), this.ctx);
  }

  args(): Value[] {
    const out: Value[] = [];
    if (this.eat(')')) return out;
    for (;;) {
      out.push(this.expression());
      if (this.eat(')')) return out;
      if (!this.eat(',')) throw new ElError('expected , or ) in the arguments');
    }
  }

  string(): string {
    const q = this.text[this.pos]!;
    let out = '';
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) throw new ElError('a quoted text is not closed');
      const c = this.text[this.pos++]!;
      if (c === q) {
        if (this.text[this.pos] === q) {
          out += q;
          this.pos++;
          continue;
        }
        return out;
      }
      out += c;
    }
  }
}

const VARIABLES = [
  'processInstanceId',
  'processInstanceTitle',
  'processInstanceStartDatetime',
  'processInstanceInitQuser',
  'processInstanceInitQuserId',
  'processInstanceInitQuserName',
  'processModelInfoId',
  'processModelInfoName',
];

function variable(name: string, ctx: ElContext): Value {
  switch (name) {
    case 'processInstanceId':
      return ctx.issueId;
    case 'processInstanceTitle':
      return ctx.title;
    case 'processInstanceStartDatetime': {
      const ms = Date.parse(ctx.startedAt);
      return { kind: 'instant', ms, show: javaFormat('yyyy-MM-dd HH:mm:ss', ms, ctx.zone) };
    }
    case 'processInstanceInitQuser':
      return ctx.starter ? record(ctx.starter) : null;
    case 'processInstanceInitQuserId':
      return ctx.starter?.id ?? null;
    case 'processInstanceInitQuserName':
      return ctx.starter?.name ?? null;
    case 'processModelInfoId':
      return ctx.appId;
    case 'processModelInfoName':
      return ctx.appName;
    default:
      throw new ElError(`unknown name ${name} (known: #fieldName, ${VARIABLES.join(', ')})`);
  }
}

function record(r: { id: string; name?: string | null; email?: string | null }): Value {
  return {
    kind: 'record',
    fields: { id: r.id, name: r.name ?? null, email: r.email ?? null, value: r.id, display: r.name ?? r.id },
    show: r.name ?? r.id,
  };
}

function dataItem(name: string, ctx: ElContext): Value {
  const declared = Object.keys(ctx.items).length > 0;
  const spec = ctx.items[name];
  if (declared && !spec) throw new ElError(`no data item "${name}" in this App`);
  if (!declared && !(name in ctx.data)) throw new ElError(`no data item "${name}" in this issue`);
  const v = ctx.data[name];
  if (v === null || v === undefined || v === '') return null;
  switch (spec?.valueType) {
    case 'numeric':
      return typeof v === 'number' ? v : String(v);
    case 'date':
      return { kind: 'date', ymd: String(v).slice(0, 10) };
    case 'datetime': {
      const ms = Date.parse(String(v));
      return { kind: 'instant', ms, show: javaFormat('yyyy-MM-dd HH:mm', ms, ctx.zone) };
    }
    case 'select': {
      const ids = Array.isArray(v) ? v : [v];
      return { kind: 'list', values: ids.map((id) => record({ id: String(id), name: String(id) })) };
    }
    case 'user':
    case 'organization':
      return typeof v === 'object' ? record(v as { id: string; name?: string; email?: string }) : String(v);
    case 'file':
      return { kind: 'list', values: (v as { name?: string }[]).map((f) => String(f?.name ?? '')) };
    case 'table':
      throw new ElError(`data item "${name}" is a table: it cannot be written into text`);
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

const GETTERS: Readonly<Record<string, string>> = {
  getId: 'id',
  id: 'id',
  getName: 'name',
  name: 'name',
  getEmail: 'email',
  email: 'email',
  getValue: 'value',
  value: 'value',
  getDisplay: 'display',
  display: 'display',
};

function member(value: Exclude<Value, null>, name: string): Value {
  if (name === 'toString') return show(value);
  if (typeof value === 'object' && value.kind === 'list') {
    if (name === 'size') return value.values.length;
    // a single choice answers as its item (`#q_select.getValue()` in one-choice selects)
    if (value.values.length === 1 && value.values[0] !== null) return member(value.values[0]!, name);
    if (value.values.length === 0) return null;
  }
  if (typeof value === 'object' && value.kind === 'record') {
    const field = GETTERS[name];
    if (field !== undefined) return value.fields[field] ?? null;
  }
  if (typeof value === 'object' && value.kind === 'instant' && (name === 'getTime' || name === 'time'))
    return value.ms;
  throw new ElError(`.${name} is not available here`);
}

function show(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  switch (value.kind) {
    case 'instant':
    case 'record':
      return value.show;
    case 'date':
      return value.ymd;
    case 'list':
      return value.values.map(show).join(', ');
  }
}

function formatCall(args: Value[], zone: ZoneSpec): Value {
  if (args.length !== 2 && args.length !== 3)
    throw new ElError('#dateFormatter.format takes (pattern, date) or (zone, pattern, date)');
  const [zoneArg, pattern, date] = args.length === 3 ? args : [undefined, args[0], args[1]];
  if (typeof pattern !== 'string')
    throw new ElError('#dateFormatter.format: the pattern must be quoted text');
  if (date === null) return null;
  let z = zone;
  if (zoneArg !== undefined) {
    if (typeof zoneArg !== 'string') throw new ElError('#dateFormatter.format: the zone must be quoted text');
    const read = readZone(zoneArg);
    if (typeof read === 'string') throw new ElError(`#dateFormatter.format: unknown time zone ${zoneArg}`);
    z = read.zone;
  }
  if (typeof date === 'object' && date.kind === 'instant') return javaFormat(pattern, date.ms, z);
  if (typeof date === 'object' && date.kind === 'date')
    return javaFormat(pattern, Date.parse(`${date.ymd}T00:00:00Z`), 0);
  throw new ElError('#dateFormatter.format: the value is not a date or datetime');
}

/** Java's String.format for the conversions templates use: %s, %d (width, 0, ,), %f (precision), %%. */
function sformat(args: Value[]): string {
  const [format, ...rest] = args;
  if (typeof format !== 'string') throw new ElError('#sformat: the format must be quoted text');
  let n = 0;
  return format.replace(/%([-0,]*)(\d+)?(?:\.(\d+))?([sdf%n])/g, (_all, flags: string, width, prec, conv) => {
    if (conv === '%') return '%';
    if (conv === 'n') return '\n';
    if (n >= rest.length) throw new ElError(`#sformat: "${format}" wants more values`);
    const v = rest[n++] ?? null;
    let s: string;
    if (conv === 's') s = show(v);
    else {
      const num = typeof v === 'number' ? v : Number(show(v));
      if (!Number.isFinite(num) || (conv === 'd' && !Number.isInteger(num)))
        throw new ElError(`#sformat: %${conv} needs a number, got "${show(v)}"`);
      s = conv === 'd' ? String(Math.abs(num)) : Math.abs(num).toFixed(prec === undefined ? 6 : Number(prec));
      if (flags.includes(',')) {
        const [int, frac] = s.split('.');
        s = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac === undefined ? '' : `.${frac}`);
      }
      const w = width === undefined ? 0 : Number(width);
      if (flags.includes('0')) s = s.padStart(w - (num < 0 ? 1 : 0), '0');
      if (num < 0) s = `-${s}`;
    }
    const w = width === undefined ? 0 : Number(width);
    return flags.includes('-') ? s.padEnd(w) : s.padStart(w);
  });
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Java SimpleDateFormat patterns (the letters templates use) for an instant seen in `zone`. */
export function javaFormat(pattern: string, ms: number, zone: ZoneSpec): string {
  const off = offsetAt(zone, ms);
  const d = new Date(ms + off * 60_000);
  const pad = (n: number, w: number) => String(Math.abs(n)).padStart(w, '0');
  const f = {
    y: d.getUTCFullYear(),
    M: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    H: d.getUTCHours(),
    m: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    S: d.getUTCMilliseconds(),
    E: d.getUTCDay(),
  };
  const zoneText = (colon: boolean) =>
    `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60), 2)}${colon ? ':' : ''}${pad(Math.abs(off) % 60, 2)}`;
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const j = pattern.indexOf("'", i + 1);
      if (j === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      out += pattern.slice(i + 1, j < 0 ? pattern.length : j);
      i = j < 0 ? pattern.length : j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case 'y':
      case 'u':
        out += n === 2 ? pad(f.y % 100, 2) : pad(f.y, n);
        break;
      case 'M':
        out += n >= 4 ? MONTHS[f.M - 1] : n === 3 ? MONTHS[f.M - 1]!.slice(0, 3) : pad(f.M, n);
        break;
      case 'd':
        out += pad(f.d, n);
        break;
      case 'H':
        out += pad(f.H, n);
        break;
      case 'h':
        out += pad(f.H % 12 === 0 ? 12 : f.H % 12, n);
        break;
      case 'a':
        out += f.H < 12 ? 'AM' : 'PM';
        break;
      case 'm':
        out += pad(f.m, n);
        break;
      case 's':
        out += pad(f.s, n);
        break;
      case 'S':
        out += pad(f.S, 3).slice(0, n).padEnd(n, '0');
        break;
      case 'E':
        out += n >= 4 ? DAYS_LONG[f.E] : DAYS[f.E];
        break;
      case 'Z':
        out += zoneText(false);
        break;
      case 'X':
      case 'x':
        out += c === 'X' && off === 0 ? 'Z' : zoneText(n >= 3);
        break;
      case 'z':
        out += off === 0 ? 'GMT' : `GMT${zoneText(true)}`;
        break;
      default:
        throw new ElError(`#dateFormatter.format: pattern letter '${c}' is not supported`);
    }
  }
  return out;
}
