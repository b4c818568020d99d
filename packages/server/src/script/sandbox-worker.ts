/**
 * The code a sandbox worker thread runs (plain CommonJS, evaluated with `eval: true` so it
 * needs no build step). It instantiates QuickJS (the sync WebAssembly build: no asyncify, so a
 * script's frames cost little native stack), applies the memory, stack and time limits,
 * evaluates the given sources in order and answers the final expression's string.
 *
 * Host calls are synchronous from the script's point of view: `__nagareHost(op, json)` either
 * computes in this thread (digests, HMAC, base64) or posts the call to the parent and blocks
 * in `Atomics.wait` until the parent has put the answer on `replyPort` (HTTP, authorization
 * settings, mail). The script never sees a promise, a host object or a Node module.
 */
export const SANDBOX_WORKER_SOURCE = String.raw`
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, shouldInterruptAfterDeadline } = require(workerData.quickjs);

const flag = new Int32Array(workerData.shared);
const replyPort = workerData.replyPort;

function callParent(op, arg) {
  Atomics.store(flag, 0, 0);
  parentPort.postMessage({ type: 'call', op, arg });
  for (;;) {
    const remaining = workerData.deadline - Date.now();
    if (remaining <= 0) throw new Error('time limit reached while waiting for ' + op);
    const r = Atomics.wait(flag, 0, 0, remaining);
    if (r !== 'timed-out') break;
  }
  const msg = receiveMessageOnPort(replyPort);
  if (!msg) throw new Error('no answer from the host for ' + op);
  return msg.message;
}

function local(op, arg) {
  switch (op) {
    case 'digest':
      return crypto.createHash(arg.algorithm).update(Buffer.from(arg.data, 'base64')).digest('base64');
    case 'hmac':
      return crypto
        .createHmac(arg.algorithm, Buffer.from(arg.key, 'base64'))
        .update(Buffer.from(arg.data, 'base64'))
        .digest('base64');
    case 'utf8encode':
      return Buffer.from(arg, 'utf8').toString('base64');
    case 'utf8decode':
      return Buffer.from(arg, 'base64').toString('utf8');
    case 'decode':
      return new TextDecoder(arg.charset).decode(Buffer.from(arg.data, 'base64'));
    case 'tzoffset':
      return zoneOffset(String(arg.zone), Number(arg.ms));
    default:
      return undefined;
  }
}

/** Minutes east of UTC in an IANA zone at an instant, from the platform's zone data. */
const zoneFormats = new Map();
function zoneOffset(zone, ms) {
  let f = zoneFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    zoneFormats.set(zone, f);
  }
  const part = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName');
  const m = part ? /^GMT([+-])(\d{2}):?(\d{2})?/.exec(part.value) : null;
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] || 0)) : 0;
}

/** Shift_JIS (Windows-31J) encoding, built once from the platform's decoder (it only decodes). */
let sjisTable;
function sjisEncode(text) {
  if (!sjisTable) {
    sjisTable = new Map();
    const dec = new TextDecoder('shift_jis');
    for (let b = 0xa1; b <= 0xdf; b++) sjisTable.set(dec.decode(Uint8Array.of(b)), [b]);
    for (let lead = 0x81; lead <= 0xfc; lead++) {
      if (lead > 0x9f && lead < 0xe0) continue;
      for (let trail = 0x40; trail <= 0xfc; trail++) {
        if (trail === 0x7f) continue;
        const ch = dec.decode(Uint8Array.of(lead, trail));
        if (ch.length === 1 && ch !== '\ufffd' && !sjisTable.has(ch)) sjisTable.set(ch, [lead, trail]);
      }
    }
  }
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else {
      const bytes = sjisTable.get(ch);
      if (bytes) out.push(...bytes);
      else out.push(0x3f);
    }
  }
  return Buffer.from(out);
}

(async () => {
  // QuickJS's own accounting misses large allocations in this build, so the WebAssembly memory
  // itself is capped: beyond it malloc fails and QuickJS throws "out of memory"
  const PAGE = 65536;
  const maxPages = Math.max(256, Math.ceil((workerData.limits.memoryBytes + 16 * 1048576) / PAGE));
  const memory = new WebAssembly.Memory({ initial: 256, maximum: maxPages });
  const mod = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
  const rt = mod.newRuntime();
  rt.setMemoryLimit(workerData.limits.memoryBytes);
  rt.setMaxStackSize(workerData.limits.stackBytes);
  rt.setInterruptHandler(shouldInterruptAfterDeadline(workerData.deadline));
  const describe = (ctx, handle) => {
    const thrown = ctx.dump(handle);
    handle.dispose();
    // out of memory so badly that not even an error object could be made: QuickJS throws null
    if (thrown === null && memory.buffer.byteLength >= 0.9 * maxPages * PAGE)
      return { kind: 'error', name: 'InternalError', message: 'out of memory' };
    if (thrown && typeof thrown === 'object') {
      return {
        kind: 'error',
        name: String(thrown.name || 'Error'),
        message: String(thrown.message === undefined ? JSON.stringify(thrown) : thrown.message),
        stack: thrown.stack ? String(thrown.stack) : undefined,
      };
    }
    return { kind: 'value', name: 'Thrown', message: String(thrown) };
  };

  /** A fresh global scope with the host functions and the sources evaluated; a string on failure. */
  const open = () => {
    const ctx = rt.newContext();
    const host = ctx.newFunction('__nagareHost', (opH, argH) => {
      const op = ctx.getString(opH);
      const arg = argH === undefined ? null : JSON.parse(ctx.getString(argH));
      let result;
      try {
        const mine = local(op, arg);
        result = mine !== undefined ? { ok: true, value: mine } : callParent(op, arg);
      } catch (e) {
        result = { ok: false, error: String(e && e.message ? e.message : e) };
      }
      return ctx.newString(JSON.stringify(result));
    });
    ctx.setProp(ctx.global, '__nagareHost', host);
    host.dispose();
    // evaluates a source as a global script (its top-level const/let land in the global scope),
    // for the harness's execute(); what the source throws is thrown to the caller as it is
    const evalScript = ctx.newFunction('__nagareEval', (codeH, nameH) => {
      const r = ctx.evalCode(ctx.getString(codeH), nameH === undefined ? 'script.js' : ctx.getString(nameH));
      if (r.error) return { error: r.error };
      return r.value;
    });
    ctx.setProp(ctx.global, '__nagareEval', evalScript);
    evalScript.dispose();
    // byte work in C speed instead of QuickJS loops (multi-MB files): ArrayBuffers in and out
    const bytes = ctx.newFunction('__nagareBytes', (opH, aH, bH) => {
      const op = ctx.getString(opH);
      const buf = (h) => {
        const life = ctx.getArrayBuffer(h);
        const copy = Buffer.from(life.value);
        life.dispose();
        return copy;
      };
      const out = (b) => ctx.newArrayBuffer(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      switch (op) {
        case 'utf8encode': return out(Buffer.from(ctx.getString(aH), 'utf8'));
        case 'latin1encode': return out(Buffer.from(ctx.getString(aH).replace(/[^\u0000-\u00ff]/g, '?'), 'latin1'));
        case 'latin1decode': return ctx.newString(buf(aH).toString('latin1'));
        case 'sjisencode': return out(sjisEncode(ctx.getString(aH)));
        case 'utf8length': return ctx.newNumber(Buffer.byteLength(ctx.getString(aH), 'utf8'));
        case 'utf8decode': return ctx.newString(buf(aH).toString('utf8'));
        case 'b64encode': return ctx.newString(buf(aH).toString(ctx.getString(bH) === 'url' ? 'base64url' : 'base64'));
        case 'b64decode': return out(Buffer.from(ctx.getString(aH), 'base64'));
        case 'decode': return ctx.newString(new TextDecoder(ctx.getString(bH)).decode(buf(aH)));
        case 'digest': return out(crypto.createHash(ctx.getString(bH)).update(buf(aH)).digest());
        // file content crosses as bytes (structured clone), never as base64 text in the script's heap
        case 'fileread': {
          let r;
          try { r = callParent('fileRead', { id: ctx.getString(aH) }); } catch (e) { r = { ok: false, error: String(e && e.message ? e.message : e) }; }
          if (!r.ok) return { error: ctx.newError(r.error) };
          return out(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
        }
        case 'filestage': {
          let r;
          try { r = callParent('fileStage', Object.assign(JSON.parse(ctx.getString(aH)), { bytes: buf(bH) })); } catch (e) { r = { ok: false, error: String(e && e.message ? e.message : e) }; }
          if (!r.ok) return { error: ctx.newError(r.error) };
          return ctx.newNumber(r.value);
        }
        default: return { error: ctx.newError('unknown byte operation ' + op) };
      }
    });
    ctx.setProp(ctx.global, '__nagareBytes', bytes);
    bytes.dispose();
    for (const source of workerData.sources) {
      const r = ctx.evalCode(source.code, source.name);
      if (r.error) return { ctx, error: describe(ctx, r.error), source: source.name };
      r.value.dispose();
    }
    return { ctx };
  };

  const first = open();
  if (first.error) {
    parentPort.postMessage({ type: 'done', ok: false, error: first.error, source: first.source });
    return;
  }
  const ctx = first.ctx;
  if (workerData.perCase) {
    // one fresh global scope per case: count the cases, then run case i in a context of its own
    const c = ctx.evalCode(workerData.perCase.count, 'count.js');
    if (c.error) {
      parentPort.postMessage({ type: 'done', ok: false, error: describe(ctx, c.error), source: 'count.js' });
      return;
    }
    const count = ctx.dump(c.value);
    c.value.dispose();
    const results = [];
    for (let i = 0; i < count; i++) {
      if (workerData.perCase.timeoutMs)
        rt.setInterruptHandler(shouldInterruptAfterDeadline(Math.min(workerData.deadline, Date.now() + workerData.perCase.timeoutMs)));
      const one = i === 0 ? first : open();
      if (one.error) {
        results.push(JSON.stringify({ error: one.error.message }));
      } else {
        const r = one.ctx.evalCode(workerData.perCase.run.replace('$i', String(i)), 'final.js');
        if (r.error) {
          const e = describe(one.ctx, r.error);
          if (e.name === 'InternalError' && e.message === 'interrupted' && Date.now() >= workerData.deadline) {
            parentPort.postMessage({ type: 'done', ok: false, error: e, source: 'final.js' });
            return;
          }
          results.push(JSON.stringify({ error: e.message }));
        } else {
          results.push(one.ctx.dump(r.value));
          r.value.dispose();
        }
      }
      if (i > 0 && one.ctx) one.ctx.dispose();
    }
    parentPort.postMessage({ type: 'done', ok: true, value: '[' + results.join(',') + ']' });
    return;
  }
  const r = ctx.evalCode(workerData.final, 'final.js');
  if (r.error) {
    parentPort.postMessage({ type: 'done', ok: false, error: describe(ctx, r.error), source: 'final.js' });
    return;
  }
  const value = ctx.dump(r.value);
  r.value.dispose();
  parentPort.postMessage({ type: 'done', ok: true, value: typeof value === 'string' ? value : JSON.stringify(value) });
})().catch((e) => {
  parentPort.postMessage({
    type: 'done',
    ok: false,
    error: { kind: 'host', name: e && e.name ? String(e.name) : 'Error', message: String(e && e.message ? e.message : e) },
  });
});
`;
