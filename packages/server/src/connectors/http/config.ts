import { readFieldMap } from './json-path.js';

/**
 * The HTTP step's configs (`<nagare:config name="...">` in the BPMN), read and checked. Text
 * configs may carry data items (`#{q_x}`, `{{q_x}}`, `{{= FEEL}}`; see template.ts); in the URL
 * their values are percent-encoded. docs/connectors.md has examples.
 *
 * | name              | meaning                                                                      |
 * | ----------------- | ---------------------------------------------------------------------------- |
 * | `url`             | required; http or https                                                      |
 * | `method`          | GET, POST, PUT, PATCH, DELETE, HEAD; default GET, or POST with a body        |
 * | `headers`         | a JSON object, or `Name: value` lines                                        |
 * | `auth`            | the name of one of the App's authorization settings                          |
 * | `body`            | the request body, as written                                                 |
 * | `requestBodyItem` | a string or file data item whose value is the body (instead of `body`)       |
 * | `contentType`     | `json` (default with a body), `form` (body is a JSON object → urlencoded), `multipart` (a JSON object; `{"file":"q_x"}` attaches a file item), or a media type (`text/xml`, `text/plain`, ...) |
 * | `timeout`         | milliseconds, default 30000                                                  |
 * | `statusItem`      | data item that receives the response status (a number)                       |
 * | `bodyItem`        | data item that receives the response body (text)                            |
 * | `responseFileItem`| file data item that receives the response body as a file (e.g. a PDF)       |
 * | `responseFileName`| its name; default the URL's last path segment; may carry data items         |
 * | `jsonItems`       | `q_item=path` lines (or a JSON object): fields of a JSON answer into items   |
 * | `errorItem`       | data item that receives the error details (with `onError=continue`)          |
 * | `onError`         | `fail` (default): the step fails; `continue`: record the error and go on     |
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

export interface HttpConfig {
  readonly url: string;
  readonly method: (typeof HTTP_METHODS)[number];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly contentType: string | undefined;
  readonly timeoutMs: number;
  readonly statusItem: string | undefined;
  readonly bodyItem: string | undefined;
  readonly responseFileItem: string | undefined;
  readonly responseFileName: string | undefined;
  readonly auth: string | undefined;
  readonly requestBodyItem: string | undefined;
  readonly jsonItems: readonly (readonly [string, string])[];
  readonly errorItem: string | undefined;
  readonly onError: 'fail' | 'continue';
}

export type HttpConfigResult =
  | { readonly ok: true; readonly config: HttpConfig }
  | { readonly ok: false; readonly error: string };

export function readHttpConfig(configs: Readonly<Record<string, string>>): HttpConfigResult {
  const url = configs.url?.trim() ?? '';
  let parsed: URL;
  try {
    // references are filled in at run time; check the URL around them now
    parsed = new URL(url.replace(/#\{[^}]*\}|\{\{[^}]*\}\}/g, 'x'));
  } catch {
    return { ok: false, error: `config "url" must be an absolute http(s) URL, got "${url}"` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, error: `config "url" must be http or https, got ${parsed.protocol}` };
  }
  const requestBodyItem = configs.requestBodyItem?.trim() || undefined;
  const body =
    configs.body === undefined || configs.body === '' ? (requestBodyItem ? '' : undefined) : configs.body;
  if (requestBodyItem && configs.body) {
    return { ok: false, error: 'configs "body" and "requestBodyItem" exclude each other; give one' };
  }
  const method = (configs.method?.trim().toUpperCase() ||
    (body === undefined ? 'GET' : 'POST')) as HttpConfig['method'];
  if (!HTTP_METHODS.includes(method)) {
    return {
      ok: false,
      error: `config "method" must be one of ${HTTP_METHODS.join(', ')}, got "${configs.method}"`,
    };
  }
  const headers = readHeaders(configs.headers);
  if (typeof headers === 'string') return { ok: false, error: headers };
  const timeoutText = configs.timeout?.trim();
  const timeoutMs = timeoutText ? Number(timeoutText) : DEFAULT_HTTP_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    return {
      ok: false,
      error: `config "timeout" must be a positive number of milliseconds, got "${timeoutText}"`,
    };
  }
  const contentType = configs.contentType?.trim() || (body === undefined ? undefined : 'json');
  if (contentType !== undefined && !['json', 'form', 'multipart'].includes(contentType)) {
    if (!/^[A-Za-z0-9][\w!#$&^.+-]*\/[\w!#$&^.+-]+(\s*;.*)?$/.test(contentType)) {
      return {
        ok: false,
        error: `config "contentType" must be json, form, multipart or a media type, got "${contentType}"`,
      };
    }
  }
  const jsonItems = readFieldMap(configs.jsonItems, 'jsonItems');
  if (typeof jsonItems === 'string') return { ok: false, error: jsonItems };
  const onError = (configs.onError?.trim() || 'fail') as HttpConfig['onError'];
  if (onError !== 'fail' && onError !== 'continue') {
    return { ok: false, error: `config "onError" must be fail or continue, got "${configs.onError}"` };
  }
  return {
    ok: true,
    config: Object.freeze({
      url,
      method,
      headers: Object.freeze(headers),
      body,
      contentType,
      timeoutMs,
      statusItem: configs.statusItem?.trim() || undefined,
      bodyItem: configs.bodyItem?.trim() || undefined,
      responseFileItem: configs.responseFileItem?.trim() || undefined,
      responseFileName: configs.responseFileName?.trim() || undefined,
      auth: configs.auth?.trim() || undefined,
      requestBodyItem,
      jsonItems,
      errorItem: configs.errorItem?.trim() || undefined,
      onError,
    }),
  };
}

function readHeaders(text: string | undefined): Record<string, string> | string {
  if (text === undefined || text.trim() === '') return {};
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new Error('not an object');
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
    } catch {
      return 'config "headers" is not a JSON object';
    }
  }
  const headers: Record<string, string> = {};
  for (const line of trimmed.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return `config "headers": "${line}" is not "Name: value"`;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}
