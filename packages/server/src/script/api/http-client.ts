/**
 * `httpClient` inside the sandbox: the product's request builder (`begin()`, `queryParam`,
 * `formParam`, `header`, `body`, `multipart`, `basic`, `bearer`, `authSetting`, …, then
 * `get/post/put/patch/delete`) and its response (`getStatusCode`, `getResponseAsString`, …).
 * Parameters are encoded as Java's `URLEncoder` does (space `+`, `!'()~` escaped), as the
 * product does. A run may send at most `__state.http.limit` requests (10 in the product); the
 * next one throws. The transport is the host (`fetch` host call) or, under the add-on test
 * harness, the handler a test registered.
 */
export const HTTP_CLIENT_SOURCE = String.raw`
'use strict';
function __urlEncode(s) {
  return encodeURIComponent(String(s))
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}
function __headersObject(pairs) {
  const h = {};
  for (const [k, v] of pairs) h[k] = v;
  Object.defineProperty(h, 'get', { enumerable: false, value: (name) => {
    const key = Object.keys(h).find((k) => k.toLowerCase() === String(name).toLowerCase());
    return key === undefined ? null : h[key];
  } });
  Object.defineProperty(h, 'getFirst', { enumerable: false, value: (name) => h.get(name) });
  Object.defineProperty(h, 'containsKey', { enumerable: false, value: (name) => h.get(name) !== null });
  return h;
}

class HttpResponse {
  constructor(status, contentType, body, headers) {
    this.__status = status;
    this.__type = contentType === undefined || contentType === null ? '' : String(contentType);
    this.__body = body instanceof Uint8Array ? body : __utf8(body === undefined || body === null ? '' : String(body));
    this.__headers = headers ? headers.slice() : [];
  }
  getStatusCode() { return this.__status; }
  getContentType() { return this.__type; }
  getCharset() { return __charsetOf(this.__type) || 'UTF-8'; }
  getResponse() { return this.__body; }
  getResponseAsString() { return __decodeBytes(this.__body, this.getCharset()); }
  getHeaderValues(name) {
    const n = String(name).toLowerCase();
    return new ArrayList(this.__headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v));
  }
  getHeaderNames() { return new ArrayList([...new Set(this.__headers.map(([k]) => k))]); }
  addHeader(name, value) { this.__headers.push([String(name), String(value)]); return this; }
}

class HttpRequest {
  constructor() { this.__query = []; this.__form = null; this.__headers = []; this.__body = null; this.__multipart = null; this.__aws = null; }
  queryParam(k, v) { this.__query.push([String(k), String(v)]); return this; }
  formParam(k, v) {
    if (this.__body !== null || this.__multipart !== null) throw new Error('formParam cannot be combined with body or multipart');
    (this.__form = this.__form || []).push([String(k), String(v)]);
    return this;
  }
  header(k, v) { this.__headers.push([String(k), String(v)]); return this; }
  body(content, contentType) {
    if (this.__form !== null || this.__multipart !== null) throw new Error('body cannot be combined with formParam or multipart');
    if (content instanceof QfileView) this.__body = { bytes: content.__bytes(), type: contentType || content.getContentType() };
    else if (content instanceof Uint8Array) this.__body = { bytes: content, type: contentType || 'application/octet-stream' };
    else this.__body = { bytes: __utf8(content), type: contentType || 'text/plain; charset=UTF-8', text: String(content) };
    return this;
  }
  multipart(name, value) {
    if (this.__form !== null || this.__body !== null) throw new Error('multipart cannot be combined with formParam or body');
    (this.__multipart = this.__multipart || []).push([String(name), value]);
    return this;
  }
  __auth(value) { this.__headers = this.__headers.filter(([k]) => k.toLowerCase() !== 'authorization'); this.__headers.push(['Authorization', value]); return this; }
  basic(user, password) { return this.__auth('Basic ' + __b64encode(__utf8(String(user) + ':' + String(password === undefined || password === null ? '' : password)))); }
  bearer(token) { return this.__auth('Bearer ' + String(token)); }
  authorization(type, credentials) { return this.__auth(String(type) + ' ' + String(credentials)); }
  authSetting(auth) {
    if (auth === null || auth === undefined) throw new Error('Authorization Setting is not set');
    const a = typeof auth === 'string' ? __resolveAuth(auth) : auth;
    if (a.getType() === 'HEADERS') {
      for (const [k, v] of Object.entries(a.__f.headers || {})) {
        this.__headers = this.__headers.filter(([h]) => h.toLowerCase() !== k.toLowerCase());
        this.__headers.push([k, v]);
      }
      return this;
    }
    if (a.getType() === 'BASIC') return this.basic(a.getBasicUserName(), a.getBasicPassword());
    const token = a.getToken();
    if (token === null || token === '') throw new Error('Authorization Setting ' + a.getName() + ' has no token');
    return this.bearer(token);
  }
  googleOAuth2(quser, service) { return this.bearer(__googleToken(quser, service)); }
  oauth2JwtBearer(auth, build) {
    const token = typeof build === 'function' ? build() : null;
    return this.bearer(__jwtBearerToken(auth, token));
  }
  awsSignV4(accessKey, secretKey, region, service) { this.__aws = { accessKey, secretKey, region, service }; return this; }
  get(uri) { return this.__send('GET', uri); }
  post(uri) { return this.__send('POST', uri); }
  put(uri) { return this.__send('PUT', uri); }
  patch(uri) { return this.__send('PATCH', uri); }
  delete(uri) { return this.__send('DELETE', uri); }
  __send(method, uri) {
    const http = __state.http;
    if (http.count >= http.limit) throw new Error('Too many HTTP requests: at most ' + http.limit + ' per run');
    http.count++;
    let url = String(uri);
    if (!/^https?:\/\//i.test(url)) throw new Error('URL must start with http:// or https://: ' + url);
    if (this.__query.length > 0) url += (url.includes('?') ? '&' : '?') + this.__query.map(([k, v]) => __urlEncode(k) + '=' + __urlEncode(v)).join('&');
    let contentType = null;
    let bytes = null;
    let harnessBody = null;
    if (this.__form !== null) {
      const text = this.__form.map(([k, v]) => __urlEncode(k) + '=' + __urlEncode(v)).join('&');
      contentType = 'application/x-www-form-urlencoded; charset=UTF-8';
      bytes = __utf8(text);
      harnessBody = text;
    } else if (this.__body !== null) {
      contentType = this.__body.type;
      bytes = this.__body.bytes;
      harnessBody = this.__body.text !== undefined ? this.__body.text : __utf8decode(bytes);
    } else if (this.__multipart !== null) {
      const m = __multipartBody(this.__multipart);
      contentType = m.type;
      bytes = m.bytes;
      const map = new Map();
      for (const [k, v] of this.__multipart) {
        if (!map.has(k)) map.set(k, new ArrayList());
        map.get(k).add(v instanceof QfileView || typeof v === 'string' ? v : String(v));
      }
      harnessBody = { get: (k) => (map.has(k) ? map.get(k) : null), size: () => map.size, keySet: () => new ArrayList(map.keys()), containsKey: (k) => map.has(k) };
    }
    const headers = this.__headers.slice();
    if (this.__aws) headers.push(...__awsSignV4(this.__aws, method, url, headers, bytes || new Uint8Array(0)));
    if (http.handler !== undefined) {
      if (http.handler === null) throw new Error('No request handler is set for ' + method + ' ' + url);
      const r = http.handler({ url, method, headers: __headersObject(headers), contentType, body: harnessBody });
      if (!(r instanceof HttpResponse)) throw new Error('the request handler must return httpClient.createHttpResponse(...)');
      return r;
    }
    const answer = __host('fetch', { method, url, headers, contentType, body: bytes === null ? null : __b64encode(bytes) });
    return new HttpResponse(answer.status, answer.contentType, __b64decode(answer.body), answer.headers);
  }
}

function __multipartBody(parts) {
  const boundary = '----NagareBoundary' + String(__state.http.count) + 'x' + String(parts.length);
  const chunks = [];
  for (const [name, v] of parts) {
    if (v instanceof QfileView) {
      chunks.push(__utf8('--' + boundary + '\r\nContent-Disposition: form-data; name="' + name + '"; filename="' + v.getName().replace(/"/g, '%22') + '"\r\nContent-Type: ' + v.getContentType() + '\r\n\r\n'));
      chunks.push(v.__bytes());
    } else {
      chunks.push(__utf8('--' + boundary + '\r\nContent-Disposition: form-data; name="' + name + '"\r\n\r\n' + String(v)));
    }
    chunks.push(__utf8('\r\n'));
  }
  chunks.push(__utf8('--' + boundary + '--\r\n'));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { bytes.set(c, o); o += c.length; }
  return { type: 'multipart/form-data; boundary=' + boundary, bytes };
}

function __hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''); }
function __digestBytes(algorithm, data) { return new Uint8Array(__nagareBytesFn('digest', __ab(__bytesOf(data)), algorithm)); }
function __hmacBytes(algorithm, key, data) { return __b64decode(__host('hmac', { algorithm, key: __b64encode(__bytesOf(key)), data: __b64encode(__bytesOf(data)) })); }

/** AWS Signature Version 4 for the request as it will be sent. */
function __awsSignV4(aws, method, url, headers, payload) {
  const u = /^(https?):\/\/([^/?#]+)([^?#]*)(\?[^#]*)?/.exec(url);
  const host = u[2];
  const path = u[3] || '/';
  const query = (u[4] || '').slice(1).split('&').filter((x) => x).sort().join('&');
  const now = new Date(__state.now());
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = __hex(__digestBytes('sha256', payload));
  const all = headers.map(([k, v]) => [k.toLowerCase(), String(v).trim()]).concat([['host', host], ['x-amz-date', amzDate], ['x-amz-content-sha256', payloadHash]]);
  all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const signed = all.map(([k]) => k).join(';');
  const canonical = [method, path, query, all.map(([k, v]) => k + ':' + v + '\n').join(''), signed, payloadHash].join('\n');
  const scope = day + '/' + aws.region + '/' + aws.service + '/aws4_request';
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, __hex(__digestBytes('sha256', canonical))].join('\n');
  let key = __utf8('AWS4' + aws.secretKey);
  for (const part of [day, aws.region, aws.service, 'aws4_request']) key = __hmacBytes('sha256', key, part);
  const signature = __hex(__hmacBytes('sha256', key, toSign));
  return [
    ['X-Amz-Date', amzDate],
    ['X-Amz-Content-Sha256', payloadHash],
    ['Authorization', 'AWS4-HMAC-SHA256 Credential=' + aws.accessKey + '/' + scope + ', SignedHeaders=' + signed + ', Signature=' + signature],
  ];
}

function __resolveAuth(name) {
  if (__state.http.handler !== undefined) throw new Error('Authorization Setting ' + name + ' not found');
  const a = __host('authorization', { name });
  return new AuthSettingWrapper(a.type, a);
}
function __googleToken(quser, service) {
  if (__state.http.handler !== undefined) return 'google-oauth2-token';
  return __host('googleToken', { user: quser && quser.getId ? quser.getId() : null, service }).token;
}
function __jwtBearerToken(auth, assertion) {
  if (__state.http.handler !== undefined) return auth && auth.getToken ? auth.getToken() : null;
  return __host('jwtBearer', { name: auth.getName(), assertion }).token;
}

const httpClient = {
  begin: () => new HttpRequest(),
  getRequestingLimit: () => __state.http.limit,
  getOAuth2Token: (name) => __resolveAuth(String(name)).getToken(),
};
`;
