import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpChoiceSource } from '../../src/options/http-choice-source.js';
import { OptionsError } from '../../src/options/options-error.js';
import { createOutboundFetch } from '../../src/outbound/outbound-fetch.js';
import { optionsXml } from './support.js';

const AREAS: [string, string][] = [
  ['8', '8: East Asia'],
  ['81', '81: Japan'],
  ['82', '82: Korea'],
  ['852', '852: Hong Kong'],
  ['1', '1: North America'],
];

/** A real choice server on 127.0.0.1: /filtering honours the protocol, /all ignores it. */
let server: Server;
let base: string;
const requests: URL[] = [];

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  requests.push(url);
  const send = (status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/xml; charset=utf-8' });
    res.end(body);
  };
  switch (url.pathname) {
    case '/filtering': {
      const query = url.searchParams.get('query');
      const parent = url.searchParams.get('parent');
      const values = url.searchParams.getAll('values');
      const items = AREAS.filter(
        ([id, label]) =>
          (values.length === 0 || values.includes(id)) &&
          (!query || label.includes(query)) &&
          (!parent || id.startsWith(parent)),
      );
      return send(200, optionsXml(items));
    }
    case '/all':
      return send(200, optionsXml(AREAS));
    case '/broken':
      return send(200, '<items>\n<item value="1" display="a"/>\n<item value="2">\n');
    case '/error':
      return send(503, 'down for maintenance');
    case '/huge':
      return send(200, optionsXml(Array.from({ length: 20_000 }, (_, i) => [String(i), 'x'.repeat(50)])));
    case '/slow':
      setTimeout(() => send(200, optionsXml(AREAS)), 3_000).unref();
      return;
    default:
      return send(404, '');
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const context = { workspaceId: 'ws-a' };
const source = new HttpChoiceSource({
  fetch: createOutboundFetch({ allow: () => ['127.0.0.1/32'] }),
  timeoutMs: 10_000,
  maxBytes: 64 * 1024,
});
/** For the slow source only: a short timeout would make the other cases flaky on a loaded machine. */
const impatient = new HttpChoiceSource({
  fetch: createOutboundFetch({ allow: () => ['127.0.0.1/32'] }),
  timeoutMs: 300,
});

async function refusal(promise: Promise<unknown>): Promise<OptionsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OptionsError);
  expect((error as OptionsError).code).toBe('CHOICES_UNAVAILABLE');
  return error as OptionsError;
}

describe('HttpChoiceSource', () => {
  it('sends query, parent and values as the product does and reads the answer', async () => {
    requests.length = 0;
    const byQuery = await source.choices(`${base}/filtering`, { query: 'Japan' }, context);
    const byParent = await source.choices(`${base}/filtering?tenant=t1`, { parent: '8' }, context);
    const byValues = await source.choices(`${base}/filtering`, { values: ['82', '1'] }, context);

    expect(byQuery).toEqual([{ value: '81', display: '81: Japan' }]);
    expect(byParent.map((i) => i.value)).toEqual(['8', '81', '82', '852']);
    expect(byValues.map((i) => i.value)).toEqual(['82', '1']);
    expect(requests.map((u) => u.search)).toEqual([
      '?query=Japan',
      '?tenant=t1&parent=8',
      '?values=82&values=1',
    ]);
  });

  it('filters an answer that ignores the parameters (dependent choices: forward match of ids)', async () => {
    expect((await source.choices(`${base}/all`, { parent: '85' }, context)).map((i) => i.value)).toEqual([
      '852',
    ]);
    expect((await source.choices(`${base}/all`, { query: 'korea' }, context)).map((i) => i.value)).toEqual([
      '82',
    ]);
    expect((await source.choices(`${base}/all`, { limit: 2 }, context)).map((i) => i.value)).toEqual([
      '8',
      '81',
    ]);
  });

  it('refuses an error status, a body that is not options XML, a body too large, a source too slow', async () => {
    expect((await refusal(source.choices(`${base}/error`, {}, context))).message).toBe(
      `the choices source ${base}/error answered HTTP 503`,
    );
    expect((await refusal(source.choices(`${base}/broken`, {}, context))).message).toMatch(
      /did not answer options XML: line 3: .*OPTIONS_/,
    );
    expect((await refusal(source.choices(`${base}/huge`, {}, context))).message).toBe(
      `the choices source ${base}/huge answered more than 65536 bytes`,
    );
    const started = performance.now();
    expect((await refusal(impatient.choices(`${base}/slow`, {}, context))).message).toBe(
      `the choices source ${base}/slow did not answer within 300 ms`,
    );
    expect(performance.now() - started).toBeLessThan(2_900);
  });

  it('refuses a URL that is not http(s), and an address the workspace has not opened', async () => {
    expect((await refusal(source.choices('file:///etc/passwd', {}, context))).message).toBe(
      'the choices URL must be http or https; got file:',
    );
    expect((await refusal(source.choices('not a url', {}, context))).message).toContain('is not a URL');
    const closed = new HttpChoiceSource({ fetch: createOutboundFetch() });
    expect((await refusal(closed.choices(`${base}/all`, {}, context))).message).toMatch(
      /could not be read: .*127\.0\.0\.1/,
    );
  });
});
