/**
 * Runs one script (a script step's body, or an add-on's `main()` / `proceed()`) against an
 * issue: the API and the issue's data go into the sandbox, the script runs, and its writes come
 * back to be committed together by the caller, only when it succeeded. The host side of the
 * API lives here: outbound HTTP through the given `fetch` (at most `httpLimit` requests, each
 * with an `Idempotency-Key` of the job's key and the request's position, so a retried job sends
 * the same keys), and authorization settings through the given resolver.
 */
import { apiSource } from './api/prelude.js';
import type { ScriptItem, ScriptWrite } from './data-bridge.js';
import { type HostAnswer, runInSandbox, type SandboxLimits, type SandboxSource } from './sandbox.js';

/** The fetch scripts' requests go through (narrowly typed: the outbound module's fits it). */
export type ScriptFetch = (
  url: string,
  init: { method: string; headers: [string, string][]; body?: Uint8Array; signal: AbortSignal },
) => Promise<{
  readonly status: number;
  readonly headers: { forEach(cb: (value: string, name: string) => void): void };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * An authorization setting as a script sees it (`httpClient.authSetting(name)`). `HEADERS`:
 * the server's settings answer the request headers to send (the secret never enters the
 * sandbox unless the script asks for it with `getToken()`).
 */
export interface ScriptAuthSetting {
  readonly type:
    | 'TOKEN'
    | 'OAUTH2'
    | 'BASIC'
    | 'OAUTH2_CLIENT_CREDENTIALS'
    | 'OAUTH2_JWT_BEARER'
    | 'HEADERS'
    | string;
  readonly name: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly token?: string;
  readonly user?: string;
  readonly password?: string;
  readonly clientId?: string;
  readonly scope?: string;
}

/** Finds an authorization setting by name for the issue's App (undefined: none by that name). */
export type ScriptAuthorization = (query: {
  readonly workspaceId: string;
  readonly appId: string;
  readonly name: string;
}) => Promise<ScriptAuthSetting | undefined>;

/** A mail the script built with `emailService.begin()…send()`. */
export interface ScriptMail {
  readonly to: readonly ScriptMailAddress[];
  readonly cc: readonly ScriptMailAddress[];
  readonly bcc: readonly ScriptMailAddress[];
  readonly from: ScriptMailAddress | null;
  readonly replyTo: ScriptMailAddress | null;
  readonly subject: string;
  readonly body: string;
  readonly html: string | null;
  readonly attachments: readonly {
    readonly name: string;
    readonly contentType: string;
    readonly content: string;
  }[];
}
export interface ScriptMailAddress {
  readonly address: string;
  readonly name: string | null;
}
/** Sends one mail; `messageId` is stable per job and mail, so a receiver can drop a repeat. */
export type ScriptMailer = (mail: ScriptMail, messageId: string) => Promise<void>;

/** A config as the script sees it: `get` answers `value`; `getObject` the item, setting or boolean. */
export interface ScriptConfig {
  readonly value: string;
  /** The number of a data item (SELECT configs). */
  readonly item?: number;
  readonly auth?: ScriptAuthSetting;
  readonly boolean?: boolean;
}

export interface ScriptRun {
  readonly workspaceId: string;
  readonly appId: string;
  readonly issueId: string;
  readonly idempotencyKey: string;
  readonly debug: boolean;
  readonly script: string;
  readonly scriptName?: string;
  /** Evaluated after the script: `undefined` for a script step, `main()` / `proceed()` for add-ons. */
  readonly entry?: string;
  readonly items: readonly ScriptItem[];
  readonly configs: Readonly<Record<string, ScriptConfig>>;
  readonly timeZoneOffsetMinutes: number;
  readonly temporaryData?: string | null;
  readonly fetch: ScriptFetch;
  readonly authorization?: ScriptAuthorization;
  readonly mailer?: ScriptMailer;
  readonly httpLimit?: number;
  readonly limits?: Partial<SandboxLimits>;
  readonly signal?: AbortSignal;
  /** A start-event add-on's `engine.isProcessStarted(id)`: whether its start event started an issue for `id`. */
  readonly processStarted?: (id: string) => Promise<boolean>;
}

export type ScriptOutcome =
  | {
      readonly ok: true;
      readonly writes: readonly ScriptWrite[];
      readonly logs: readonly string[];
      readonly temporaryData: string | null;
      /** What the entry returned (`false`: an add-on still in progress). */
      readonly returned: unknown;
      readonly requests: number;
      /** `engine.setStartProcess(true)` was called (a webhook add-on starts an issue). */
      readonly startProcess: boolean;
    }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly logs: readonly string[] };

