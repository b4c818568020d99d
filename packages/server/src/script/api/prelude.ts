/**
 * The product's script API as sources for the sandbox, in evaluation order, plus the bridge the
 * host uses: `__nagare.load(json)` puts the data, the step's configs and the run's facts
 * into `__state`; `__nagare.result()` answers the writes (each value tagged with its kind) and
 * the log lines as JSON.
 */
import type { SandboxSource } from '../sandbox.js';
import { ENGINE_SOURCE } from './engine.js';
import { HTTP_CLIENT_SOURCE } from './http-client.js';
import { JAVA_SOURCE } from './java.js';
import { VALUES_SOURCE } from './values.js';

const BRIDGE_SOURCE = `
'use strict';
function __decodeValue(def, v) {
  if (v === null || v === undefined) return null;
  switch (__TYPE_CODES[def.__type]) {
    case 'numeric': return new BigDecimal(String(v));
    case 'date': return AddableDate.valueOf(String(v).slice(0, 10));
    case 'datetime': return new AddableTimestamp(Date.parse(String(v)));
    case 'select': return new ArrayList((Array.isArray(v) ? v : [v]).map((c) => (typeof c === 'object' ? new ItemView(c.value, c.label) : new ItemView(c, c))));
    case 'user': return typeof v === 'object' ? new QuserView(v.id, v.name, v.email) : new QuserView(v, null, null);
    case 'organization': return typeof v === 'object' ? new QgroupView(v.id, v.name, v.email, null) : new QgroupView(v, null, null, null);
    case 'file': return new ArrayList((Array.isArray(v) ? v : [v]).map((f) => __newQfile(f.name, f.contentType, __charsetOf(f.contentType), f.data ? __b64decode(f.data) : null, { __size: f.size, __id: f.id })));
    case 'table': {
      const t = def.createListArray();
      for (const row of v) {
        const r = t.addRow();
        for (const sub of def.__subs) r.setCol(sub.__number, row[sub.__varName] === undefined ? null : row[sub.__varName]);
      }
      return t;
    }
    default: return String(v);
  }
}
function __encodeValue(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return { t: 'string', v };
  if (typeof v === 'number') return { t: 'number', v };
  if (typeof v === 'boolean') return { t: 'boolean', v };
  if (v instanceof BigDecimal) return { t: 'decimal', v: v.toString() };
  if (v instanceof SqlDate) return { t: 'date', v: v.toString() };
  if (v instanceof Timestamp) return { t: 'datetime', v: new Date(v.getTime()).toISOString() };
  if (v instanceof ItemView) return { t: 'select', v: [v.getValue()] };
  if (v instanceof QuserView) return { t: 'user', v: { id: String(v.getId()), name: v.getName(), email: v.getEmail() } };
  if (v instanceof QgroupView) return { t: 'organization', v: { id: String(v.getId()), name: v.getName(), email: v.getEmail() } };
  if (v instanceof QfileView) return __encodeValue([v]);
  if (v instanceof ListArray) {
    const subs = v.__def ? v.__def.__subs : [];
    return { t: 'table', v: v.__rows.map((r) => {
      const o = {};
      r.__cols.forEach((c, i) => { o[subs[i] ? subs[i].__varName : String(i)] = __encodeValue(c); });
      return o;
    }) };
  }
  if (Array.isArray(v)) {
    const list = Array.from(v);
    if (list.every((x) => x instanceof QfileView))
      return { t: 'files', v: list.map((f) => __fileRef(f)) };
    if (list.every((x) => x instanceof ItemView || typeof x === 'string'))
      return { t: 'select', v: list.map((x) => (typeof x === 'string' ? x : x.getValue())) };
    throw new Error('a list of ' + list.length + ' values that are neither choices nor files cannot be stored');
  }
  throw new Error('a value of type ' + (v && v.constructor ? v.constructor.name : typeof v) + ' cannot be stored in a data item');
}
/**
 * A file in a write: a file of the issue keeps its id; a new one (NewQfile, createQfile) hands
 * its bytes to the host, which stores it only if the run succeeds, and is named by that number.
 */
function __fileRef(f) {
  if (f.getId() !== null && (f.__data === null || f.__stored === true)) return { id: String(f.getId()) };
  if (f.__stage === undefined) {
    const bytes = f.__bytes();
    f.__stage = __nagareBytesFn('filestage', JSON.stringify({ name: f.getName(), contentType: f.getContentType() }), __ab(bytes));
  }
  return { stage: f.__stage, name: f.getName(), contentType: f.getContentType(), size: f.getLength() };
}
const __nagare = {
  load(json) {
    const input = JSON.parse(json);
    __state.tz = input.timezoneOffsetMinutes;
    __state.tzId = input.timezoneId === undefined ? null : input.timezoneId;
    __state.zone = input.timezone === undefined || input.timezone === null ? null : input.timezone;
    __state.http.limit = input.httpLimit;
    __state.process = input.process;
    const fixed = input.now;
    __state.now = () => (fixed === undefined ? Date.now() : fixed);
    __state.temp = input.temporaryData === undefined ? null : input.temporaryData;
    __state.startedByHost = input.startedByHost === true;
    for (const d of input.items) {
      const def = new DataDefinition(d.name, d.number, d.varName, d.type);
      for (const c of d.columns || []) def.addSubDataDefinition(c.label, c.varName, c.type);
      __state.defs.push(def);
      if (d.value !== undefined) __state.values.set(d.number, __decodeValue(def, d.value));
    }
    for (const [name, c] of Object.entries(input.configs)) {
      let object;
      if (c.item !== undefined) object = __defOf(c.item, 'data item');
      else if (c.auth !== undefined) object = new AuthSettingWrapper(c.auth.type, c.auth);
      else if (c.boolean !== undefined) object = c.boolean;
      else if (c.value === '') object = null;
      __state.configs.set(name, { value: c.value, object });
    }
  },
  result() {
    const writes = [];
    for (const n of __state.writes) {
      const def = __defOf(n);
      writes.push({ number: def.__number, varName: def.__varName, value: __encodeValue(__state.values.get(n)) });
    }
    return JSON.stringify({ writes, logs: __state.logs, temporaryData: __state.temp, requests: __state.http.count, startProcess: __state.startProcess });
  },
  /** A start-event add-on's list() answer, each item's values tagged as writes are ({ key: { t, v } }), plus its id as text. */
  items(list) {
    if (list === null || list === undefined) return [];
    if (typeof list !== 'object' || typeof list.length !== 'number') throw new Error('list() must return an array of items, got ' + typeof list);
    return Array.from(list).map((item, i) => {
      if (item === null || typeof item !== 'object') throw new Error('list() item ' + i + ' is not an object');
      const values = {};
      const bad = {};
      for (const k of Object.keys(item)) {
        try {
          values[k] = item[k] instanceof Timestamp ? { t: 'datetime', v: new Date(item[k].getTime()).toISOString() } : __encodeValue(item[k]);
        } catch (e) {
          bad[k] = String(e && e.message ? e.message : e);
        }
      }
      const id = item.id;
      const text = id === null || id === undefined ? null : id instanceof ItemView ? id.getValue() : typeof id === 'object' && typeof id.getId === 'function' ? String(id.getId()) : String(id);
      return { id: text, at: item.timestamp && typeof item.timestamp.getTime === 'function' ? item.timestamp.getTime() : null, values, bad };
    });
  },
  /** A webhook request's headers as the product's HttpHeaders (names any case). */
  headers(pairs) {
    const map = new Map();
    for (const [k, v] of pairs) { const key = String(k).toLowerCase(); map.set(key, (map.get(key) || []).concat([String(v)])); }
    return {
      getFirst: (k) => { const v = map.get(String(k).toLowerCase()); return v ? v[0] : null; },
      get: (k) => { const v = map.get(String(k).toLowerCase()); return v ? new ArrayList(v) : null; },
      keySet: () => new ArrayList([...map.keys()]),
      containsKey: (k) => map.has(String(k).toLowerCase()),
    };
  },
};
`;

