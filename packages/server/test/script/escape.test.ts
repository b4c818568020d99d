/**
 * Sandbox escapes: each attempt is stopped with a clear error (or finds nothing to escape to),
 * and the server is unharmed: the next script still runs, and nothing leaked into this process.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSource } from '../../src/script/api/prelude.js';
import { runScript, type ScriptFetch } from '../../src/script/run-script.js';
import { runInSandbox } from '../../src/script/sandbox.js';

let server: Server;
let url = '';
let hits = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const plainFetch: ScriptFetch = (u, init) =>
  fetch(u, {
    method: init.method,
    headers: init.headers,
    signal: init.signal,
    ...(init.body ? { body: init.body } : {}),
  });

function script(body: string, limits: { timeoutMs?: number; memoryBytes?: number } = {}) {
  return runScript({
    workspaceId: 'w',
    appId: 'a',
    issueId: 'i',
    idempotencyKey: 'i:1',
    debug: false,
    script: body,
    items: [{ number: 1, varName: 'out', name: 'Out', type: 'STRING_TEXTFIELD', value: 'before' }],
    configs: {},
    timeZone: 0,
    fetch: plainFetch,
    limits: { timeoutMs: 5_000, ...limits },
  });
}

/** After every escape attempt: a plain script still runs and writes. */
async function stillRuns() {
  const next = await script('engine.setDataByNumber("1", "after");');
  expect(next).toMatchObject({ ok: true, writes: [{ varName: 'out', value: { t: 'string', v: 'after' } }] });
}

describe('sandbox escapes', () => {
  it.each([
    ['process', 'process.exit(1)', /'process' is not defined/],
    ['require', 'require("fs").readFileSync("/etc/passwd")', /'require' is not defined/],
    [
      'globalThis.process',
      'globalThis.process.mainModule.require("child_process")',
      /cannot read property 'mainModule' of undefined/,
    ],
    ['Function constructor', 'Function("return process")().exit(1)', /'process' is not defined/],
    ['constructor chain', '(function(){}).constructor("return require")()("fs")', /'require' is not defined/],
    ['host function', '__nagareHost("fetch", "{}")', /'__nagareHost' is not defined/],
    ['fetch', 'fetch("http://127.0.0.1/")', /'fetch' is not defined/],
  ])('%s is not there', async (_name, body, message) => {
    const r = await script(body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('SCRIPT_ERROR');
      expect(r.message).toMatch(message);
    }
    await stillRuns();
  });

  it('import() of a module fails', async () => {
    const r = await script('import("fs").then(() => engine.setDataByNumber("1", "escaped"));');
    // a dynamic import is refused (no module loader); nothing is written either way
    if (r.ok) expect(r.writes).toEqual([]);
    else expect(r.message).toMatch(/module|import/i);
    await stillRuns();
  });

  it('prototype pollution stays inside the run', async () => {
    const r = await script(
      'Object.prototype.polluted = "yes"; String.prototype.trim = null; engine.setDataByNumber("1", "done");',
    );
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof ''.trim).toBe('function');
    const next = await script('engine.setDataByNumber("1", String(({}).polluted));');
    expect(next).toMatchObject({ ok: true, writes: [{ value: { v: 'undefined' } }] });
  });

  it('an infinite loop is stopped at the time limit', async () => {
    const started = Date.now();
    const r = await script('for (;;) {}', { timeoutMs: 1_000 });
    expect(r).toMatchObject({ ok: false, code: 'SCRIPT_TIMEOUT', message: 'the script ran longer than 1 s' });
    expect(Date.now() - started).toBeLessThan(5_000);
    await stillRuns();
  });

  it('a memory bomb is stopped at the memory limit', async () => {
    const r = await script('const keep = []; for (;;) keep.push(new Array(100000).fill(keep.length));', {
      memoryBytes: 32 * 1024 * 1024,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.code, r.message]).toEqual(['SCRIPT_MEMORY', 'the script used more than 32 MiB']);
    await stillRuns();
  });

  it('deep recursion is stopped at the stack limit', async () => {
    const r = await script('function f(n) { return f(n + 1) + 1; } f(0);');
    expect(r).toMatchObject({ ok: false, code: 'SCRIPT_STACK' });
    await stillRuns();
  });

  it('the 11th HTTP request is refused; the first 10 were sent', async () => {
    hits = 0;
    const r = await script(`for (let i = 0; i < 11; i++) httpClient.begin().get(${JSON.stringify(url)});`);
    expect(r).toMatchObject({ ok: false, code: 'SCRIPT_ERROR' });
    if (!r.ok) expect(r.message).toContain('Too many HTTP requests: at most 10 per run');
    expect(hits).toBe(10);
    await stillRuns();
  });

  it('a failing script writes nothing, even what it set before failing', async () => {
    const r = await script('engine.setDataByNumber("1", "half"); throw new Error("boom");');
    expect(r).toMatchObject({ ok: false, code: 'SCRIPT_ERROR', message: 'Error: boom' });
  });

  it('the sandbox thread is stopped hard when the interpreter cannot interrupt', async () => {
    // a host call that never answers: only the hard stop ends it
    const started = Date.now();
    const r = await runInSandbox({
      sources: [apiSource()],
      final: 'httpClient.begin().get("http://example.invalid/")',
      limits: { timeoutMs: 500 },
      onCall: () => new Promise(() => {}),
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['TIMEOUT', 'THROWN']).toContain(r.error.code);
    expect(Date.now() - started).toBeLessThan(4_000);
    await stillRuns();
  });
});