/** The product's limit. */
export const HTTP_REQUEST_LIMIT = 10;
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export async function runScript(run: ScriptRun): Promise<ScriptOutcome> {
  const httpLimit = run.httpLimit ?? HTTP_REQUEST_LIMIT;
  const timeoutMs = run.limits?.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let requests = 0;
  let mails = 0;
  const input = {
    timezoneOffsetMinutes: run.timeZoneOffsetMinutes,
    httpLimit,
    process: { id: run.issueId, modelId: run.appId, seq: null, debug: run.debug, title: null },
    temporaryData: run.temporaryData ?? null,
    startedByHost: run.processStarted !== undefined,
    items: run.items,
    configs: run.configs,
  };
  const sources: SandboxSource[] = [
    apiSource(),
    { name: 'nagare/load.js', code: `__nagare.load(${JSON.stringify(JSON.stringify(input))});` },
    { name: run.scriptName ?? 'script.js', code: run.script },
  ];
  const final =
    run.entry === undefined
      ? 'JSON.stringify({ returned: null, result: __nagare.result() })'
      : `(function () { const r = ${run.entry}; return JSON.stringify({ returned: r === undefined ? null : r, result: __nagare.result() }); })()`;

  const onCall = async (op: string, arg: unknown): Promise<HostAnswer> => {
    switch (op) {
      case 'fetch': {
        // the API counts too; this count holds even if a script reached the host some other way
        if (requests >= httpLimit)
          return { ok: false, error: `Too many HTTP requests: at most ${httpLimit} per run` };
        requests++;
        return doFetch(run, arg as FetchArg, `${run.idempotencyKey}:${requests}`, deadline);
      }
      case 'authorization': {
        const name = String((arg as { name?: unknown })?.name ?? '');
        if (!run.authorization) return { ok: false, error: `Authorization Setting ${name} not found` };
        const setting = await run.authorization({ workspaceId: run.workspaceId, appId: run.appId, name });
        if (!setting) return { ok: false, error: `Authorization Setting ${name} not found` };
        return { ok: true, value: setting };
      }
      case 'mail': {
        if (!run.mailer) return { ok: false, error: 'emailService: no mail server is configured' };
        mails++;
        await run.mailer(arg as ScriptMail, `<${run.idempotencyKey}.${mails}@nagare.invalid>`);
        return { ok: true, value: null };
      }
      case 'processStarted': {
        if (!run.processStarted) return { ok: true, value: false };
        return { ok: true, value: await run.processStarted(String((arg as { id?: unknown })?.id ?? '')) };
      }
      default:
        return { ok: false, error: `${op} is not available to scripts on this server` };
    }
  };

  const result = await runInSandbox({
    sources,
    final,
    onCall,
    ...(run.limits ? { limits: run.limits } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
  });
  if (!result.ok) {
    const e = result.error;
    const code = e.code === 'THROWN' ? 'SCRIPT_ERROR' : `SCRIPT_${e.code}`;
    return { ok: false, code, message: e.message, logs: [] };
  }
  const answer = JSON.parse(result.value) as {
    returned: unknown;
    result: string;
  };
  const out = JSON.parse(answer.result) as {
    writes: ScriptWrite[];
    logs: string[];
    temporaryData: string | null;
    requests: number;
    startProcess?: boolean;
  };
  return {
    ok: true,
    writes: out.writes,
    logs: out.logs,
    temporaryData: out.temporaryData,
    returned: answer.returned,
    requests,
    startProcess: out.startProcess === true,
  };
}

interface FetchArg {
  readonly method: string;
  readonly url: string;
  readonly headers: [string, string][];
  readonly contentType: string | null;
  readonly body: string | null;
}

async function doFetch(
  run: ScriptRun,
  arg: FetchArg,
  idempotencyKey: string,
  deadline: number,
): Promise<HostAnswer> {
  const headers: [string, string][] = arg.headers.map(([k, v]) => [String(k), String(v)]);
  if (arg.contentType !== null && !headers.some(([k]) => k.toLowerCase() === 'content-type'))
    headers.push(['Content-Type', arg.contentType]);
  if (!headers.some(([k]) => k.toLowerCase() === 'idempotency-key'))
    headers.push(['Idempotency-Key', idempotencyKey]);
  const timeout = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
  const signal = run.signal ? AbortSignal.any([run.signal, timeout]) : timeout;
  try {
    const response = await run.fetch(arg.url, {
      method: arg.method,
      headers,
      ...(arg.body === null ? {} : { body: Buffer.from(arg.body, 'base64') }),
      signal,
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_RESPONSE_BYTES)
      return {
        ok: false,
        error: `${arg.method} ${arg.url}: the response is above ${MAX_RESPONSE_BYTES} bytes`,
      };
    const list: [string, string][] = [];
    let contentType = '';
    response.headers.forEach((value, name) => {
      list.push([name, value]);
      if (name.toLowerCase() === 'content-type') contentType = value;
    });
    return {
      ok: true,
      value: { status: response.status, contentType, headers: list, body: bytes.toString('base64') },
    };
  } catch (e) {
    const reason = timeout.aborted
      ? 'no answer before the time limit'
      : e instanceof Error
        ? e.message
        : String(e);
    return { ok: false, error: `${arg.method} ${arg.url}: ${reason}` };
  }
}
