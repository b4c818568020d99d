import type { DataValues } from '@nagare/engine';
import type { AuthorizationResolver } from '../../authorization/authorization-settings.js';
import type { FileRef, FileStore } from '../../files/file-store.js';
import { createOutboundFetch, type OutboundFetch } from '../../outbound/outbound-fetch.js';
import type { Connector, ConnectorResult, JobIssue, JobRun } from '../connector.js';
import { type HttpConfig, readHttpConfig } from './config.js';
import { toItemValue } from './item-value.js';
import { readJsonPath } from './json-path.js';
import { badConfig, type Failure, RETRYABLE_STATUS, thrownFailure } from './outcome.js';
import { hasReferences, renderTemplate } from './template.js';

type RequestBody = NonNullable<RequestInit['body']>;

export interface HttpConnectorOptions {
  /** Default: an outbound fetch that refuses private addresses (NAGARE_OUTBOUND_ALLOW aside). */
  readonly fetch?: OutboundFetch;
  readonly authorization?: AuthorizationResolver;
  readonly fileStore?: FileStore;
}

/**
 * Calls one HTTP endpoint (the HTTP step, or a throwing message event). Every request carries
 * `Idempotency-Key: <issueId:seq>`, the same on every attempt of the job. 2xx succeeds;
 * 408/425/429/5xx, timeouts and network errors are retryable failures; other statuses fail for
 * good (`HTTP_<status>`) — or, with `onError=continue`, are recorded into data items.
 */
export function httpConnector(options: HttpConnectorOptions = {}): Connector {
  const doFetch = options.fetch ?? createOutboundFetch();
  return {
    type: 'http',
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const read = readHttpConfig(job.automation.configs);
      if (!read.ok) return badConfig(read.error);
      const config = read.config;
      const needsIssue =
        config.auth !== undefined ||
        config.requestBodyItem !== undefined ||
        config.jsonItems.length > 0 ||
        config.responseFileItem !== undefined ||
        [config.url, config.body, ...Object.values(config.headers)].some(hasReferences);
      const issue = needsIssue ? await job.issue() : undefined;
      const request = await buildRequest(config, job, issue, options, signal);
      if ('ok' in request) return request;
      const what = `${config.method} ${redactForMessage(request.url)}`;
      const timeout = AbortSignal.timeout(config.timeoutMs);
      let response: Response;
      let text: string;
      let bytes: Uint8Array;
      try {
        response = await doFetch(
          request.url,
          { ...request.init, signal: AbortSignal.any([signal, timeout]) },
          { workspaceId: job.workspaceId, issueId: job.issueId, node: job.node },
        );
        bytes = new Uint8Array(await response.arrayBuffer());
        text = new TextDecoder().decode(bytes);
      } catch (error) {
        const timedOut = timeout.aborted && !signal.aborted;
        const failed = timedOut
          ? ({
              ok: false,
              error: { code: 'TIMEOUT', message: `${what}: no answer within ${config.timeoutMs} ms` },
              retryable: true,
            } as const)
          : thrownFailure(error, what);
        return recordOrFail(config, failed, undefined);
      }
      if (response.status < 200 || response.status > 299) {
        const failed: Failure = {
          ok: false,
          error: {
            code: `HTTP_${response.status}`,
            message: `${what} answered ${response.status}: ${text.slice(0, 200)}`,
          },
          retryable: RETRYABLE_STATUS.has(response.status),
        };
        return recordOrFail(config, failed, { status: response.status, text });
      }
      const data: DataValues = {};
      if (config.statusItem) data[config.statusItem] = response.status;
      if (config.bodyItem) data[config.bodyItem] = text;
      if (config.responseFileItem && issue) {
        const stored = await storeResponse(
          config,
          issue,
          options,
          job.workspaceId,
          request.url,
          response,
          bytes,
        );
        if ('ok' in stored) return stored;
        data[config.responseFileItem] = [stored] as never;
      }
      if (config.jsonItems.length > 0 && issue) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return badAnswer(`${what}: the answer is not JSON, so "jsonItems" cannot be read`);
        }
        for (const [item, path] of config.jsonItems) {
          const value = toItemValue(issue.app, item, readJsonPath(json, path));
          if (!value.ok) return badAnswer(`${what}: jsonItems ${item}=${path}: ${value.error}`);
          data[item] = value.value;
        }
      }
      return { ok: true, data };
    },
  };
}

function badAnswer(message: string): Failure {
  return { ok: false, error: { code: 'BAD_ANSWER', message }, retryable: false };
}

/**
 * With `onError=continue`, a failure that will not pass by retrying is written into the
 * status and error items and the step goes on; a retryable one still retries first.
 */
function recordOrFail(
  config: HttpConfig,
  failed: Failure,
  answer: { status: number; text: string } | undefined,
): ConnectorResult {
  if (config.onError !== 'continue' || failed.retryable) return failed;
  const data: DataValues = {};
  if (config.statusItem && answer) data[config.statusItem] = answer.status;
  if (config.bodyItem && answer) data[config.bodyItem] = answer.text;
  if (config.errorItem) data[config.errorItem] = `${failed.error.code}: ${failed.error.message}`;
  return { ok: true, data };
}