const PUBLIC_GLOBALS = [
  'java',
  'com',
  'Java',
  'engine',
  'configs',
  'httpClient',
  'processInstance',
  'dateFormatter',
  'base64',
  'hex',
  'digest',
  'hmac',
  'fileRepository',
  'emailService',
  'feedService',
  'itemDao',
  'quserDao',
  'qgroupDao',
  'markdown',
  '__nagare',
];

/**
 * The API as one source: everything inside one function scope, so a script's own top-level
 * names never collide with the API's helpers; only the product's globals (and `extraGlobals`,
 * e.g. the test harness's) are put on the global object. The host function is taken off the
 * global object first: scripts reach the host only through the API, which counts requests.
 */
export function apiSource(extra = '', extraGlobals: readonly string[] = []): SandboxSource {
  const names = [...PUBLIC_GLOBALS, ...extraGlobals];
  const code = [
    '(function () {',
    "'use strict';",
    'const __nagareHostFn = globalThis.__nagareHost;',
    'delete globalThis.__nagareHost;',
    'const __nagareEvalFn = globalThis.__nagareEval;',
    'const __nagareBytesFn = globalThis.__nagareBytes;',
    'delete globalThis.__nagareBytes;',
    'delete globalThis.__nagareEval;',
    JAVA_SOURCE,
    VALUES_SOURCE,
    ENGINE_SOURCE,
    HTTP_CLIENT_SOURCE,
    BRIDGE_SOURCE,
    extra,
    `const __exports = { ${names.join(', ')} };`,
    'for (const k of Object.keys(__exports)) Object.defineProperty(globalThis, k, { value: __exports[k], writable: true, configurable: true, enumerable: false });',
    '})();',
  ].join('\n');
  return { name: 'nagare/api.js', code };
}
