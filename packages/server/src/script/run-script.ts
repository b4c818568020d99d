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
import { offsetAt, type ZoneSpec } from './time-zone.js';

/** Where the content of the issue's files is read from (the Workspace's FileStore fits it). */
export interface ScriptFileReader {
  read(workspaceId: string, id: string): Promise<Uint8Array>;
}

/** A file the script made and stored in a file item: stored by the caller only if the run succeeds. */
export interface StagedFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** How much file content one run may read and make. */
export interface ScriptFileLimits {
  /** One file read (default 10 MiB). */
  readonly readBytes: number;
  /** All files read in the run together (default 32 MiB). */
  readonly readTotalBytes: number;
  /** One file made and stored (default 10 MiB). */
  readonly writeBytes: number;
  /** All files made and stored in the run together (default 32 MiB). */
  readonly writeTotalBytes: number;
}

export const DEFAULT_FILE_LIMITS: ScriptFileLimits = Object.freeze({
  readBytes: 10 * 1024 * 1024,
  readTotalBytes: 32 * 1024 * 1024,
  writeBytes: 10 * 1024 * 1024,
  writeTotalBytes: 32 * 1024 * 1024,
});

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
  /** The engine's zone: an IANA name (the Workspace's) or fixed minutes east of UTC; default UTC. */
  readonly timeZone?: ZoneSpec;
  /** A fixed zone (minutes east of UTC), when `timeZone` is not given. */
  readonly timeZoneOffsetMinutes?: number;
  /** The issue's title for `processInstance.getProcessInstanceTitle()`. */
  readonly title?: string | null;
  /** Reads the content of the issue's files on demand; without it, content is not readable. */
  readonly files?: ScriptFileReader;
  readonly fileLimits?: Partial<ScriptFileLimits>;
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
      /** Files the script made, by the `stage` number its file writes name. */
      readonly files: readonly StagedFile[];
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
  const zone = run.timeZone ?? run.timeZoneOffsetMinutes ?? 0;
  const fileLimits = { ...DEFAULT_FILE_LIMITS, ...run.fileLimits };
  const readable = fileSizes(run.items);
  let readTotal = 0;
  let stagedTotal = 0;
  const staged: StagedFile[] = [];
  const input = {
    timezoneOffsetMinutes: offsetAt(zone, Date.now()),
    ...(typeof zone === 'string' ? { timezone: zone } : {}),
    httpLimit,
    process: { id: run.issueId, modelId: run.appId, seq: null, debug: run.debug, title: run.title ?? null },
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
      case 'fileRead': {
        const id = String((arg as { id?: unknown })?.id ?? '');
        const size = readable.get(id);
        if (size === undefined || !run.files)
          return { ok: false, error: 'the content of this file is not available to scripts on this server' };
        if (size > fileLimits.readBytes)
          return {
            ok: false,
            error: `the file is ${size} bytes: scripts may read files of at most ${fileLimits.readBytes} bytes`,
          };
        if (readTotal + size > fileLimits.readTotalBytes)
          return {
            ok: false,
            error: `reading this file (${size} bytes) would take the run over ${fileLimits.readTotalBytes} bytes of file content`,
          };
        const bytes = await run.files.read(run.workspaceId, id);
        readTotal += bytes.length;
        return { ok: true, value: bytes };
      }
      case 'fileStage': {
        const a = arg as { name?: unknown; contentType?: unknown; bytes?: unknown };
        const bytes = a.bytes instanceof Uint8Array ? a.bytes : new Uint8Array(0);
        const name = String(a.name ?? '');
        if (bytes.length > fileLimits.writeBytes)
          return {
            ok: false,
            error: `file ${name} is ${bytes.length} bytes: scripts may store files of at most ${fileLimits.writeBytes} bytes`,
          };
        if (stagedTotal + bytes.length > fileLimits.writeTotalBytes)
          return {
            ok: false,
            error: `storing file ${name} would take the run over ${fileLimits.writeTotalBytes} bytes of new files`,
          };
        stagedTotal += bytes.length;
        staged.push({ name, contentType: String(a.contentType ?? 'application/octet-stream'), bytes });
        return { ok: true, value: staged.length - 1 };
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
    files: staged,
  };
}

/** The files of the issue's file items the script may read, with their sizes, by id. */
function fileSizes(items: readonly ScriptItem[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    if (item.type !== 'FILE' || !Array.isArray(item.value)) continue;
    for (const f of item.value as { id?: unknown; size?: unknown }[])
      if (f && typeof f.id === 'string') out.set(f.id, Number(f.size) || 0);
  }
  return out;
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
