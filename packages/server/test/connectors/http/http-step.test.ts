import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthorizationSettings } from '../../../src/authorization/index.js';
import { httpConnector } from '../../../src/connectors/http/connector.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { createOutboundFetch } from '../../../src/outbound/index.js';
import { describeEachDialect } from '../../support/dialects.js';
import type { TestRuntime } from '../../support/runtime.js';
import { runStep, stepApp } from './step-app.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
let server: Server;
let base = '';
const seen: Seen[] = [];
const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
const KEY = randomBytes(32).toString('base64');

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      if (req.url?.startsWith('/missing')) return res.writeHead(404).end('no such order');
      if (req.url?.startsWith('/files/')) {
        return res
          .writeHead(200, { 'content-type': 'application/pdf' })
          .end(Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0x00]));
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ order: { id: 'ord_9', total: '1200' }, items: [{ name: '茶' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describeEachDialect('http step through the runtime', ({ config }) => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nagare-http-'));
    return () => rm(dir, { recursive: true, force: true });
  });
  const deps = (t: TestRuntime) => ({
    fetch,
    fileStore: new LocalFileStore({ store: t.store, root: join(dir, String(Math.random())) }),
    authorization: new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch }),
  });

  it('a throwing message event: URL and body from data items, auth setting, JSON fields saved', async () => {
    let settings: AuthorizationSettings | undefined;
    const app = stepApp(
      'http',
      {
        url: `${base}/orders/#{q_customer}?note={{q_note}}`,
        method: 'POST',
        auth: 'shop',
        headers: 'X-Step: {{issueId}}',
        body: '{"customer":"#{#q_customer}","qty":{{= q_qty * 2}}}',
        statusItem: 'q_status',
        jsonItems: 'q_order=order.id\nq_total=$.order.total\nq_first=items[0].name',
      },
      {
        q_customer: 'string',
        q_note: 'string',
        q_qty: 'numeric',
        q_status: 'numeric',
        q_order: 'string',
        q_total: 'numeric',
        q_first: 'string',
      },
      { element: 'throwEvent' },
    );
    // the setting must exist before the job runs: save it when the connector is made
    const run = await runStep(
      config(),
      'http',
      (t) => {
        const d = deps(t);
        settings = d.authorization;
        return httpConnector(d);
      },
      app,
      { q_customer: 'a b/c', q_note: '50%', q_qty: 3 },
    ).catch((e) => {
      throw e;
    });
    try {
      // first run had no setting: the job failed for good with a clear incident
      expect(run.incidents[0]?.message).toMatch(/AUTH_UNKNOWN_SETTING: .*"shop"/);
      await settings!.save('default', run.appId, { kind: 'token', name: 'shop', token: 'tok_SECRET' });
      await run.t.runtime.retryIncident(run.issueId, run.incidents[0]!.seq);
      await run.t.runtime.createWorker().runOnce();
      const issue = await run.t.runtime.getIssue(run.issueId);
      expect(issue.status).toBe('completed');
      expect(issue.state.data).toMatchObject({
        q_status: 201,
        q_order: 'ord_9',
        q_total: 1200,
        q_first: '茶',
      });
      const req = seen.at(-1)!;
      expect(req.url).toBe('/orders/a%20b%2Fc?note=50%25');
      expect(JSON.parse(req.body.toString())).toEqual({ customer: 'a b/c', qty: 6 });
      expect(req.headers).toMatchObject({
        authorization: 'Bearer tok_SECRET',
        'x-step': run.issueId,
        'idempotency-key': expect.stringMatching(new RegExp(`^${run.issueId}:`)),
        'content-type': 'application/json',
      });
    } finally {
      await run.t.close();
    }
  });

  it('multipart with a file item; a body from a data item as text/xml', async () => {
    const run = await runStep(
      config(),
      'http',
      (t) => httpConnector(deps(t)),
      stepApp(
        'http',
        {
          url: `${base}/upload`,
          method: 'PUT',
          contentType: 'multipart',
          body: '{"title":"#{q_title}","doc":{"file":"q_files"}}',
        },
        { q_title: 'string', q_files: 'file' },
      ),
      { q_title: '見積' },
    );
    try {
      // no file yet: the step fails for good naming the item
      expect(run.incidents[0]?.message).toMatch(/BAD_CONFIG: .*q_files/);
    } finally {
      await run.t.close();
    }
    let stored: unknown;
    const second = await runStep(
      config(),
      'http',
      (t) => {
        const d = deps(t);
        stored = d.fileStore
          .put('default', {
            name: 'quote.txt',
            contentType: 'text/plain',
            bytes: new TextEncoder().encode('FILE-BODY'),
          })
          .then((f) => [{ id: f.id, name: f.name, contentType: f.contentType, size: f.size }]);
        return httpConnector(d);
      },
      stepApp(
        'http',
        { url: `${base}/xml`, method: 'POST', contentType: 'text/xml', requestBodyItem: 'q_xml' },
        {
          q_xml: 'string',
        },
      ),
      { q_xml: '<order id="1"/>' },
    );
    try {
      expect(second.status).toBe('completed');
      expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/xml' });
      expect(seen.at(-1)?.headers['content-type']).toBe('text/xml');
      expect(seen.at(-1)?.body.toString()).toBe('<order id="1"/>');
      const files = await stored;
      const { appId } = await second.t.runtime.deploy({
        bpmn: stepApp(
          'http',
          {
            url: `${base}/upload`,
            method: 'PUT',
            contentType: 'multipart',
            body: '{"title":"#{q_title}","doc":{"file":"q_files"}}',
          },
          { q_title: 'string', q_files: 'file' },
        ),
      });
      const { issueId } = await second.t.runtime.startIssue({
        appId,
        data: { q_title: '見積', q_files: files as never },
      });
      await second.t.runtime.createWorker().runOnce();
      expect((await second.t.runtime.getIssue(issueId)).status).toBe('completed');
      const req = seen.at(-1)!;
      expect(req.method).toBe('PUT');
      expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const text = req.body.toString();
      expect(text).toContain('name="title"');
      expect(text).toContain('見積');
      expect(text).toContain('filename="quote.txt"');
      expect(text).toContain('FILE-BODY');
    } finally {
      await second.t.close();
    }
  });

  it('the response body into a file item, named from data', async () => {
    let store: LocalFileStore | undefined;
    const run = await runStep(
      config(),
      'http',
      (t) => {
        const d = deps(t);
        store = d.fileStore;
        return httpConnector(d);
      },
      stepApp(
        'http',
        {
          url: `${base}/files/invoice.pdf`,
          responseFileItem: 'q_doc',
          responseFileName: '請求書-{{q_no}}.pdf',
        },
        { q_doc: 'file', q_no: 'string' },
      ),
      { q_no: '42' },
    );
    try {
      expect(run.status).toBe('completed');
      const [file] = run.data.q_doc as { id: string; name: string; contentType: string; size: number }[];
      expect(file).toMatchObject({ name: '請求書-42.pdf', contentType: 'application/pdf', size: 6 });
      expect([...(await store!.read('default', file!.id))]).toEqual([0x25, 0x50, 0x44, 0x46, 0xff, 0x00]);
    } finally {
      await run.t.close();
    }
  });

  it('onError=continue records a 404 into data items; a typo in a template is an incident', async () => {
    const run = await runStep(
      config(),
      'http',
      (t) => httpConnector(deps(t)),
      stepApp(
        'http',
        { url: `${base}/missing`, onError: 'continue', statusItem: 'q_status', errorItem: 'q_error' },
        { q_status: 'numeric', q_error: 'string' },
      ),
      {},
    );
    try {
      expect(run.status).toBe('completed');
      expect(run.data).toMatchObject({
        q_status: 404,
        q_error: expect.stringMatching(/^HTTP_404: .*no such order/),
      });
    } finally {
      await run.t.close();
    }
    const typo = await runStep(
      config(),
      'http',
      (t) => httpConnector(deps(t)),
      stepApp('http', { url: `${base}/x/#{q_nmae}` }, { q_name: 'string' }),
      {},
    );
    try {
      expect(typo.status).not.toBe('completed');
      expect(typo.incidents[0]?.message).toMatch(/BAD_CONFIG: .*no data item "q_nmae"/);
    } finally {
      await typo.t.close();
    }
  });
});
