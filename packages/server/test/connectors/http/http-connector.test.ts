import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRun } from '../../../src/connectors/connector.js';
import { readHttpConfig } from '../../../src/connectors/http/config.js';
import { httpConnector as makeHttpConnector } from '../../../src/connectors/http/connector.js';
import { createOutboundFetch } from '../../../src/outbound/index.js';

const loopbackFetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
const httpConnector = () => makeHttpConnector({ fetch: loopbackFetch });

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base = '';
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
      if (req.url?.startsWith('/slow')) return; // never answers
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function job(configs: Record<string, string>): JobRun {
  return {
    workspaceId: 'W1',
    issueId: 'I1',
    seq: 3,
    node: 'call',
    attempt: 1,
    maxAttempts: 5,
    idempotencyKey: 'I1:3',
    automation: { type: 'http', configs },
    issue: () => Promise.reject(new Error('the http connector reads no issue data')),
  };
}

const signal = new AbortController().signal;

describe('http connector', () => {
  it('sends the Idempotency-Key, the JSON body and headers; puts status and body into data items', async () => {
    const result = await httpConnector().run(
      job({
        url: `${base}/charge`,
        body: '{"amount":42}',
        headers: 'X-Tenant: acme',
        statusItem: 'status',
        bodyItem: 'body',
      }),
      signal,
    );
    expect(result).toEqual({ ok: true, data: { status: 200, body: '{"ok":true}' } });
    const req = seen.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', url: '/charge', body: '{"amount":42}' });
    expect(req.headers).toMatchObject({
      'idempotency-key': 'I1:3',
      'content-type': 'application/json',
      'x-tenant': 'acme',
    });
  });

  it('form bodies are urlencoded; GET sends no body', async () => {
    await httpConnector().run(
      job({ url: `${base}/form`, body: '{"a":"1 2","b":3}', contentType: 'form' }),
      signal,
    );
    expect(seen.at(-1)).toMatchObject({ body: 'a=1+2&b=3' });
    expect(seen.at(-1)?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    await httpConnector().run(job({ url: `${base}/get`, method: 'get' }), signal);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', body: '' });
  });

  it('5xx and 429 are retryable, other 4xx are not', async () => {
    const run = (status: number) => httpConnector().run(job({ url: `${base}/x?status=${status}` }), signal);
    expect(await run(503)).toMatchObject({ ok: false, retryable: true, error: { code: 'HTTP_503' } });
    expect(await run(429)).toMatchObject({ ok: false, retryable: true });
    expect(await run(404)).toMatchObject({ ok: false, retryable: false, error: { code: 'HTTP_404' } });
  });

  it('refuses loopback unless the workspace allows it, without sending anything', async () => {
    const before = seen.length;
    const refused = await makeHttpConnector().run(job({ url: `${base}/x` }), signal);
    expect(refused).toMatchObject({ ok: false, retryable: false, error: { code: 'REFUSED_ADDRESS' } });
    expect(seen.length).toBe(before);
  });

  it('times out (retryable) and reports unreachable hosts as retryable network errors', async () => {
    const slow = await httpConnector().run(job({ url: `${base}/slow`, timeout: '100' }), signal);
    expect(slow).toMatchObject({ ok: false, retryable: true, error: { code: 'TIMEOUT' } });
    const down = await httpConnector().run(job({ url: 'http://127.0.0.1:1/' }), signal);
    expect(down).toMatchObject({ ok: false, retryable: true, error: { code: 'NETWORK' } });
  });

  it('refuses a bad configuration without calling anyone', () => {
    expect(readHttpConfig({})).toMatchObject({ ok: false });
    expect(readHttpConfig({ url: 'ftp://x' })).toMatchObject({ ok: false });
    expect(readHttpConfig({ url: 'http://x', method: 'BREW' })).toMatchObject({ ok: false });
    expect(readHttpConfig({ url: 'http://x', headers: '{bad' })).toMatchObject({ ok: false });
    expect(readHttpConfig({ url: 'http://x', timeout: '-1' })).toMatchObject({ ok: false });
    expect(readHttpConfig({ url: 'http://x', contentType: 'not a type' })).toMatchObject({ ok: false });
    expect(readHttpConfig({ url: 'http://x', onError: 'ignore' })).toMatchObject({ ok: false });
    expect(readHttpConfig({ url: 'http://x', jsonItems: 'q_a' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"q_a" is not "item=path"/),
    });
    expect(readHttpConfig({ url: 'http://x', body: 'a', requestBodyItem: 'q_b' })).toMatchObject({
      ok: false,
    });
    expect(readHttpConfig({ url: 'http://x/#{q_id}' })).toMatchObject({ ok: true });
    expect(readHttpConfig({ url: 'http://x' })).toMatchObject({
      ok: true,
      config: { method: 'GET', timeoutMs: 30_000 },
    });
  });
});
