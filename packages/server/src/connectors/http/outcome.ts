/**
 * Failures as connectors report them, shared by the HTTP step and the built-in pack: a bad
 * config fails for good; refused addresses and oversized answers fail for good; timeouts,
 * network errors, 408/425/429/5xx may pass on another attempt.
 */
import { AuthorizationError } from '../../authorization/authorization-error.js';
import { OutboundError } from '../../outbound/outbound-error.js';
import type { ConnectorResult } from '../connector.js';

export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

export type Failure = Extract<ConnectorResult, { ok: false }>;

export function badConfig(message: string): Failure {
  return { ok: false, error: { code: 'BAD_CONFIG', message }, retryable: false };
}

export function failure(code: string, message: string, retryable: boolean): Failure {
  return { ok: false, error: { code, message }, retryable };
}

/** A thrown error from the outbound fetch, the authorization resolver or a file store. */
export function thrownFailure(error: unknown, what: string): Failure {
  if (error instanceof OutboundError) return failure(error.code, error.message, error.retryable);
  if (error instanceof AuthorizationError) {
    return failure(`AUTH_${error.code}`, `${what}: ${error.message}`, error.retryable);
  }
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  if (e && typeof e.code === 'string' && e.name === 'FileStoreError') {
    return failure(`FILE_${e.code}`, `${what}: ${String(e.message)}`, false);
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure('NETWORK', `${what}: ${message}`, true);
}

/** A non-2xx answer. */
export function statusFailure(what: string, status: number, body: string): Failure {
  return failure(
    `HTTP_${status}`,
    `${what} answered ${status}: ${body.slice(0, 300)}`,
    RETRYABLE_STATUS.has(status),
  );
}
