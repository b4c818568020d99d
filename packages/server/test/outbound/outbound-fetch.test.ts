import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllowList,
  cidrProblem,
  createOutboundFetch,
  embeddedIpv4,
  isRefusedAddress,
  type OutboundLogEntry,
  redactUrl,
} from '../../src/outbound/index.js';

let server: Server;
let port = 0;
let base = '';
const seen: { url: string; headers: IncomingMessage['headers']; method: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, method: req.method ?? '', body });
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else if (u.pathname === '/hop') {
        res.writeHead(Number(u.searchParams.get('s') ?? 302), { location: '/echo' }).end();
      } else if (u.pathname === '/away') {
        res.writeHead(302, { location: `http://localhost:${port}/echo` }).end();
      } else if (u.pathname === '/private') {
        res.writeHead(302, { location: 'http://10.0.0.1/' }).end();
      } else if (u.pathname === '/big') {
        // 3 MB without a content-length: the reader must stop on its own
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const push = () => {
          while (sent < 48) {
            sent++;
            if (!res.write(chunk)) return res.once('drain', push);
          }
          res.end();
        };
        push();
      } else if (u.pathname === '/gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('unzipped'));
      } else if (u.pathname === '/slow') {
        res.writeHead(200);
        res.write('partial');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${req.url}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const ctx = { workspaceId: 'W1', issueId: 'I1', node: 'call' };
const loopback = () => ['127.0.0.1/32'];

describe('address policy', () => {
  it('refuses loopback, private, link-local and reserved ranges, IPv4 and IPv6', () => {
    for (const a of [
      '127.0.0.1',
      '127.9.9.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      '::127.0.0.1',
    ]) {
      expect(isRefusedAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isRefusedAddress(a), a).toBe(false);
    }
  });

  it('reads mapped IPv6 as IPv4; an allow-list opens exactly its ranges', () => {
    expect(embeddedIpv4('::ffff:192.168.0.1')).toBe('192.168.0.1');
    expect(embeddedIpv4('::ffff:c0a8:1')).toBe('192.168.0.1');
    expect(embeddedIpv4('2001:db8::1')).toBe('2001:db8::1');
    const allow = new AllowList(['127.0.0.1/32', '10.0.0.0/8', '::1']);
    expect(isRefusedAddress('127.0.0.1', allow)).toBe(false);
    expect(isRefusedAddress('::ffff:127.0.0.1', allow)).toBe(false);
    expect(isRefusedAddress('127.0.0.2', allow)).toBe(true);
    expect(isRefusedAddress('10.200.0.1', allow)).toBe(false);
    expect(isRefusedAddress('::1', allow)).toBe(false);
    expect(isRefusedAddress('192.168.0.1', allow)).toBe(true);
  });

  it('rejects malformed allow-list entries with the entry named', () => {
    expect(cidrProblem('10.0.0.0/8')).toBeUndefined();
    expect(cidrProblem('example.com')).toMatch(/"example.com" is not an IP address/);
    expect(cidrProblem('10.0.0.0/33')).toMatch(/prefix must be 0..32/);
    expect(cidrProblem('::1/129')).toMatch(/0..128/);
    expect(cidrProblem('10.0.0.0/')).toMatch(/prefix/);
    expect(() => new AllowList(['nope'])).toThrow(/"nope"/);
  });

  it('redacts user info and secret query values', () => {
    expect(redactUrl('https://u:p@x.test/a?api_key=s3cr3t&token=t&page=2')).toBe(
      'https://x.test/a?api_key=***&token=***&page=2',
    );
  });
});

describe('createOutboundFetch', () => {
  it('refuses loopback by default, by literal and by a name that resolves to it', async () => {
    const log: OutboundLogEntry[] = [];
    const f = createOutboundFetch({ log: (e) => log.push(e) });
    const before = seen.length;
    await expect(f(`${base}/echo`, {}, ctx)).rejects.toMatchObject({ code: 'REFUSED_ADDRESS' });
    await expect(f(`http://localhost:${port}/echo`, {}, ctx)).rejects.toMatchObject({
      code: 'REFUSED_ADDRESS',
      message: expect.stringMatching(/localhost resolves to/),
    });
    await expect(f(`http://[::ffff:127.0.0.1]:${port}/echo`, {}, ctx)).rejects.toMatchObject({
      code: 'REFUSED_ADDRESS',
    });
    expect(seen.length).toBe(before); // nothing reached the server
    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({
      workspaceId: 'W1',
      issueId: 'I1',
      node: 'call',
      error: 'REFUSED_ADDRESS',
    });
  });

  it('connects to the address it checked: one DNS answer per request, rebinding cannot slip in', async () => {
    let calls = 0;
    const f = createOutboundFetch({
      allow: loopback,
      // first answer is the allowed address, any later answer would be a refused one
      resolve: async () => {
        calls++;
        return [{ address: calls === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
      },
    });
    const res = await f(`http://rebind.test:${port}/echo`, {}, ctx);
    expect(await res.text()).toBe('GET /echo');
    expect(calls).toBe(1);
    expect(seen.at(-1)?.headers.host).toBe(`rebind.test:${port}`);
    await expect(f(`http://rebind.test:${port}/echo`, {}, ctx)).rejects.toMatchObject({
      code: 'REFUSED_ADDRESS',
    });
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const f = createOutboundFetch({
      allow: loopback,
      resolve: async () => [
        { address: '127.0.0.1', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ],
    });
    await expect(f(`http://two.test:${port}/`, {}, ctx)).rejects.toMatchObject({ code: 'REFUSED_ADDRESS' });
  });

  it('sends bodies and headers; logs without header values or query secrets', async () => {
    const log: OutboundLogEntry[] = [];
    const f = createOutboundFetch({ allow: loopback, log: (e) => log.push(e) });
    const res = await f(
      `${base}/post?token=abc&x=1`,
      {
        method: 'POST',
        body: 'hello',
        headers: { authorization: 'Bearer SECRET', 'content-type': 'text/plain' },
      },
      ctx,
    );
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: 'hello' });
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer SECRET');
    const line = JSON.stringify(log);
    expect(line).not.toContain('SECRET');
    expect(line).not.toContain('abc');
    expect(log.at(-1)).toMatchObject({ method: 'POST', status: 200, url: `${base}/post?token=***&x=1` });
  });

  it('follows a limited number of redirects; 303 turns POST into GET; credentials stay on the origin', async () => {
    const f = createOutboundFetch({ allow: loopback, maxRedirects: 3 });
    const res = await f(`${base}/hop?s=303`, { method: 'POST', body: 'x' }, ctx);
    expect(await res.text()).toBe('GET /echo');
    expect(res.redirected).toBe(true);
    const kept = await f(`${base}/hop?s=307`, { method: 'POST', body: 'x' }, ctx);
    expect(await kept.text()).toBe('POST /echo');
    await expect(f(`${base}/loop`, {}, ctx)).rejects.toMatchObject({ code: 'TOO_MANY_REDIRECTS' });
    // to another origin (localhost is a different host): the Authorization header is dropped
    const g = createOutboundFetch({ allow: () => ['127.0.0.1/32', '::1/128'] });
    const away = await g(`${base}/away`, { headers: { authorization: 'Bearer S', 'x-api-token': 'T' } }, ctx);
    expect(away.status).toBe(200);
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
    expect(seen.at(-1)?.headers['x-api-token']).toBeUndefined();
    // a redirect into a refused range is refused
    const h = createOutboundFetch({ allow: loopback });
    await expect(h(`${base}/private`, {}, ctx)).rejects.toMatchObject({ code: 'REFUSED_ADDRESS' });
  });

  it('stops reading a response over the cap; decodes gzip', async () => {
    const f = createOutboundFetch({ allow: loopback, maxResponseBytes: 1024 * 1024 });
    const res = await f(`${base}/big`, {}, ctx);
    await expect(res.arrayBuffer()).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    expect(await (await f(`${base}/gzip`, {}, ctx)).text()).toBe('unzipped');
  });

  it('times out while waiting for the rest of a body; refuses non-http URLs', async () => {
    const f = createOutboundFetch({ allow: loopback, timeoutMs: 200 });
    const res = await f(`${base}/slow`, {}, ctx);
    await expect(res.text()).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(f('file:///etc/passwd', {}, ctx)).rejects.toMatchObject({ code: 'BAD_URL' });
    await expect(f('not a url', {}, ctx)).rejects.toMatchObject({ code: 'BAD_URL' });
  });
});
