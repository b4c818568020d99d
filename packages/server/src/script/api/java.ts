/**
 * The Java classes scripts written for the product use (GraalJS exposes them there), rebuilt
 * in plain JavaScript inside the sandbox: `java.util.ArrayList` (a real array underneath, so
 * `list[0]`, `length` and `for…of` work as GraalJS allows), `java.math.BigDecimal` (decimal
 * text, exact for what scripts do: parse, compare, add, scale), `java.sql.Timestamp` / `Date`,
 * the product's `AddableTimestamp` / `AddableDate`, `java.text.SimpleDateFormat`, `Locale`
 * and `NewQfile`. Wall-clock conversions use the engine's time zone (`__tz(ms)`: the offset at that instant).
 */
export const JAVA_SOURCE = String.raw`
'use strict';
const __pad = (n, w) => String(Math.abs(n)).padStart(w || 2, '0');
/** The offset of a zone (undefined: the engine's; a number: fixed minutes; a string: an IANA name) at an instant. */
function __offAt(zone, ms) {
  if (zone === undefined) return __tz(ms);
  return typeof zone === 'number' ? zone : __offsetIn(zone, ms);
}
/** Fields of an instant seen in the engine's time zone (or the given one). */
function __fields(ms, zone) {
  const off = __offAt(zone, ms);
  const d = new Date(ms + off * 60000);
  return { y: d.getUTCFullYear(), M: d.getUTCMonth() + 1, d: d.getUTCDate(), H: d.getUTCHours(),
    m: d.getUTCMinutes(), s: d.getUTCSeconds(), S: d.getUTCMilliseconds(), E: d.getUTCDay(), off };
}
function __fromFields(y, M, d, H, m, s, S, zone) {
  const wall = Date.UTC(y, M - 1, d, H || 0, m || 0, s || 0, S || 0);
  const guess = wall - __offAt(zone, wall) * 60000;
  return wall - __offAt(zone, guess) * 60000;
}

class ArrayList extends Array {
  static get [Symbol.species]() { return Array; }
  constructor(init) {
    super();
    if (init !== undefined && init !== null && typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
      for (const x of init) this.push(x);
    }
  }
  add(a, b) { if (b === undefined) { this.push(a); return true; } this.splice(a, 0, b); }
  addAll(a, b) {
    if (b === undefined) { for (const x of a) this.push(x); return true; }
    this.splice(a, 0, ...Array.from(b));
    return true;
  }
  get(i) { __checkIndex(this, i); return this[i]; }
  set(i, v) { __checkIndex(this, i); const old = this[i]; this[i] = v; return old; }
  size() { return this.length; }
  isEmpty() { return this.length === 0; }
  clear() { this.length = 0; }
  contains(x) { return this.some((y) => __equals(x, y)); }
  remove(x) {
    if (typeof x === 'number') { __checkIndex(this, x); return this.splice(x, 1)[0]; }
    const i = this.findIndex((y) => __equals(x, y));
    if (i < 0) return false;
    this.splice(i, 1);
    return true;
  }
  toArray() { return Array.from(this); }
  iterator() { let i = 0; const self = this; return { hasNext: () => i < self.length, next: () => self[i++] }; }
  stream() { return Array.from(this); }
  equals(o) { return __deepEqual(Array.from(this), o && typeof o.length === 'number' ? Array.from(o) : o); }
  toString() { return '[' + this.map((x) => String(x)).join(', ') + ']'; }
}
function __checkIndex(list, i) {
  if (typeof i !== 'number' || i < 0 || i >= list.length)
    throw new Error('Index ' + i + ' out of bounds for length ' + list.length);
}

const __DEC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
class BigDecimal {
  constructor(v) {
    let s;
    if (v instanceof BigDecimal) s = v.__s;
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error('NumberFormatException: ' + v);
      s = String(v);
      if (/e/i.test(s)) s = v.toFixed(20).replace(/\.?0+$/, '');
    } else s = String(v).trim();
    if (!__DEC.test(s)) throw new Error('NumberFormatException: Character array is missing "exponent" mark \'e\' or \'E\'. (' + v + ')');
    if (/e/i.test(s)) s = Number(s).toString();
    this.__s = s.replace(/^\+/, '');
  }
  static valueOf(v, scale) {
    if (scale !== undefined) return new BigDecimal(Number(v) / Math.pow(10, scale)).setScale(scale);
    return new BigDecimal(typeof v === 'number' && Number.isInteger(v) ? String(v) : v);
  }
  __n() { return Number(this.__s); }
  scale() { const i = this.__s.indexOf('.'); return i < 0 ? 0 : this.__s.length - i - 1; }
  precision() { return this.__s.replace(/^-/, '').replace('.', '').replace(/^0+(?=\d)/, '').length; }
  signum() { const n = this.__n(); return n > 0 ? 1 : n < 0 ? -1 : 0; }
  setScale(scale, mode) {
    const n = this.__n();
    const f = Math.pow(10, scale);
    let r = n * f;
    const down = mode === 1 || mode === 'DOWN';
    r = down ? Math.trunc(r) : Math.sign(r) * Math.round(Math.abs(r));
    if (mode === undefined && Math.abs(r - n * f) > 1e-9 && this.scale() > scale) throw new Error('ArithmeticException: Rounding necessary');
    return new BigDecimal((r / f).toFixed(scale));
  }
  stripTrailingZeros() { return new BigDecimal(this.__s.includes('.') ? this.__s.replace(/\.?0+$/, '') : this.__s); }
  add(o) { return __decOp(this, o, (a, b) => a + b, Math.max(this.scale(), new BigDecimal(o).scale())); }
  subtract(o) { return __decOp(this, o, (a, b) => a - b, Math.max(this.scale(), new BigDecimal(o).scale())); }
  multiply(o) { return __decOp(this, o, (a, b) => a * b, this.scale() + new BigDecimal(o).scale()); }
  divide(o, scale) {
    const r = this.__n() / new BigDecimal(o).__n();
    if (!Number.isFinite(r)) throw new Error('ArithmeticException: Division by zero');
    return new BigDecimal(typeof scale === 'number' ? r.toFixed(scale) : String(r));
  }
  negate() { return new BigDecimal(this.__s.startsWith('-') ? this.__s.slice(1) : '-' + this.__s); }
  abs() { return new BigDecimal(this.__s.replace(/^-/, '')); }
  compareTo(o) { const a = this.__n(); const b = new BigDecimal(o).__n(); return a < b ? -1 : a > b ? 1 : 0; }
  equals(o) { return o instanceof BigDecimal && o.__s === this.__s; }
  longValue() { return Math.trunc(this.__n()); }
  intValue() { return Math.trunc(this.__n()) | 0; }
  longValueExact() {
    if (!/^-?\d+(\.0*)?$/.test(this.__s)) throw new Error('ArithmeticException: Rounding necessary');
    const n = Math.trunc(this.__n());
    if (!Number.isSafeInteger(n)) throw new Error('ArithmeticException: Overflow');
    return n;
  }
  intValueExact() { const n = this.longValueExact(); if (n > 2147483647 || n < -2147483648) throw new Error('ArithmeticException: Overflow'); return n; }
  doubleValue() { return this.__n(); }
  floatValue() { return this.__n(); }
  toPlainString() { return this.__s; }
  toString() { return this.__s; }
  valueOf() { return this.__n(); }
  toJSON() { return this.__s; }
}
BigDecimal.ZERO = new BigDecimal('0');
BigDecimal.ONE = new BigDecimal('1');
BigDecimal.TEN = new BigDecimal('10');
BigDecimal.ROUND_DOWN = 1;
BigDecimal.ROUND_HALF_UP = 4;
function __decOp(a, b, op, scale) {
  const r = op(a.__n(), new BigDecimal(b).__n());
  return new BigDecimal(r.toFixed(Math.min(scale, 20)));
}

class Timestamp {
  constructor(ms) { this.__ms = typeof ms === 'number' ? ms : ms && typeof ms.getTime === 'function' ? ms.getTime() : Date.now(); }
  static valueOf(s) {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(String(s));
    if (!m) throw new Error('IllegalArgumentException: Timestamp format must be yyyy-mm-dd hh:mm:ss[.fffffffff]');
    return new this(__fromFields(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], m[7] ? +m[7].padEnd(3, '0').slice(0, 3) : 0));
  }
  getTime() { return this.__ms; }
  equals(o) { return o !== null && typeof o === 'object' && typeof o.getTime === 'function' && o.getTime() === this.__ms; }
  before(o) { return this.__ms < o.getTime(); }
  after(o) { return this.__ms > o.getTime(); }
  compareTo(o) { return Math.sign(this.__ms - o.getTime()); }
  toString() {
    const f = __fields(this.__ms);
    return f.y + '-' + __pad(f.M) + '-' + __pad(f.d) + ' ' + __pad(f.H) + ':' + __pad(f.m) + ':' + __pad(f.s) + '.' + (f.S === 0 ? '0' : __pad(f.S, 3).replace(/0+$/, ''));
  }
  toJSON() { return new Date(this.__ms).toISOString(); }
  valueOf() { return this.__ms; }
}
class AddableTimestamp extends Timestamp {
  __add(field, n) {
    const f = __fields(this.__ms);
    const v = { y: f.y, M: f.M, d: f.d, H: f.H, m: f.m, s: f.s, S: f.S };
    v[field] += n;
    if (field === 'M' || field === 'y') {
      const last = new Date(Date.UTC(v.y, v.M, 0)).getUTCDate();
      if (v.d > last) v.d = last;
    }
    return new this.constructor(__fromFields(v.y, v.M, v.d, v.H, v.m, v.s, v.S));
  }
  addYears(n) { return this.__add('y', n); }
  addMonths(n) { return this.__add('M', n); }
  addDays(n) { return this.__add('d', n); }
  addHours(n) { return new this.constructor(this.__ms + n * 3600000); }
  addMinutes(n) { return new this.constructor(this.__ms + n * 60000); }
  addSeconds(n) { return new this.constructor(this.__ms + n * 1000); }
  addMilliseconds(n) { return new this.constructor(this.__ms + n); }
  getFirstTimeInDate() { const f = __fields(this.__ms); return new this.constructor(__fromFields(f.y, f.M, f.d, 0, 0, 0, 0)); }
  getLastTimeInDate() { return this.getFirstTimeInDate().addDays(1).addMilliseconds(-1); }
  getFirstTimeInMonth() { const f = __fields(this.__ms); return new this.constructor(__fromFields(f.y, f.M, 1, 0, 0, 0, 0)); }
}
class SqlDate extends Timestamp {
  static valueOf(s) {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(String(s));
    if (!m) throw new Error('IllegalArgumentException');
    return new this(__fromFields(+m[1], +m[2], +m[3], 0, 0, 0, 0));
  }
  toString() { const f = __fields(this.__ms); return f.y + '-' + __pad(f.M) + '-' + __pad(f.d); }
}
class AddableDate extends SqlDate {}
for (const k of ['__add', 'addYears', 'addMonths', 'addDays', 'getFirstTimeInMonth']) AddableDate.prototype[k] = AddableTimestamp.prototype[k];
AddableDate.prototype.getFirstDateInMonth = AddableTimestamp.prototype.getFirstTimeInMonth;

class Locale {
  constructor(language, country, variant) { this.language = language || ''; this.country = country || ''; this.variant = variant || ''; }
  toString() { return [this.language, this.country, this.variant].filter((x) => x).join('_'); }
}
Locale.JAPAN = new Locale('ja', 'JP');
Locale.JAPANESE = new Locale('ja');
Locale.US = new Locale('en', 'US');
Locale.ENGLISH = new Locale('en');
Locale.ROOT = new Locale('');

const __ERAS = [
  { start: Date.UTC(2019, 4, 1), name: '令和', short: 'R' },
  { start: Date.UTC(1989, 0, 8), name: '平成', short: 'H' },
  { start: Date.UTC(1926, 11, 25), name: '昭和', short: 'S' },
  { start: Date.UTC(1912, 6, 30), name: '大正', short: 'T' },
  { start: Date.UTC(1873, 0, 1), name: '明治', short: 'M' },
];
const __DAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const __DAYS_JA = ['日', '月', '火', '水', '木', '金', '土'];
const __MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Java-style pattern formatting: letters are fields, quoted text is literal. */
function __formatPattern(pattern, ms, offsetMin, locale) {
  const f = __fields(ms, offsetMin);
  const imperial = locale && locale.variant === 'JP';
  const ja = locale && locale.language === 'ja';
  let era = null;
  let eraYear = f.y;
  if (imperial) {
    const local = Date.UTC(f.y, f.M - 1, f.d);
    era = __ERAS.find((e) => local >= e.start) || __ERAS[__ERAS.length - 1];
    eraYear = f.y - new Date(era.start).getUTCFullYear() + 1;
  }
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const j = pattern.indexOf("'", i + 1);
      if (j === i + 1) { out += "'"; i += 2; continue; }
      out += pattern.slice(i + 1, j < 0 ? pattern.length : j);
      i = j < 0 ? pattern.length : j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) { out += c; i++; continue; }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case 'G': out += era ? (n >= 4 ? era.name : era.short) : f.y > 0 ? 'AD' : 'BC'; break;
      case 'y': case 'u': {
        const y = era ? eraYear : f.y;
        if (era && y === 1 && n >= 4 && ja) out += '元';
        else if (era) out += String(y);
        else out += n === 2 ? __pad(y % 100, 2) : __pad(y, n);
        break;
      }
      case 'M': out += n >= 4 ? __MONTHS_EN[f.M - 1] : n === 3 ? __MONTHS_EN[f.M - 1].slice(0, 3) : __pad(f.M, n); break;
      case 'd': out += __pad(f.d, n); break;
      case 'H': out += __pad(f.H, n); break;
      case 'h': out += __pad(f.H % 12 === 0 ? 12 : f.H % 12, n); break;
      case 'a': out += f.H < 12 ? (ja ? '午前' : 'AM') : ja ? '午後' : 'PM'; break;
      case 'm': out += __pad(f.m, n); break;
      case 's': out += __pad(f.s, n); break;
      case 'S': out += __pad(f.S, 3).slice(0, n).padEnd(n, '0'); break;
      case 'E': out += ja ? __DAYS_JA[f.E] : n >= 4 ? __DAYS_EN[f.E] : __DAYS_EN[f.E].slice(0, 3); break;
      case 'X': case 'Z': case 'x': {
        if (c === 'X' && f.off === 0) { out += 'Z'; break; }
        const sign = f.off < 0 ? '-' : '+';
        const hh = __pad(Math.floor(Math.abs(f.off) / 60));
        const mm = __pad(Math.abs(f.off) % 60);
        out += c === 'Z' || n === 2 ? sign + hh + mm : n === 1 ? sign + hh + (mm === '00' ? '' : mm) : sign + hh + ':' + mm;
        break;
      }
      case 'z': out += 'GMT' + (f.off === 0 ? '' : (f.off < 0 ? '-' : '+') + __pad(Math.floor(Math.abs(f.off) / 60)) + ':' + __pad(Math.abs(f.off) % 60)); break;
      default: throw new Error('IllegalArgumentException: Illegal pattern character \'' + c + '\'');
    }
  }
  return out;
}

/** Java-style pattern parsing for the numeric fields and zone letters scripts use. */
function __parsePattern(pattern, text, offsetMin) {
  const v = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  let zone;
  let i = 0;
  let p = 0;
  const fail = () => { throw new Error('ParseException: Unparseable date: "' + text + '"'); };
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const j = pattern.indexOf("'", i + 1);
      const lit = pattern.slice(i + 1, j);
      if (text.slice(p, p + lit.length) !== lit) fail();
      p += lit.length;
      i = j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) { if (text[p] !== c) fail(); p++; i++; continue; }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    if (c === 'X' || c === 'Z' || c === 'x') {
      const m = /^(Z|[+-]\d{2}(?::?\d{2})?)/.exec(text.slice(p));
      if (!m) fail();
      p += m[0].length;
      if (m[0] === 'Z') zone = 0;
      else {
        const digits = m[0].replace(':', '');
        zone = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
      }
      continue;
    }
    const next = pattern[i];
    const width = next !== undefined && /[A-Za-z]/.test(next) ? n : undefined;
    const m = (width ? new RegExp('^\\d{1,' + width + '}') : /^\d+/).exec(text.slice(p));
    if (!m) fail();
    p += m[0].length;
    const num = Number(m[0]);
    const key = { y: 'y', u: 'y', M: 'M', d: 'd', H: 'H', m: 'm', s: 's', S: 'S' }[c];
    if (!key) fail();
    v[key] = num;
  }
  if (p !== text.length) fail();
  return __fromFields(v.y, v.M, v.d, v.H, v.m, v.s, v.S, zone === undefined ? offsetMin : zone);
}

/** A zone as scripts name it: a fixed offset in minutes, or an IANA name (checked). */
function __zoneOffset(tz) {
  if (tz === undefined || tz === null) return undefined;
  if (typeof tz === 'object' && tz.__off !== undefined) return tz.__off;
  const s = String(tz);
  if (s === 'GMT' || s === 'UTC' || s === 'Z') return 0;
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/.exec(s);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] || 0));
  if (s === 'JST') return 540;
  __offsetIn(s, 0);
  return s;
}
const __offsetCache = new Map();
/** Minutes east of UTC in an IANA zone at an instant (the platform's zone data, cached per quarter hour). */
function __offsetIn(zone, ms) {
  const key = zone + '@' + Math.floor(ms / 900000);
  let off = __offsetCache.get(key);
  if (off === undefined) {
    const answer = JSON.parse(__nagareHostFn('tzoffset', JSON.stringify({ zone, ms })));
    if (!answer.ok) throw new Error('Unknown time zone: ' + zone);
    off = answer.value;
    if (__offsetCache.size > 10000) __offsetCache.clear();
    __offsetCache.set(key, off);
  }
  return off;
}

class SimpleDateFormat {
  constructor(pattern, locale) { this.__p = String(pattern); this.__l = locale; this.__off = undefined; }
  setTimeZone(tz) { this.__off = tz && tz.__off !== undefined ? tz.__off : __zoneOffset(tz); }
  format(date) { return __formatPattern(this.__p, typeof date === 'number' ? date : date.getTime(), this.__off, this.__l); }
  parse(text) { return new AddableTimestamp(__parsePattern(this.__p, String(text), this.__off)); }
}
const TimeZone = { getTimeZone: (id) => ({ __off: __zoneOffset(id), getID: () => String(id) }), getDefault: () => ({ __off: __state.zone === null ? __state.tz : __state.zone, getID: () => __tzId() }) };

class NewQfile {
  constructor(name, contentType, a, b) {
    const given = b === undefined ? undefined : a;
    const content = b === undefined ? a : b;
    let type = String(contentType);
    let charset = given === undefined || given === null ? __charsetOf(type) : String(given);
    // a text file made from a string says which charset its bytes are in
    if (typeof content === 'string' && charset === undefined && /^text\//i.test(type.trim())) {
      charset = 'UTF-8';
      type = type.trim() + '; charset=UTF-8';
    }
    const bytes = content instanceof Uint8Array ? content
      : content && typeof content.__bytes === 'function' ? content.__bytes()
      : { lazyText: String(content), charset: charset === undefined ? 'UTF-8' : charset };
    return __newQfile(String(name), type, charset, bytes);
  }
}

class JavaString {
  constructor(v, charset) { return v instanceof Uint8Array ? __decodeBytes(v, charset || 'UTF-8') : String(v); }
}

const java = {
  util: { ArrayList, List: ArrayList, LinkedList: ArrayList, Locale, TimeZone, Date: AddableTimestamp },
  math: { BigDecimal, RoundingMode: { DOWN: 1, HALF_UP: 4, HALF_EVEN: 6, UP: 0, FLOOR: 3, CEILING: 2 } },
  sql: { Timestamp, Date: SqlDate },
  text: { SimpleDateFormat },
  lang: { String: JavaString },
};
const com = {
  questetra: { bpms: {
    util: { AddableTimestamp, AddableDate },
    core: { event: { scripttask: { NewQfile } }, model: { formdata: { ListArray: undefined } } },
  } },
};
const Java = { type: (name) => {
  const v = name.split('.').reduce((o, k) => (o === undefined ? undefined : o[k]), { java, com });
  if (v === undefined) throw new Error('Access to host class ' + name + ' is not allowed or does not exist.');
  return v;
} };
`;
