import type { DataValues } from '@nagare/engine';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { type HttpConfig, readHttpConfig } from './config.js';

/** Statuses worth another attempt: the request may succeed later. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Calls one HTTP endpoint. Every request carries `Idempotency-Key: <issueId:seq>`, the same
 * on every attempt of the job. 2xx succeeds; 408/425/429/5xx, timeouts and network errors
 * are retryable failures; other statuses fail for good (`HTTP_<status>`).
 */
export function httpConnector(options: { fetch?: typeof fetch } = {}): Connector {
  const doFetch = options.fetch ?? fetch;
  return {
    type: 'http',
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const read = readHttpConfig(job.automation.configs);
      if (!read.ok)
        return { ok: false, error: { code: 'BAD_CONFIG', message: read.error }, retryable: false };
      const config = read.config;
      const request = buildRequest(config, job.idempotencyKey);
      if ('error' in request)
        return { ok: false, error: { code: 'BAD_CONFIG', message: request.error }, retryable: false };
      const timeout = AbortSignal.timeout(config.timeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await doFetch(config.url, { ...request, signal: AbortSignal.any([signal, timeout]) });
        text = await response.text();
      } catch (error) {
        const timedOut = timeout.aborted && !signal.aborted;
        return {
          ok: false,
          error: timedOut
            ? {
                code: 'TIMEOUT',
                message: `${config.method} ${config.url}: no answer within ${config.timeoutMs} ms`,
              }
            : { code: 'NETWORK', message: `${config.method} ${config.url}: ${describe(error)}` },
          retryable: true,
        };
      }
      if (response.status < 200 || response.status > 299) {
        return {
          ok: false,
          error: {
            code: `HTTP_${response.status}`,
            message: `${config.method} ${config.url} answered ${response.status}: ${text.slice(0, 200)}`,
          },
          retryable: RETRYABLE_STATUS.has(response.status),
        };
      }
      const data: DataValues = {};
      if (config.statusItem) data[config.statusItem] = response.status;
      if (config.bodyItem) data[config.bodyItem] = text;
      return { ok: true, data };
    },
  };
}

function buildRequest(config: HttpConfig, idempotencyKey: string): RequestInit | { error: string } {
  const headers = new Headers(config.headers);
  headers.set('Idempotency-Key', idempotencyKey);
  let body: string | undefined;
  if (config.body !== undefined && config.method !== 'GET' && config.method !== 'HEAD') {
    if (config.contentType === 'form') {
      let values: unknown;
      try {
        values = JSON.parse(config.body);
      } catch {
        return { error: 'config "body" must be a JSON object when contentType is form' };
      }
      if (values === null || typeof values !== 'object' || Array.isArray(values)) {
        return { error: 'config "body" must be a JSON object when contentType is form' };
      }
      body = new URLSearchParams(
        Object.entries(values as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
    } else {
      body = config.body;
      const type =
        config.contentType === 'json' || config.contentType === undefined
          ? 'application/json'
          : config.contentType;
      if (!headers.has('content-type')) headers.set('content-type', type);
    }
  }
  return { method: config.method, headers, ...(body === undefined ? {} : { body }) };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