async function buildRequest(
  config: HttpConfig,
  job: JobRun,
  issue: JobIssue | undefined,
  options: HttpConnectorOptions,
  signal: AbortSignal,
): Promise<{ url: string; init: RequestInit } | Failure> {
  const fill = (text: string, encode?: (v: string) => string): string | Failure => {
    if (!issue || !hasReferences(text)) return text;
    const r = renderTemplate(text, issue, encode);
    return r.ok ? r.text : badConfig(r.error);
  };
  const url = fill(config.url, encodeURIComponent);
  if (typeof url !== 'string') return url;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return badConfig(`config "url" is not an http(s) URL once filled in: "${url.slice(0, 200)}"`);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(config.headers)) {
    const filled = fill(value);
    if (typeof filled !== 'string') return filled;
    try {
      headers.set(name, filled);
    } catch {
      return badConfig(`config "headers": "${name}" is not a valid header`);
    }
  }
  if (config.auth !== undefined) {
    if (!options.authorization) {
      return badConfig(`config "auth" names "${config.auth}" but this server has no authorization settings`);
    }
    try {
      const auth = await options.authorization.headersFor(job.workspaceId, issue!.appId, config.auth, signal);
      for (const [name, value] of Object.entries(auth)) headers.set(name, value);
    } catch (error) {
      return thrownFailure(error, `authorization setting "${config.auth}"`);
    }
  }
  headers.set('Idempotency-Key', job.idempotencyKey);
  let body: RequestBody | undefined;
  if (config.body !== undefined && config.method !== 'GET' && config.method !== 'HEAD') {
    const made = await buildBody(config, job, issue, options, fill, headers);
    if (typeof made === 'object' && made !== null && 'ok' in made) return made;
    body = made;
  }
  return { url, init: { method: config.method, headers, ...(body === undefined ? {} : { body }) } };
}

async function buildBody(
  config: HttpConfig,
  job: JobRun,
  issue: JobIssue | undefined,
  options: HttpConnectorOptions,
  fill: (text: string, encode?: (v: string) => string) => string | Failure,
  headers: Headers,
): Promise<RequestBody | Failure> {
  const type = config.contentType;
  if (config.requestBodyItem !== undefined) {
    const value = issue!.data[config.requestBodyItem];
    const mediaType = type === undefined || type === 'json' ? 'application/json' : type;
    if (!headers.has('content-type')) headers.set('content-type', mediaType);
    if (Array.isArray(value) && value.every(isFileRef)) {
      if (value.length !== 1) {
        return badConfig(
          `config "requestBodyItem": ${config.requestBodyItem} must hold exactly one file, holds ${value.length}`,
        );
      }
      const bytes = await readFile(options, job.workspaceId, value[0] as FileRef);
      if ('ok' in bytes) return bytes;
      return new Uint8Array(bytes.bytes);
    }
    return value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  }
  if (type === 'form' || type === 'multipart') {
    let values: unknown;
    try {
      values = JSON.parse(config.body!);
    } catch {
      values = undefined;
    }
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      return badConfig(`config "body" must be a JSON object when contentType is ${type}`);
    }
    if (type === 'form') {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
        const filled = fill(String(v));
        if (typeof filled !== 'string') return filled;
        form.append(k, filled);
      }
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
      return form.toString();
    }
    const form = new FormData();
    for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object' && typeof (v as { file?: unknown }).file === 'string') {
        const item = (v as { file: string }).file;
        const refs = issue?.data[item];
        if (!Array.isArray(refs) || !refs.every(isFileRef)) {
          return badConfig(`config "body": part "${k}" names ${item}, which holds no files`);
        }
        for (const ref of refs as FileRef[]) {
          const bytes = await readFile(options, job.workspaceId, ref);
          if ('ok' in bytes) return bytes;
          form.append(k, new Blob([new Uint8Array(bytes.bytes)], { type: ref.contentType }), ref.name);
        }
      } else {
        const filled = fill(typeof v === 'string' ? v : JSON.stringify(v));
        if (typeof filled !== 'string') return filled;
        form.append(k, filled);
      }
    }
    headers.delete('content-type'); // the boundary comes with the form
    return form;
  }
  const filled = fill(config.body!);
  if (typeof filled !== 'string') return filled;
  const mediaType = type === 'json' || type === undefined ? 'application/json' : type;
  if (!headers.has('content-type')) headers.set('content-type', mediaType);
  return filled;
}

/** The response body as a file in the file store. */
async function storeResponse(
  config: HttpConfig,
  issue: JobIssue,
  options: HttpConnectorOptions,
  workspaceId: string,
  url: string,
  response: Response,
  bytes: Uint8Array,
): Promise<FileRef | Failure> {
  if (!options.fileStore) return badConfig('config "responseFileItem": this server has no file store');
  let name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || 'response';
  if (config.responseFileName) {
    const r = renderTemplate(config.responseFileName, issue);
    if (!r.ok) return badConfig(`config "responseFileName": ${r.error}`);
    name = r.text;
  }
  const contentType =
    response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream';
  try {
    const stored = await options.fileStore.put(workspaceId, {
      name: name.replace(/[\\/\0\r\n]/g, '_').slice(0, 255) || 'response',
      contentType,
      bytes,
    });
    return { id: stored.id, name: stored.name, contentType: stored.contentType, size: stored.size };
  } catch (error) {
    return thrownFailure(error, 'storing the response');
  }
}

export function isFileRef(v: unknown): v is FileRef {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as FileRef).id === 'string' &&
    typeof (v as FileRef).name === 'string' &&
    typeof (v as FileRef).size === 'number'
  );
}

async function readFile(
  options: HttpConnectorOptions,
  workspaceId: string,
  ref: FileRef,
): Promise<{ bytes: Uint8Array } | Failure> {
  if (!options.fileStore) return badConfig('the step sends a file but this server has no file store');
  try {
    return { bytes: await options.fileStore.read(workspaceId, ref.id) };
  } catch (error) {
    return thrownFailure(error, `file ${ref.name}`);
  }
}

/** The URL for an error message: no query (it may carry a secret). */
function redactForMessage(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}
