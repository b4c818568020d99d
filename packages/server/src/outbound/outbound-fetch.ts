/**
 * The one way Nagare calls other servers (HTTP step, the built-in pack, the script sandbox's
 * httpClient). Before each request (and each redirect) the host name is resolved, every
 * address it resolves to is checked against the workspace's policy (address-policy.ts), and
 * the socket connects to the address that was checked: a second DNS answer (rebinding)
 * never reaches the socket. Responses are streamed and cut at `maxResponseBytes`; every
 * request is logged with its workspace, issue and step, without header values or secret
 * query parameters.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { AllowList, isRefusedAddress } from './address-policy.js';
import { OutboundError } from './outbound-error.js';
import { redactUrl } from './redact.js';

export const DEFAULT_OUTBOUND_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 100 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/** Who makes the request: every outbound call belongs to a workspace, usually an issue's step. */
export interface OutboundContext {
  readonly workspaceId: string;
  readonly issueId?: string;
  readonly node?: string;
}

export interface OutboundLogEntry {
  readonly workspaceId: string;
  readonly issueId?: string;
  readonly node?: string;
  readonly method: string;
  /** Redacted: no user info, secret-looking query values replaced. */
  readonly url: string;
  readonly status?: number;
  readonly ms: number;
  /** An OutboundError code when no response came. */
  readonly error?: string;
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export interface OutboundOptions {
  /**
   * The ranges the workspace's administrator opened (CIDR strings, e.g. `127.0.0.1/32`);
   * default none: loopback, link-local and private addresses are refused.
   */
  readonly allow?: (workspaceId: string) => readonly string[] | Promise<readonly string[]>;
  readonly log?: (entry: OutboundLogEntry) => void;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  readonly maxRedirects?: number;
  /** DNS resolution; default the system resolver (`dns.lookup`, all addresses). */
  readonly resolve?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

export type OutboundFetch = (
  url: string | URL,
  init: RequestInit | undefined,
  context: OutboundContext,
) => Promise<Response>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
/** Headers that carry credentials: not sent on to another origin after a redirect. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|api-key|apikey|secret|auth/i;

async function systemResolve(hostname: string): Promise<readonly ResolvedAddress[]> {
  const all = await dnsLookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

export function createOutboundFetch(options: OutboundOptions = {}): OutboundFetch {
  const timeoutMs = options.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const resolve = options.resolve ?? systemResolve;
  const allowCache = new Map<string, { key: string; list: AllowList }>();

  async function allowListFor(workspaceId: string): Promise<AllowList> {
    const entries = (await options.allow?.(workspaceId)) ?? [];
    const key = entries.join(',');
    const cached = allowCache.get(workspaceId);
    if (cached?.key === key) return cached.list;
    const list = new AllowList(entries);
    allowCache.set(workspaceId, { key, list });
    return list;
  }

  return async function outboundFetch(url, init, context) {
    let request: Request;
    try {
      request = new Request(url, { ...init, signal: null });
    } catch (error) {
      throw new OutboundError('BAD_URL', `${redactUrl(url)}: ${(error as Error).message}`);
    }
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const allow = await allowListFor(context.workspaceId);
    const headers = new Headers(request.headers);
    let method = request.method;
    let current = new URL(request.url);
    let payload = body;
    for (let hop = 0; ; hop++) {
      const started = performance.now();
      let res: IncomingMessage;
      try {
        res = await send(current, method, headers, payload, signal, allow, resolve);
      } catch (error) {
        const mapped = mapError(error, timeout, current, timeoutMs);
        log(current, method, { ms: performance.now() - started, error: errorCode(mapped) });
        throw mapped;
      }
      const status = res.statusCode ?? 0;
      log(current, method, { ms: performance.now() - started, status });
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location && init?.redirect !== 'manual') {
        res.resume();
        if (init?.redirect === 'error') {
          throw new OutboundError('TOO_MANY_REDIRECTS', `${redactUrl(current)} redirected (redirect: error)`);
        }
        if (hop >= maxRedirects) {
          throw new OutboundError(
            'TOO_MANY_REDIRECTS',
            `${redactUrl(request.url)}: more than ${maxRedirects} redirects`,
          );
        }
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new OutboundError('BAD_URL', `${redactUrl(current)} redirected to a bad URL`);
        }
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          payload = undefined;
          headers.delete('content-type');
        }
        if (next.origin !== current.origin) {
          for (const name of [...headers.keys()]) if (CREDENTIAL_HEADER.test(name)) headers.delete(name);
        }
        current = next;
        continue;
      }
      return toResponse(res, method, current, hop > 0, maxBytes, timeout, timeoutMs);
    }

    function log(at: URL, m: string, rest: { ms: number; status?: number; error?: string }): void {
      options.log?.({
        workspaceId: context.workspaceId,
        ...(context.issueId === undefined ? {} : { issueId: context.issueId }),
        ...(context.node === undefined ? {} : { node: context.node }),
        method: m,
        url: redactUrl(at),
        ...rest,
        ms: Math.round(rest.ms),
      });
    }
  };
}

async function send(
  url: URL,
  method: string,
  headers: Headers,
  body: Buffer | undefined,
  signal: AbortSignal,
  allow: AllowList,
  resolve: (hostname: string) => Promise<readonly ResolvedAddress[]>,
): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('BAD_URL', `${redactUrl(url)}: only http and https are allowed`);
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: readonly ResolvedAddress[];
  const literal = isIP(host);
  if (literal !== 0) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new OutboundError(
        'DNS',
        `${redactUrl(url)}: cannot resolve ${host}: ${(error as Error).message}`,
      );
    }
    if (addresses.length === 0) throw new OutboundError('DNS', `${redactUrl(url)}: ${host} has no address`);
  }
  // Every address must pass: the socket may not pick the one we looked at.
  for (const a of addresses) {
    if (isRefusedAddress(a.address, allow)) {
      throw new OutboundError(
        'REFUSED_ADDRESS',
        `${redactUrl(url)}: ${host === a.address ? host : `${host} resolves to ${a.address}, which`} is a loopback, link-local or private address; the workspace administrator must allow it`,
      );
    }
  }
  const target = addresses[0]!;
  // The socket connects to the checked address, whatever DNS says now.
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const outgoing: Record<string, string> = {};
  for (const [name, value] of headers) outgoing[name] = value;
  if (!headers.has('accept-encoding')) outgoing['accept-encoding'] = 'gzip, deflate, br';
  if (body !== undefined) outgoing['content-length'] = String(body.length);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<IncomingMessage>((resolvePromise, reject) => {
    const req = transport.request(
      {
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        headers: outgoing,
        signal,
        lookup: pinned,
        agent: false,
      },
      resolvePromise,
    );
    req.on('error', reject);
    req.end(body);
  });
}

function toResponse(
  res: IncomingMessage,
  method: string,
  url: URL,
  redirected: boolean,
  maxBytes: number,
  timeout: AbortSignal,
  timeoutMs: number,
): Response {
  const status = res.statusCode ?? 0;
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  let body: ReadableStream<Uint8Array> | null = null;
  if (NULL_BODY.has(status) || method === 'HEAD') res.resume();
  else {
    const declared = Number(res.headers['content-length']);
    const encoding = res.headers['content-encoding']?.toLowerCase();
    if (!encoding && Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      throw new OutboundError(
        'RESPONSE_TOO_LARGE',
        `${redactUrl(url)}: the response is ${declared} bytes, over the limit of ${maxBytes}`,
      );
    }
    let source: Readable = res;
    const decoder =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? zlib.createGunzip()
        : encoding === 'deflate'
          ? zlib.createInflate()
          : encoding === 'br'
            ? zlib.createBrotliDecompress()
            : undefined;
    if (decoder) {
      res.on('error', (e) => decoder.destroy(e));
      source = res.pipe(decoder);
      headers.delete('content-encoding');
      headers.delete('content-length');
    }
    body = capped(source, res, url, maxBytes, timeout, timeoutMs);
  }
  const response = new Response(body, {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  });
  Object.defineProperty(response, 'url', { value: url.toString() });
  Object.defineProperty(response, 'redirected', { value: redirected });
  return response;
}

/** The body as a web stream that errors (and drops the connection) past `maxBytes`. */
function capped(
  source: Readable,
  res: IncomingMessage,
  url: URL,
  maxBytes: number,
  timeout: AbortSignal,
  timeoutMs: number,
): ReadableStream<Uint8Array> {
  let received = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      source.on('data', (chunk: Buffer) => {
        if (done) return;
        received += chunk.length;
        if (received > maxBytes) {
          done = true;
          res.destroy();
          source.destroy();
          controller.error(
            new OutboundError(
              'RESPONSE_TOO_LARGE',
              `${redactUrl(url)}: the response is over the limit of ${maxBytes} bytes; stopped reading`,
            ),
          );
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) source.pause();
      });
      source.on('end', () => {
        if (done) return;
        done = true;
        controller.close();
      });
      source.on('error', (error) => {
        if (done) return;
        done = true;
        controller.error(mapError(error, timeout, url, timeoutMs));
      });
      res.on('aborted', () => {
        if (done) return;
        done = true;
        controller.error(mapError(new Error('the connection closed early'), timeout, url, timeoutMs));
      });
    },
    pull() {
      source.resume();
    },
    cancel() {
      done = true;
      res.destroy();
      source.destroy();
    },
  });
}

function mapError(error: unknown, timeout: AbortSignal, url: URL, timeoutMs: number): unknown {
  if (error instanceof OutboundError) return error;
  if (timeout.aborted) {
    return new OutboundError('TIMEOUT', `${redactUrl(url)}: no complete answer within ${timeoutMs} ms`);
  }
  if (error instanceof Error && error.name === 'AbortError') return error; // the caller's abort
  const message = error instanceof Error ? error.message : String(error);
  return new OutboundError('NETWORK', `${redactUrl(url)}: ${message}`);
}

function errorCode(error: unknown): string {
  return error instanceof OutboundError ? error.code : 'ABORTED';
}
