/**
 * Add-on steps through the runtime: an imported add-on (from the shared corpus) deployed as a
 * step (`nagare:automation type="addon" addon="id"`), its configs mapped by its own definition,
 * run by a worker; an HTTP add-on talks to a local server through the outbound fetch.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedDir } from '../../../../../scripts/shared-dir.js';
import { addonLoader, importAddon } from '../../../src/addons/addon-store.js';
import { addonConnector } from '../../../src/connectors/addon/connector.js';
import { createConnectorRegistry } from '../../../src/connectors/connector.js';
import { createOutboundFetch } from '../../../src/outbound/outbound-fetch.js';
import { DEFAULT_WORKSPACE } from '../../../src/runtime/runtime.js';
import { describeEachDialect } from '../../support/dialects.js';
import { bpmn, flows, openRuntime, type TestRuntime } from '../../support/runtime.js';

const dir = join(sharedDir(), 'addon-corpus', 'questetra-addon-xml');

let server: Server;
let received: { body: string; contentType: string | undefined }[] = [];
let hookUrl = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: req.headers['content-type'],
      });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  hookUrl = `http://127.0.0.1:${address.port}/services/T000/B000/XXXX`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function addonStep(addon: string, configs: Record<string, string>): string {
  const c = Object.entries(configs)
    .map(([k, v]) => `<nagare:config name="${k}">${v}</nagare:config>`)
    .join('');
  return bpmn(
    `<bpmn:startEvent id="start"/>
     <bpmn:serviceTask id="step"><bpmn:extensionElements><nagare:automation type="addon" addon="${addon}">${c}</nagare:automation></bpmn:extensionElements></bpmn:serviceTask>
     <bpmn:endEvent id="end"/>${flows('start>step', 'step>end')}`,
    {
      items:
        '<nagare:dataItem number="1" fieldName="day" type="date"/><nagare:dataItem number="2" fieldName="era" type="string"/>',
    },
  );
}

async function runToEnd(t: TestRuntime, issueId: string) {
  await t.runtime.createWorker().runOnce();
  return t.runtime.getIssue(issueId);
}

describeEachDialect('add-on steps', ({ config }) => {
  async function open() {
    let t: TestRuntime | undefined;
    const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
    const connectors = createConnectorRegistry([
      addonConnector({ fetch, addons: (w, id, v) => addonLoader(t!.store.db)(w, id, v) }),
    ]);
    t = await openRuntime(config(), { connectors });
    return t;
  }

  it('runs a converter add-on: the date item becomes Japanese era text', async () => {
    const t = await open();
    try {
      await importAddon(t.store.db, {
        workspaceId: DEFAULT_WORKSPACE,
        addonId: 'date-to-jp-era',
        xml: readFileSync(join(dir, 'converter-dateToJpEra.xml'), 'utf8'),
      });
      const { appId } = await t.runtime.deploy({
        bpmn: addonStep('date-to-jp-era', { conf_DataIdA: 'day', conf_DataIdB: 'era' }),
      });
      const { issueId } = await t.runtime.startIssue({ appId, data: { day: '2019-05-01' } });
      const issue = await runToEnd(t, issueId);
      expect(issue.status).toBe('completed');
      expect((issue.state.data as Record<string, unknown>).era).toBe('令和元年5月1日');
    } finally {
      await t.close();
    }
  }, 60_000);

  it('runs an HTTP add-on against a local server', async () => {
    const t = await open();
    try {
      await importAddon(t.store.db, {
        workspaceId: DEFAULT_WORKSPACE,
        addonId: 'slack-webhook',
        xml: readFileSync(join(dir, 'slack-chat-post-webhook.xml'), 'utf8'),
      });
      const { appId } = await t.runtime.deploy({
        bpmn: addonStep('slack-webhook@1', { Url: hookUrl, Text: 'Hello from Nagare' }),
      });
      received = [];
      const { issueId } = await t.runtime.startIssue({ appId });
      const issue = await runToEnd(t, issueId);
      expect(issue.status).toBe('completed');
      expect(received).toHaveLength(1);
      expect(received[0]!.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ text: 'Hello from Nagare' });
    } finally {
      await t.close();
    }
  }, 60_000);

  it.each([
    [
      'an unknown add-on',
      'nope',
      { conf_DataIdA: 'day', conf_DataIdB: 'era' },
      'no add-on "nope" in this workspace',
    ],
    ['a missing required config', 'date-to-jp-era', { conf_DataIdA: 'day' }, 'config "conf_DataIdB"'],
    [
      'a config naming no data item',
      'date-to-jp-era',
      { conf_DataIdA: 'nothing', conf_DataIdB: 'era' },
      'no data item "nothing"',
    ],
    [
      'a config the add-on lacks',
      'date-to-jp-era',
      { conf_DataIdA: 'day', conf_DataIdB: 'era', extra: 'x' },
      'config "extra" is not a config',
    ],
    [
      'a version that does not exist',
      'date-to-jp-era@7',
      { conf_DataIdA: 'day', conf_DataIdB: 'era' },
      'no add-on "date-to-jp-era@7"',
    ],
  ])(
    'fails the step for %s and changes no data',
    async (_name, addon, configs, message) => {
      const t = await open();
      try {
        await importAddon(t.store.db, {
          workspaceId: DEFAULT_WORKSPACE,
          addonId: 'date-to-jp-era',
          xml: readFileSync(join(dir, 'converter-dateToJpEra.xml'), 'utf8'),
        });
        const { appId } = await t.runtime.deploy({ bpmn: addonStep(addon, configs) });
        const { issueId } = await t.runtime.startIssue({ appId, data: { day: '2019-05-01' } });
        const issue = await runToEnd(t, issueId);
        expect(issue.status).not.toBe('completed');
        expect((issue.state.data as Record<string, unknown>).era ?? null).toBeNull();
        const incidents = await t.runtime.listIncidents({ issueId });
        expect(incidents).toHaveLength(1);
        expect(incidents[0]!.message).toContain(message);
      } finally {
        await t.close();
      }
    },
    60_000,
  );
});
