/**
 * The typed values of the product's script API, inside the sandbox: data item definitions
 * (`ProcessDataDefinitionView`), choices (`ItemView`), users and organizations, files
 * (`QfileView`), tables (`ListArray`), authorization settings, plus bytes (UTF-8, base64) and
 * the value equality the harness's `toEqual` uses.
 */
export const VALUES_SOURCE = String.raw`
'use strict';
// the product's byte arrays (ByteArrayWrapper) answer getLength()
Object.defineProperty(Uint8Array.prototype, 'getLength', { value: function getLength() { return this.length; }, configurable: true });
function __ab(u8) { return u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer; }
function __utf8(s) { return new Uint8Array(__nagareBytesFn('utf8encode', String(s))); }
function __utf8decode(b) { return __nagareBytesFn('utf8decode', __ab(b)); }
function __b64encode(b, urlSafe) {
  const s = __nagareBytesFn('b64encode', __ab(b), 'std');
  return urlSafe ? s.replace(/\+/g, '-').replace(/\//g, '_') : s;
}
function __b64decode(s) {
  const clean = String(s).replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, '');
  if (/[^A-Za-z0-9+/=]/.test(clean)) throw new Error('IllegalArgumentException: Illegal base64 character');
  return new Uint8Array(__nagareBytesFn('b64decode', clean));
}
function __bytesOf(x) {
  if (x instanceof Uint8Array) return x;
  if (x && typeof x.__bytes === 'function') return x.__bytes();
  if (Array.isArray(x)) return new Uint8Array(x);
  return __utf8(String(x));
}
function __charsetOf(contentType) {
  const m = /charset=([^;\s]+)/i.exec(String(contentType || ''));
  return m ? m[1].replace(/"/g, '') : undefined;
}
function __normCharset(charset) {
  const c = String(charset || 'UTF-8').toUpperCase().replace(/_/g, '-');
  if (c === 'UTF8') return 'UTF-8';
  if (c === 'UTF16' || c === 'UNICODE') return 'UTF-16';
  if (c === 'UTF16LE') return 'UTF-16LE';
  if (c === 'UTF16BE') return 'UTF-16BE';
  return c;
}
function __utf16(s, le) {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i + (le ? 0 : 1)] = c & 255;
    out[2 * i + (le ? 1 : 0)] = c >> 8;
  }
  return out;
}
function __concatBytes(a, b) { const o = new Uint8Array(a.length + b.length); o.set(a, 0); o.set(b, a.length); return o; }
/** Text to bytes in a charset, as Java's String.getBytes(charset) does (UTF-16 writes a big-endian BOM). */
function __encodeString(s, charset) {
  const cs = __normCharset(charset);
  if (s === '') return new Uint8Array(0);
  switch (cs) {
    case 'UTF-8': return __utf8(s);
    case 'UTF-16': return __concatBytes(new Uint8Array([0xfe, 0xff]), __utf16(s, false));
    case 'UTF-16BE': return __utf16(s, false);
    case 'UTF-16LE': return __utf16(s, true);
    case 'X-UTF-16LE-BOM': return __concatBytes(new Uint8Array([0xff, 0xfe]), __utf16(s, true));
    case 'US-ASCII': case 'ISO-8859-1': case 'LATIN1': return new Uint8Array(__nagareBytesFn('latin1encode', s));
    case 'SHIFT-JIS': case 'SJIS': case 'WINDOWS-31J': case 'MS932': case 'CP932': case 'X-SJIS':
      return new Uint8Array(__nagareBytesFn('sjisencode', s));
    default: throw new Error('UnsupportedEncodingException: ' + charset);
  }
}
function __fromUtf16(b, le, start) {
  let s = '';
  for (let i = start; i + 1 < b.length; i += 2) s += String.fromCharCode(le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]);
  return s;
}
function __decodeBytes(bytes, charset) {
  const cs = __normCharset(charset);
  const bomBE = bytes[0] === 0xfe && bytes[1] === 0xff;
  const bomLE = bytes[0] === 0xff && bytes[1] === 0xfe;
  switch (cs) {
    case 'UTF-8': return __utf8decode(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
    case 'UTF-16': return bomLE ? __fromUtf16(bytes, true, 2) : __fromUtf16(bytes, false, bomBE ? 2 : 0);
    case 'UTF-16BE': return __fromUtf16(bytes, false, 0);
    case 'UTF-16LE': return __fromUtf16(bytes, true, 0);
    case 'X-UTF-16LE-BOM': return __fromUtf16(bytes, true, bomLE ? 2 : 0);
    case 'US-ASCII': case 'ISO-8859-1': case 'LATIN1': return __nagareBytesFn('latin1decode', __ab(bytes));
    default: return __nagareBytesFn('decode', __ab(bytes), cs);
  }
}

/** Calls the host; its errors become exceptions here. */
function __host(op, arg) {
  const answer = JSON.parse(__nagareHostFn(op, JSON.stringify(arg === undefined ? null : arg)));
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

function __deepEqual(a, b) {
  if (a === b) return true;
  // the product's matchers compare Java values, where undefined and null are both null
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'object' && typeof a.equals === 'function' && !(a instanceof ArrayList)) return a.equals(b);
  if (typeof b === 'object' && typeof b.equals === 'function' && !(b instanceof ArrayList)) return b.equals(a);
  if (a instanceof BigDecimal || b instanceof BigDecimal) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const arrA = Array.isArray(a) || a instanceof Uint8Array;
  const arrB = Array.isArray(b) || b instanceof Uint8Array;
  if (arrA || arrB) {
    if (!(arrA && arrB) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!__deepEqual(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && __deepEqual(a[k], b[k]));
}
function __equals(a, b) { return __deepEqual(a, b); }

class ItemView {
  constructor(value, display) { this.__v = String(value); this.__d = display === undefined || display === null ? String(value) : String(display); }
  getValue() { return this.__v; }
  getDisplay() { return this.__d; }
  equals(o) { return o instanceof ItemView && o.__v === this.__v && o.__d === this.__d; }
  toString() { return this.__v; }
}
class QuserView {
  constructor(id, name, email) { this.__id = id; this.__name = name === undefined ? null : name; this.__email = email === undefined ? null : email; }
  getId() { return this.__id; }
  getName() { return this.__name; }
  getEmail() { return this.__email; }
  equals(o) { return o instanceof QuserView && String(o.__id) === String(this.__id); }
  toString() { return String(this.__name); }
}
class QgroupView {
  constructor(id, name, email, parent) { this.__id = id; this.__name = name; this.__email = email === undefined ? null : email; this.__parent = parent || null; }
  getId() { return this.__id; }
  getName() { return this.__name; }
  getEmail() { return this.__email; }
  getParentQgroupId() { return this.__parent ? this.__parent.getId() : null; }
  getParentQgroup() { return this.__parent; }
  equals(o) { return o instanceof QgroupView && String(o.__id) === String(this.__id); }
  toString() { return String(this.__name); }
}

class QfileView {
  getName() { return this.__name; }
  getContentType() { return this.__type; }
  getCharset() { return this.__charset === undefined ? null : this.__charset; }
  getLength() {
    // a large ASCII text need not be encoded to know its length
    if (this.__lazy && /^UTF-?8$/i.test(this.__lazy.charset)) {
      if (this.__lazy.length === undefined) this.__lazy.length = __nagareBytesFn('utf8length', this.__lazy.text);
      return this.__lazy.length;
    }
    return this.__data === null ? this.__size : this.__data.length;
  }
  get __data() {
    if (this.__lazy) { this.__bytesValue = __encodeString(this.__lazy.text, this.__lazy.charset); this.__lazy = null; }
    return this.__bytesValue;
  }
  set __data(v) { this.__bytesValue = v; this.__lazy = null; }
  getId() { return this.__id === undefined ? null : this.__id; }
  __bytes() {
    if (this.__data === null) {
      // a file of the issue: its content is read from the file store on first use
      if (this.__id === undefined || this.__id === null) throw new Error('the content of file ' + this.__name + ' is not available to scripts');
      try {
        this.__data = new Uint8Array(__nagareBytesFn('fileread', String(this.__id)));
      } catch (e) {
        throw new Error('file ' + this.__name + ': ' + (e && e.message ? e.message : String(e)));
      }
      this.__stored = true;
    }
    return this.__data;
  }
  equals(o) {
    return o instanceof QfileView && o.__name === this.__name && o.__type === this.__type && __deepEqual(o.__data, this.__data);
  }
  toString() { return this.__name; }
}
const __EXT_TYPES = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp', svg: 'image/svg+xml',
  webp: 'image/webp', pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', tsv: 'text/tab-separated-values',
  html: 'text/html', htm: 'text/html', xml: 'text/xml', json: 'application/json', zip: 'application/zip',
  doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', md: 'text/markdown',
};
const __TOKEN = /^[!#$%&'*+.^_\x60|~0-9A-Za-z-]+$/;
/** As the product stores a file's type: media type plus charset only; invalid → octet-stream; octet-stream guessed from the name. */
function __normalizeContentType(contentType, name) {
  const parts = String(contentType || '').split(';').map((p) => p.trim());
  const media = parts[0].toLowerCase();
  const slash = media.indexOf('/');
  let type = slash > 0 && __TOKEN.test(media.slice(0, slash)) && __TOKEN.test(media.slice(slash + 1)) ? parts[0] : 'application/octet-stream';
  if (type.toLowerCase() === 'application/octet-stream') {
    const ext = /\.([A-Za-z0-9]+)$/.exec(String(name));
    if (ext && __EXT_TYPES[ext[1].toLowerCase()]) type = __EXT_TYPES[ext[1].toLowerCase()];
  }
  const cs = parts.slice(1).map((p) => /^charset\s*=\s*"?([^";]+)"?$/i.exec(p)).find((m) => m);
  return cs && type !== 'application/octet-stream' ? type + '; charset=' + cs[1] : type;
}
function __newQfile(name, contentType, charset, bytes, extra) {
  const f = new QfileView();
  f.__name = name;
  f.__type = __normalizeContentType(contentType, name);
  f.__charset = charset;
  if (bytes && bytes.lazyText !== undefined) f.__lazy = { text: bytes.lazyText, charset: bytes.charset };
  else f.__data = bytes;
  if (extra) Object.assign(f, extra);
  return f;
}

const __TYPE_CODES = {
  STRING_TEXTFIELD: 'string', STRING_TEXTAREA: 'string', STRING_MARKDOWN: 'string', STRING: 'string',
  DECIMAL: 'numeric', DATE: 'date', DATE_YMD: 'date', DATE_YM: 'date', DATE_MD: 'date', DATE_Y: 'date',
  DATETIME: 'datetime', SELECT: 'select', SELECT_SINGLE: 'select', SELECT_CHECKBOX: 'select', LIST: 'table',
  QUSER: 'user', QGROUP: 'organization', FILE: 'file', DISCUSSION: 'discussion',
};

class DataDefinition {
  constructor(name, number, varName, type) {
    this.__name = name;
    this.__number = number;
    this.__varName = varName;
    this.__type = String(type);
    this.__subs = [];
  }
  getName() { return this.__name; }
  getNumber() { return this.__number; }
  getVarName() { return this.__varName; }
  getDataType() { return this.__type; }
  matchDataType(t) {
    const want = String(t);
    return this.__type === want || this.__type.startsWith(want + '_') || (want === 'STRING' && this.__type === 'DISCUSSION');
  }
  isMultiple() { return this.__type === 'SELECT_CHECKBOX'; }
  getSubDataDefinitions() { return new ArrayList(this.__subs); }
  addSubDataDefinition(label, varName, type) { const d = new DataDefinition(label, this.__subs.length, varName, type); this.__subs.push(d); return d; }
  addSelectSubDataDefinition(label, varName, ...values) {
    const d = this.addSubDataDefinition(label, varName, 'SELECT');
    d.__choices = values.map((v) => (v instanceof ItemView ? v : new ItemView(v, v)));
    return d;
  }
  addDecimalSubDataDefinition(label, varName, scale, a, b) {
    const d = this.addSubDataDefinition(label, varName, 'DECIMAL');
    d.__scale = scale;
    return d;
  }
  createListArray() { return new ListArray(this); }
  equals(o) { return o instanceof DataDefinition && o.__number === this.__number && o.__varName === this.__varName; }
  toString() { return String(this.__number); }
}

class ListRow {
  constructor(table) { this.__t = table; this.__cols = []; }
  __index(c) {
    if (typeof c === 'number') return c;
    const i = this.__t.__def ? this.__t.__def.__subs.findIndex((d) => d.__varName === c) : -1;
    if (i < 0) throw new Error('no column ' + c);
    return i;
  }
  setCol(c, v) {
    const i = this.__index(c);
    const sub = this.__t.__def ? this.__t.__def.__subs[i] : undefined;
    let value = v === undefined || v === null ? null : v;
    if (sub && sub.__scale !== undefined && typeof value === 'string' && /^[+-]?\d+(\.\d+)?$/.test(value.trim()))
      value = new BigDecimal(value.trim()).setScale(sub.__scale, 4).toString();
    this.__cols[i] = value;
    return this;
  }
  put(c, v) { return this.setCol(c, v); }
  getCol(c) { const v = this.__cols[this.__index(c)]; return v === undefined ? '' : v; }
  getObject(c) {
    const v = this.getCol(c);
    const sub = this.__t.__def ? this.__t.__def.__subs[this.__index(c)] : undefined;
    // the typed cell: empty is null, numeric columns answer BigDecimal
    if (v === '' || v === null) return null;
    if (sub && sub.__type === 'DECIMAL' && typeof v === 'string') return v.trim() === '' ? null : new BigDecimal(v.trim());
    return v;
  }
  get(c) { return this.getCol(c); }
  size() { return this.__t.__def ? this.__t.__def.__subs.length : this.__cols.length; }
  equals(o) { return o instanceof ListRow && __deepEqual(this.__cols, o.__cols); }
}
class ListArray {
  constructor(def) { this.__def = def || null; this.__rows = []; }
  size() { return this.__rows.length; }
  addRow() { const r = new ListRow(this); this.__rows.push(r); return r; }
  getRow(i) { if (i < 0 || i >= this.__rows.length) throw new Error('Index ' + i + ' out of bounds for length ' + this.__rows.length); return this.__rows[i]; }
  get(r, c) { return this.getRow(r).getCol(c); }
  getObject(r, c) { return this.get(r, c); }
  removeRow(i) { this.__rows.splice(i, 1); }
  equals(o) { return o instanceof ListArray && __deepEqual(this.__rows, o.__rows); }
}

class AuthSettingWrapper {
  constructor(type, fields) { this.__type = type; Object.assign(this, { __f: fields }); }
  getName() { return this.__f.name === undefined ? null : this.__f.name; }
  getType() { return this.__type; }
  getToken() {
    if (this.__f.token === undefined && this.__f.headers) {
      const auth = Object.entries(this.__f.headers).find(([k]) => k.toLowerCase() === 'authorization');
      const m = auth ? /^Bearer\s+(.*)$/i.exec(auth[1]) : null;
      return m ? m[1] : null;
    }
    return this.__f.token === undefined ? null : this.__f.token;
  }
  getAccessToken() { return this.getToken(); }
  getClientId() { return this.__f.clientId === undefined ? null : this.__f.clientId; }
  getClientSecret() { return this.__f.clientSecret === undefined ? null : this.__f.clientSecret; }
  getScope() { return this.__f.scope === undefined ? null : this.__f.scope; }
  getTokenUrl() { return this.__f.tokenUrl === undefined ? null : this.__f.tokenUrl; }
  getAuthorizationUrl() { return this.__f.authorizationUrl === undefined ? null : this.__f.authorizationUrl; }
  getPrivateKey() { return this.__f.privateKey === undefined ? null : this.__f.privateKey; }
  getPrivateKeyId() { return this.__f.privateKeyId === undefined ? null : this.__f.privateKeyId; }
  getCustomSecret1() { return this.__f.customSecret1 === undefined ? null : this.__f.customSecret1; }
  getBasicUserName() { return this.__f.user === undefined ? null : this.__f.user; }
  getBasicPassword() { return this.__f.password === undefined ? null : this.__f.password; }
  getUserName() { return this.getBasicUserName(); }
  getPassword() { return this.getBasicPassword(); }
}
`;
