/**
 * The product's add-on test harness, inside the sandbox (docs/addon-test-harness.md): `test`,
 * `expect` (`toEqual`, `toThrow`, `startsWith`, `endsWith`, `containsString`), `fail`,
 * `execute`, and the mock-only set-up members (`configs.put/putObject`,
 * `engine.createDataDefinition`, `httpClient.setRequestHandler`, `createHttpResponse`, …).
 * Every `test()` case runs on fresh state; a matcher throws on mismatch and also records the
 * failure, so a script that catches the exception does not hide it.
 */
export const HARNESS_SOURCE = String.raw`
const __tests = [];
let __failures = null;
let __script = '';
function __fresh() {
  __state = __freshState();
  __state.http.handler = null;
}
__fresh();
function __describe(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Error) return String(v);
  try {
    const s = JSON.stringify(v, (k, x) => (x instanceof Uint8Array ? '<' + x.length + ' bytes>' : x));
    return s === undefined ? String(v) : s.length > 300 ? s.slice(0, 300) + '…' : s;
  } catch (e) { return String(v); }
}
function __mismatch(message) {
  if (__failures !== null) __failures.push(message);
  throw new Error(message);
}
function test(name, fn) { __tests.push({ name: String(name), fn }); }
function fail(message) { __mismatch(message === undefined ? 'fail() was called' : 'fail: ' + String(message)); }
function __thrownMessage(e) { return e instanceof Error ? e.message : String(e); }
function expect(actual) {
  return {
    toEqual(expected) {
      if (!__deepEqual(actual, expected)) __mismatch('expected ' + __describe(actual) + ' to equal ' + __describe(expected));
    },
    toThrow(expected) {
      if (typeof actual !== 'function') __mismatch('toThrow needs a function');
      let thrown = false;
      let message;
      try { actual(); } catch (e) { thrown = true; message = __thrownMessage(e); }
      if (!thrown) __mismatch('expected an exception' + (expected === undefined ? '' : ' "' + expected + '"') + ', none was thrown');
      if (expected !== undefined && !String(message).includes(String(expected)))
        __mismatch('expected an exception "' + expected + '", got "' + message + '"');
    },
    startsWith(prefix) {
      if (typeof actual !== 'string' || !actual.startsWith(String(prefix))) __mismatch('expected ' + __describe(actual) + ' to start with ' + __describe(prefix));
    },
    endsWith(suffix) {
      if (typeof actual !== 'string' || !actual.endsWith(String(suffix))) __mismatch('expected ' + __describe(actual) + ' to end with ' + __describe(suffix));
    },
    containsString(part) {
      if (typeof actual !== 'string' || !actual.includes(String(part))) __mismatch('expected ' + __describe(actual) + ' to contain ' + __describe(part));
    },
  };
}
function execute() { __nagareEvalFn(__script, 'addon/script.js'); }

configs.put = (name, value) => { __state.configs.set(String(name), { value: value === null || value === undefined ? '' : String(value), object: null }); };
configs.putObject = (name, object) => { __state.configs.set(String(name), { value: '', object: object === undefined ? null : object }); };
engine.createDataDefinition = (label, number, varName, type) => {
  const def = new DataDefinition(label, number, varName, type);
  __state.defs = __state.defs.filter((d) => String(d.__number) !== String(number));
  __state.defs.push(def);
  return def;
};
engine.createQuser = (id, name, email) => { const u = new QuserView(id, name, email); __state.users.push(u); return u; };
engine.createQgroup = (id, name, email, parent) => { const g = new QgroupView(id, name, email, parent); __state.groups.push(g); return g; };
engine.createHttpHeaders = () => {
  const map = new Map();
  return {
    set: (k, v) => { map.set(String(k).toLowerCase(), [String(v)]); },
    add: (k, v) => { const key = String(k).toLowerCase(); map.set(key, (map.get(key) || []).concat([String(v)])); },
    getFirst: (k) => { const v = map.get(String(k).toLowerCase()); return v ? v[0] : null; },
    get: (k) => { const v = map.get(String(k).toLowerCase()); return v ? new ArrayList(v) : null; },
  };
};
engine.addProcessStartedSet = (id) => { __state.started.add(String(id)); };
engine.isStartProcess = () => __state.startProcess;
engine.setTimeZoneOffsetInMinutes = (n) => { __state.tz = Number(n); __state.tzId = null; __state.zone = null; };
httpClient.setRequestHandler = (fn) => { __state.http.handler = fn; };
httpClient.createHttpResponse = (status, contentType, body) => new HttpResponse(status, contentType, body);
httpClient.createAuthSettingToken = (name, token) => new AuthSettingWrapper('TOKEN', { name, token });
httpClient.createAuthSettingBasic = (name, user, password) => new AuthSettingWrapper('BASIC', { name, user, password });
httpClient.createAuthSettingOAuth2 = (name, authorizationUrl, tokenUrl, scope, clientId, clientSecret, token) =>
  new AuthSettingWrapper('OAUTH2', { name, authorizationUrl, tokenUrl, scope, clientId, clientSecret, token });
httpClient.createAuthSettingOAuth2ClientCredentials = (name, tokenUrl, scope, clientId, clientSecret, token) =>
  new AuthSettingWrapper('OAUTH2_CLIENT_CREDENTIALS', { name, tokenUrl, scope, clientId, clientSecret, token });
httpClient.createAuthSettingOAuth2JwtBearer = (name, scope, a, b, privateKeyId, privateKey, customSecret1, token) =>
  new AuthSettingWrapper('OAUTH2_JWT_BEARER', { name, scope, privateKeyId, privateKey, customSecret1, token: token || null });
itemDao.addItem = (def, item) => {
  const n = __defOf(def).__number;
  __state.items.set(n, (__state.items.get(n) || []).concat([item]));
};
feedService.setPostHandler = (fn) => { __state.feedHandler = fn; };

const __harness = {
  setScript(source) { __script = String(source); },
  count() { return __tests.length; },
  runOne(i) {
    const t = __tests[i];
    const __t0 = Date.now();
    __fresh();
    __failures = [];
    let error = null;
    try {
      t.fn();
    } catch (e) {
      error = __thrownMessage(e);
      const at = e instanceof Error && e.stack ? String(e.stack).split('\n').find((l) => l.includes('addon/')) : undefined;
      if (at && !__failures.includes(error)) error += ' (' + at.trim() + ')';
    }
    const problems = __failures.slice();
    if (error !== null && !problems.some((p) => error.startsWith(p))) problems.push('threw: ' + error);
    __failures = null;
    return JSON.stringify({ name: t.name, ok: problems.length === 0, problems: problems.slice(0, 3), ms: Date.now() - __t0 });
  },
};
`;

export const HARNESS_GLOBALS: readonly string[] = ['test', 'expect', 'fail', 'execute', '__harness'];
