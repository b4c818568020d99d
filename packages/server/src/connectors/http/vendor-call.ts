/**
 * One call of the built-in pack to a vendor API: through the outbound fetch (address policy,
 * logging), with the step's authorization headers and a 30 s timeout; the answer read as
 * text and, when it is JSON, parsed.
 */
import type { AuthorizationResolver } from '../../authorization/authorization-settings.js';
import type { OutboundFetch } from '../../outbound/outbound-fetch.js';
import type { JobIssue, JobRun } from '../connector.js';
import { badConfig, type Failure, failure, statusFailure, thrownFailure } from './outcome.js';
import { renderTemplate } from './template.js';

export const VENDOR_TIMEOUT_MS = 30_000;

export interface VendorAnswer {
  readonly status: number;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface VendorRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: RequestInit['body'];
}

/** Calls and returns the answer; a non-2xx answer is a failure (retryable per status). */
export async function vendorCall(
  fetch: OutboundFetch,
  job: JobRun,
  signal: AbortSignal,
  what: string,
  request: VendorRequest,
): Promise<VendorAnswer | Failure> {
  const timeout = AbortSignal.timeout(VENDOR_TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await fetch(
      request.url,
      {
        method: request.method,
        headers: request.headers ?? {},
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.any([signal, timeout]),
      },
      { workspaceId: job.workspaceId, issueId: job.issueId, node: job.node },
    );
    text = await response.text();
  } catch (error) {
    if (timeout.aborted && !signal.aborted) {
      return failure('TIMEOUT', `${what}: no answer within ${VENDOR_TIMEOUT_MS} ms`, true);
    }
    return thrownFailure(error, what);
  }
  if (response.status < 200 || response.status > 299) return statusFailure(what, response.status, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** The headers of the step's `auth` setting (required). */
export async function stepAuth(
  authorization: AuthorizationResolver | undefined,
  job: JobRun,
  issue: JobIssue,
  name: string | undefined,
  signal: AbortSignal,
): Promise<Record<string, string> | Failure> {
  if (!name) return badConfig('config "auth" is required: the name of an authorization setting of the app');
  if (!authorization) return badConfig('this server has no authorization settings');
  try {
    return await authorization.headersFor(job.workspaceId, issue.appId, name, signal);
  } catch (error) {
    return thrownFailure(error, `authorization setting "${name}"`);
  }
}

/** A config's text with data items filled in; `required` refuses an empty result. */
export function configText(
  issue: JobIssue,
  configs: Readonly<Record<string, string>>,
  name: string,
  required: boolean,
): string | Failure {
  const raw = configs[name];
  if (raw === undefined || raw.trim() === '') {
    return required ? badConfig(`config "${name}" is required`) : '';
  }
  const r = renderTemplate(raw, issue);
  if (!r.ok) return badConfig(`config "${name}": ${r.error}`);
  if (required && r.text.trim() === '')
    return badConfig(`config "${name}" is empty once its data items are filled in`);
  return r.text;
}

/** The base URL: the step's `baseUrl`, else the connector's, without a trailing slash. */
export function baseUrlOf(
  configs: Readonly<Record<string, string>>,
  fallback: string | undefined,
): string | Failure {
  const text = (configs.baseUrl?.trim() || fallback || '').replace(/\/+$/, '');
  try {
    const u = new URL(text);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    return badConfig(`config "baseUrl" must be an http(s) URL, got "${text}"`);
  }
  return text;
}
