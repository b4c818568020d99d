/**
 * The HTTP step's configs (`<nagare:config name="...">` in the BPMN), read and checked:
 *
 * | name          | meaning                                                                  |
 * | ------------- | ------------------------------------------------------------------------ |
 * | `url`         | required; http or https                                                  |
 * | `method`      | GET, POST, PUT, PATCH, DELETE, HEAD; default GET, or POST with a body    |
 * | `headers`     | a JSON object, or `Name: value` lines                                    |
 * | `body`        | the request body, as written                                             |
 * | `contentType` | `json` (default with a body), `form` (body is a JSON object → urlencoded), or a media type |
 * | `timeout`     | milliseconds, default 30000                                              |
 * | `statusItem`  | data item that receives the response status (a number)                  |
 * | `bodyItem`    | data item that receives the response body (text)                        |
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
}

export type HttpConfigResult =
  | { readonly ok: true; readonly config: HttpConfig }
  | { readonly ok: false; readonly error: string };

export function readHttpConfig(configs: Readonly<Record<string, string>>): HttpConfigResult {
  const url = configs.url?.trim() ?? '';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: `config "url" must be an absolute http(s) URL, got "${url}"` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, error: `config "url" must be http or https, got ${parsed.protocol}` };
  }
  const body = configs.body === undefined || configs.body === '' ? undefined : configs.body;
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
  return {
    ok: true,
    config: Object.freeze({
      url: parsed.toString(),
      method,
      headers: Object.freeze(headers),
      body,
      contentType,
      timeoutMs,
      statusItem: configs.statusItem?.trim() || undefined,
      bodyItem: configs.bodyItem?.trim() || undefined,
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
