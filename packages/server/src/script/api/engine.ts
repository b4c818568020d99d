/**
 * `engine`, `configs` and the other globals of the product's script API, inside the sandbox,
 * over one state object (`__state`): the data item definitions and values, the configs, the
 * writes made so far, logs, the request count. Writes are only collected here; the host
 * commits them together after the script has succeeded, so a failing script changes nothing.
 */
export const ENGINE_SOURCE = String.raw`
'use strict';
function __freshState() {
  return {
    defs: [], values: new Map(), writes: new Set(), configs: new Map(), logs: [],
    tz: 540, tzId: null, zone: null, temp: null, started: new Set(), startProcess: false,
    http: { limit: 10, count: 0, handler: undefined },
    process: { id: 1, modelId: 1, seq: 1, debug: false, title: null },
    users: [], groups: [], items: new Map(), feedHandler: null, mails: [],
    now: () => Date.now(),
  };
}
var __state = __freshState();
/** The engine zone's offset at an instant (now when not given): fixed, or by the IANA zone's rules. */
function __tz(ms) {
  if (__state.zone === null) return __state.tz;
  return __offsetIn(__state.zone, ms === undefined ? __state.now() : ms);
}

function __defOf(x, what) {
  if (x instanceof DataDefinition) return x;
  const n = String(x);
  const def = __state.defs.find((d) => String(d.__number) === n);
  if (!def) throw new Error((what || 'data item') + ' ' + n + ' is not defined');
  return def;
}
function __findData(def) { const v = __state.values.get(def.__number); return v === undefined ? null : v; }
function __setData(def, value) {
  if (!__state.defs.includes(def)) throw new Error('data item ' + def.__varName + ' is not defined');
  // the product hands JavaScript arrays to Java as lists
  const v = Array.isArray(value) && !(value instanceof ArrayList) ? new ArrayList(value) : value;
  __state.values.set(def.__number, v === undefined ? null : v);
  __state.writes.add(def.__number);
}
function __log(x) {
  const s = String(x);
  if (__state.logs.length < 1000) __state.logs.push(s.length > 10000 ? s.slice(0, 10000) + '…' : s);
}
function __tzId() {
  if (__state.tzId !== null) return __state.tzId;
  if (__state.zone !== null) return __state.zone;
  const o = __state.tz;
  if (o === 0) return 'GMT';
  return 'GMT' + (o < 0 ? '-' : '+') + __pad(Math.floor(Math.abs(o) / 60)) + ':' + __pad(Math.abs(o) % 60);
}

const engine = {
  findData: (def) => __findData(__defOf(def)),
  setData: (def, value) => __setData(__defOf(def), value),
  findDataByNumber: (n) => __findData(__defOf(n)),
  setDataByNumber: (n, value) => __setData(__defOf(n), value),
  findDataByVarName: (name) => {
    const def = __state.defs.find((d) => d.__varName === String(name));
    if (!def) throw new Error('data item ' + name + ' is not defined');
    return __findData(def);
  },
  setDataByVarName: (name, value) => {
    const def = __state.defs.find((d) => d.__varName === String(name));
    if (!def) throw new Error('data item ' + name + ' is not defined');
    __setData(def, value);
  },
  findDataDefinitionByNumber: (n) => __state.defs.find((d) => String(d.__number) === String(n)) || null,
  findDataDefinitionByVarName: (name) => __state.defs.find((d) => d.__varName === String(name)) || null,
  log: (x) => __log(x),
  createItem: (value, display) => new ItemView(value, display),
  createQfile: (name, contentType, a, b) => new NewQfile(name, contentType, a, b),
  createByteArray: (x) => (typeof x === 'number' ? new Uint8Array(x) : __bytesOf(x)),
  getTimeZoneId: () => __tzId(),
  getTimeZoneOffsetInMinutes: () => __tz(),
  saveTemporaryData: (s) => { __state.temp = s === null || s === undefined ? null : String(s); },
  restoreTemporaryData: () => __state.temp,
  // On the server a start-event add-on's run asks the host (the ids its start event started issues for).
  isProcessStarted: (id) => __state.started.has(String(id)) || (__state.startedByHost === true && __host('processStarted', { id: String(id) }) === true),
  setStartProcess: (b) => { __state.startProcess = Boolean(b); },
};

const configs = {
  get: (name) => {
    const c = __state.configs.get(String(name));
    if (c === undefined) return '';
    if (c.object !== undefined && c.object !== null) {
      if (c.object instanceof DataDefinition) return String(c.object.__number);
      if (c.object instanceof AuthSettingWrapper) return c.object.getName();
      if (typeof c.object === 'boolean') return String(c.object);
      if (c.object.getId) return String(c.object.getId());
      return String(c.object);
    }
    return c.value;
  },
  getObject: (name) => {
    const c = __state.configs.get(String(name));
    if (c === undefined || c.object === undefined) return null;
    return c.object;
  },
};

const processInstance = {
  getProcessInstanceId: () => __state.process.id,
  getProcessModelInfoId: () => __state.process.modelId,
  getProcessInstanceSequenceNumber: () => __state.process.seq,
  getProcessInstanceDebug: () => __state.process.debug,
  getProcessInstanceTitle: () => __state.process.title,
};

const dateFormatter = {
  format: (a, b, c) => {
    const [tz, pattern, date] = c === undefined ? [undefined, a, b] : [a, b, c];
    if (date === null || date === undefined) return null;
    return __formatPattern(String(pattern), typeof date === 'number' ? date : date.getTime(), tz === undefined ? undefined : __zoneOffset(tz));
  },
  parse: (pattern, text) => new AddableTimestamp(__parsePattern(String(pattern), String(text))),
};

const base64 = {
  encodeToString: (x) => __b64encode(__bytesOf(x)),
  encodeToUrlSafeString: (x) => __b64encode(__bytesOf(x), true).replace(/=+$/, ''),
  decodeFromString: (s) => __utf8decode(__b64decode(s)),
  decodeFromStringToByteArray: (s) => __b64decode(s),
  decodeFromUrlSafeString: (s) => __utf8decode(__b64decode(s)),
  decodeFromUrlSafeStringToByteArray: (s) => __b64decode(s),
};
const hex = {
  encodeToString: (x) => __hex(__bytesOf(x)),
  decodeFromString: (s) => new Uint8Array((String(s).match(/../g) || []).map((h) => parseInt(h, 16))),
};
const digest = {
  md5: (x) => __digestBytes('md5', x),
  sha1: (x) => __digestBytes('sha1', x),
  sha256: (x) => __digestBytes('sha256', x),
  sha384: (x) => __digestBytes('sha384', x),
  sha512: (x) => __digestBytes('sha512', x),
};
const hmac = {
  sha1: (key, data) => __hmacBytes('sha1', key, data),
  sha256: (key, data) => __hmacBytes('sha256', key, data),
  sha512: (key, data) => __hmacBytes('sha512', key, data),
};

const fileRepository = {
  readFile: (qfile, charset, onLine) => {
    if (typeof charset === 'number') {
      // chunks of that many bytes
      const all = qfile.__bytes();
      const size = Math.max(1, Math.floor(charset));
      for (let o = 0; o < all.length; o += size) onLine(all.subarray(o, o + size));
      return;
    }
    const text = __decodeBytes(qfile.__bytes(), charset || qfile.getCharset() || 'UTF-8');
    if (typeof onLine !== 'function') return charset === undefined ? qfile.__bytes() : text;
    const lines = text.split(/\r\n|\n|\r/);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) onLine(line);
  },
};

class MailBuilder {
  constructor() { this.__m = { to: [], cc: [], bcc: [], from: null, replyTo: null, subject: '', body: '', html: null, attachments: [] }; }
  addTo(a, n) { this.__m.to.push({ address: String(a), name: n === undefined ? null : String(n) }); return this; }
  addCc(a, n) { this.__m.cc.push({ address: String(a), name: n === undefined ? null : String(n) }); return this; }
  addBcc(a, n) { this.__m.bcc.push({ address: String(a), name: n === undefined ? null : String(n) }); return this; }
  setFrom(a, n) { this.__m.from = { address: String(a), name: n === undefined ? null : String(n) }; return this; }
  setReplyTo(a, n) { this.__m.replyTo = { address: String(a), name: n === undefined ? null : String(n) }; return this; }
  setSubject(s) { this.__m.subject = String(s); return this; }
  setBody(s) { this.__m.body = String(s); return this; }
  setHtmlBody(s) { this.__m.html = String(s); return this; }
  addAttachment(a, b, c) {
    const file = a instanceof QfileView ? a : new NewQfile(a, b, c);
    this.__m.attachments.push({ name: file.getName(), contentType: file.getContentType(), content: __b64encode(file.__bytes()) });
    return this;
  }
  send() {
    if (this.__m.to.length + this.__m.cc.length + this.__m.bcc.length === 0) throw new Error('the mail has no recipient');
    if (__state.http.handler !== undefined) { __state.mails.push(this.__m); return; }
    __host('mail', this.__m);
  }
}
class InternetAddress {
  constructor(address, personal) { this.__a = address; this.__p = personal; }
  getAddress() { return this.__a; }
  getPersonal() { return this.__p === undefined ? null : this.__p; }
  toString() { return this.__p ? '"' + this.__p + '" <' + this.__a + '>' : this.__a; }
}
function __parseAddresses(header) {
  const out = new ArrayList();
  const parts = [];
  let cur = '';
  let q = false;
  let angle = false;
  for (const ch of String(header || '')) {
    if (ch === '"') q = !q;
    if (!q && ch === '<') angle = true;
    if (!q && ch === '>') angle = false;
    if (ch === ',' && !q && !angle) { parts.push(cur); cur = ''; } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') continue;
    // lenient like JavaMail's parseHeader: text after the angle-bracketed address is ignored
    const m = /^(.*?)<([^>]*)>/.exec(p);
    if (m) {
      let name = m[1].trim();
      if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
      out.add(new InternetAddress(m[2].trim(), name === '' ? null : name));
    } else out.add(new InternetAddress(p, null));
  }
  return out;
}
const emailService = { begin: () => new MailBuilder(), parseAddressHeader: (s) => __parseAddresses(s) };

class FeedBuilder {
  constructor() { this.__r = { channel: null, messageId: null, message: null, markdown: false, files: [], shareQgroup: null }; }
  setChannel(c) { this.__r.channel = c; return this; }
  setMessageId(id) { this.__r.messageId = id; return this; }
  setMessage(m) { this.__r.message = m; return this; }
  setMarkdown(m) { this.__r.message = m; this.__r.markdown = true; return this; }
  setShareQgroup(g) { this.__r.shareQgroup = g; return this; }
  attachFile(f) { this.__r.files.push(f); return this; }
  post() {
    if (__state.feedHandler !== null) return __state.feedHandler(this.__r);
    return __host('feed', { channel: this.__r.channel === null ? null : String(this.__r.channel), message: this.__r.message });
  }
}
const feedService = { begin: () => new FeedBuilder() };

const itemDao = {
  findAll: (def, onlyValid) => new ArrayList((__state.items.get(__defOf(def).__number) || []).slice()),
  findByValue: (def, onlyValid, value) => (__state.items.get(__defOf(def).__number) || []).find((i) => i.getValue() === String(value)) || null,
};
const quserDao = {
  findById: (id) => __state.users.find((u) => String(u.getId()) === String(id)) || null,
  findByEmail: (email) => __state.users.find((u) => u.getEmail() === String(email)) || null,
};
const qgroupDao = {
  findById: (id) => __state.groups.find((g) => String(g.getId()) === String(id)) || null,
  findByName: (name) => __state.groups.find((g) => g.getName() === String(name)) || null,
  findChildQgroups: (g) => new ArrayList(__state.groups.filter((c) => c.__parent !== null && String(c.__parent.getId()) === String(g.getId()))),
  findDescendantQgroups: (g) => {
    const out = new ArrayList();
    const walk = (p) => { for (const c of qgroupDao.findChildQgroups(p)) { out.add(c); walk(c); } };
    walk(g);
    return out;
  },
};

/** A small Markdown subset (headings, emphasis, code, links, lists, paragraphs) for markdown.toHtml. */
function __escapeHtml(s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); }
function __inline(s) {
  return __escapeHtml(s)
    .replace(/\x60([^\x60]+)\x60/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>');
}
const markdown = {
  toHtml: (md) => {
    const out = [];
    let para = [];
    let list = null;
    const flush = () => {
      if (para.length) { out.push('<p>' + para.map(__inline).join('\n') + '</p>'); para = []; }
      if (list) { out.push('<' + list.tag + '>\n' + list.items.map((i) => '<li>' + __inline(i) + '</li>').join('\n') + '\n</' + list.tag + '>'); list = null; }
    };
    for (const line of String(md).split(/\r?\n/)) {
      const h = /^(#{1,6})\s+(.*)$/.exec(line);
      const ul = /^[-*+]\s+(.*)$/.exec(line);
      const ol = /^\d+\.\s+(.*)$/.exec(line);
      if (line.trim() === '') { flush(); continue; }
      if (h) { flush(); out.push('<h' + h[1].length + '>' + __inline(h[2]) + '</h' + h[1].length + '>'); continue; }
      if (ul || ol) {
        const tag = ul ? 'ul' : 'ol';
        if (para.length || (list && list.tag !== tag)) flush();
        if (!list) list = { tag, items: [] };
        list.items.push((ul || ol)[1]);
        continue;
      }
      if (list) flush();
      para.push(line);
    }
    flush();
    return out.join('\n') + (out.length ? '\n' : '');
  },
};
`;
