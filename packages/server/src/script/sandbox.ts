/**
 * Runs JavaScript in a WebAssembly QuickJS sandbox on a worker thread of its own. The script
 * gets no `require`, no file system and no network: only the globals the given sources define
 * and one synchronous host function whose calls the parent answers (`onCall`). Limits: QuickJS
 * memory and stack limits, a deadline the interpreter checks (a clean `interrupted` error), and
 * a hard stop (the thread is terminated) shortly after it, so a run can never hang the server.
 */
import { createRequire } from 'node:module';
import { MessageChannel, Worker } from 'node:worker_threads';
import { SANDBOX_WORKER_SOURCE } from './sandbox-worker.js';

export interface SandboxLimits {
  /** Wall-clock time for the whole run, host calls included. */
  readonly timeoutMs: number;
  /** QuickJS heap. */
  readonly memoryBytes: number;
  /** QuickJS stack (bounds recursion). */
  readonly stackBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = Object.freeze({
  timeoutMs: 30_000,
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 1024 * 1024,
});

export interface SandboxSource {
  readonly name: string;
  readonly code: string;
}

/** Answers one host call; `{ ok: false, error }` becomes an exception in the script. */
export type HostCall = (op: string, arg: unknown) => Promise<HostAnswer>;
export type HostAnswer =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

export interface SandboxError {
  /** `THROWN` the script threw, `TIMEOUT`, `MEMORY`, `STACK`, `CRASH` the sandbox itself failed. */
  readonly code: 'THROWN' | 'TIMEOUT' | 'MEMORY' | 'STACK' | 'CRASH';
  readonly message: string;
  /** A thrown string stays a string, an Error keeps its name. */
  readonly thrown?: { readonly kind: 'error' | 'value'; readonly name: string; readonly message: string };
  readonly source?: string;
}

export type SandboxResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly error: SandboxError };

export interface SandboxRun {
  /** Evaluated in order into one global scope. */
  readonly sources: readonly SandboxSource[];
  /** An expression evaluated last; its value (a string, or JSON of it) is the result. */
  readonly final: string;
  /**
   * Run cases each in a fresh global scope (the sources evaluated again per case): `count` is
   * evaluated once, then `run` with `$i` replaced by each index; the result is a JSON array of
   * the answers (a case that throws answers `{ "error": message }`). `final` is then unused.
   */
  readonly perCase?: { readonly count: string; readonly run: string; readonly timeoutMs?: number };
  readonly limits?: Partial<SandboxLimits>;
  readonly onCall?: HostCall;
  readonly signal?: AbortSignal;
}

const HARD_STOP_GRACE_MS = 1_000;
/** Native stack for the thread: generous, so QuickJS's own stack limit trips first. */
const THREAD_STACK_MB = 16;
const require = createRequire(import.meta.url);
const QUICKJS = require.resolve('quickjs-emscripten');

export function runInSandbox(run: SandboxRun): Promise<SandboxResult> {
  const limits = { ...DEFAULT_LIMITS, ...run.limits };
  const deadline = Date.now() + limits.timeoutMs;
  const shared = new SharedArrayBuffer(4);
  const flag = new Int32Array(shared);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(SANDBOX_WORKER_SOURCE, {
    eval: true,
    workerData: {
      quickjs: QUICKJS,
      shared,
      replyPort: port2,
      deadline,
      limits,
      sources: run.sources,
      final: run.final,
      perCase: run.perCase,
    },
    transferList: [port2],
    resourceLimits: {
      stackSizeMb: THREAD_STACK_MB,
      maxOldGenerationSizeMb: 64,
      maxYoungGenerationSizeMb: 16,
    },
    stdout: true,
    stderr: true,
  });
  return new Promise<SandboxResult>((resolve) => {
    let settled = false;
    const finish = (result: SandboxResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(hardStop);
      run.signal?.removeEventListener('abort', onAbort);
      port1.close();
      void worker.terminate();
      resolve(result);
    };
    const hardStop = setTimeout(
      () => finish({ ok: false, error: { code: 'TIMEOUT', message: timeoutMessage(limits) } }),
      limits.timeoutMs + HARD_STOP_GRACE_MS,
    );
    const onAbort = () => finish({ ok: false, error: { code: 'CRASH', message: 'the run was aborted' } });
    run.signal?.addEventListener('abort', onAbort, { once: true });
    if (run.signal?.aborted) onAbort();

    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'call') {
        const call =
          run.onCall ?? (async (op: string) => ({ ok: false, error: `${op} is not available` }) as const);
        call(msg.op, msg.arg)
          .catch(
            (e: unknown): HostAnswer => ({ ok: false, error: e instanceof Error ? e.message : String(e) }),
          )
          .then((answer) => {
            if (settled) return;
            port1.postMessage(answer);
            Atomics.store(flag, 0, 1);
            Atomics.notify(flag, 0);
          });
        return;
      }
      if (msg.ok) finish({ ok: true, value: msg.value });
      else finish({ ok: false, error: classify(msg.error, limits, msg.source) });
    });
    worker.on('error', (e: Error) => {
      const memory =
        /memory|heap/i.test(e.message) || (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish({
        ok: false,
        error: memory
          ? { code: 'MEMORY', message: `the script used more than the memory limit (${e.message})` }
          : { code: 'CRASH', message: `the sandbox failed: ${e.message}` },
      });
    });
    worker.on('exit', () => finish({ ok: false, error: { code: 'CRASH', message: 'the sandbox stopped' } }));
  });
}

type WorkerMessage =
  | { type: 'call'; op: string; arg: unknown }
  | { type: 'done'; ok: true; value: string }
  | {
      type: 'done';
      ok: false;
      source?: string;
      error: { kind: 'error' | 'value' | 'host'; name: string; message: string };
    };

function timeoutMessage(limits: SandboxLimits): string {
  return `the script ran longer than ${limits.timeoutMs / 1000} s`;
}

function classify(
  error: { kind: 'error' | 'value' | 'host'; name: string; message: string },
  limits: SandboxLimits,
  source: string | undefined,
): SandboxError {
  const where = source === undefined ? {} : { source };
  if (error.kind === 'host') {
    if (/call stack/i.test(error.message))
      return { code: 'STACK', message: 'the script recursed too deeply (stack limit)', ...where };
    return { code: 'CRASH', message: `the sandbox failed: ${error.message}`, ...where };
  }
  if (error.kind === 'error' && error.name === 'InternalError') {
    if (error.message === 'interrupted')
      return { code: 'TIMEOUT', message: timeoutMessage(limits), ...where };
    if (/out of memory/i.test(error.message))
      return {
        code: 'MEMORY',
        message: `the script used more than ${Math.round(limits.memoryBytes / 1048576)} MiB`,
        ...where,
      };
    if (/stack overflow/i.test(error.message))
      return { code: 'STACK', message: 'the script recursed too deeply (stack limit)', ...where };
  }
  const thrown = {
    kind: error.kind === 'error' ? 'error' : 'value',
    name: error.name,
    message: error.message,
  } as const;
  const text = thrown.kind === 'error' ? `${thrown.name}: ${thrown.message}` : thrown.message;
  return { code: 'THROWN', message: text, thrown, ...where };
}
