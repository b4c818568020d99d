import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthorizationSettings } from '../../../src/authorization/index.js';
import { readKintoneConfig } from '../../../src/connectors/kintone/config.js';
import { kintoneConnector } from '../../../src/connectors/kintone/connector.js';
import { createOutboundFetch } from '../../../src/outbound/index.js';
import { describeEachDialect } from '../../support/dialects.js';
import type { TestRuntime } from '../../support/runtime.js';
import { runStep, stepApp } from '../http/step-app.js';
import { startVendorServer, type VendorServer } from '../http/vendor-server.js';

const KEY = randomBytes(32).toString('base64');
const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
let kintone: VendorServer;
const records = new Map<string, Record<string, { type: string; value: unknown }>>();

beforeAll(async () => {
  // /k/v1/record.json as documented: X-Cybozu-API-Token; POST {app, record}; GET ?app=&id=
  kintone = await startVendorServer((req) => {
    if (req.path !== '/k/v1/record.json') return { status: 404, json: { code: 'GAIA_NO' } };
    if (req.headers['x-cybozu-api-token'] !== 'kt-token')
      return { status: 401, json: { code: 'GAIA_IA02', message: 'token' } };
    if (req.method === 'POST') {
      if (req.headers['content-type'] !== 'application/json')
        return { status: 400, json: { code: 'CB_IJ01' } };
      const body = JSON.parse(req.body.toString()) as {
        app: string;
        record: Record<string, { value: unknown }>;
      };
      if (body.app !== '7') return { status: 404, json: { code: 'GAIA_AP01', message: 'no app' } };
      const id = String(records.size + 1);
      records.set(
        id,
        Object.fromEntries(
          Object.entries(body.record).map(([k, v]) => [k, { type: 'SINGLE_LINE_TEXT', value: v.value }]),
        ),
      );
      return { status: 200, json: { id, revision: '1' } };
    }
    const record = records.get(req.query.get('id') ?? '');
    if (req.query.get('app') !== '7' || !record)
      return { status: 404, json: { code: 'GAIA_RE01', message: 'no record' } };
    return {
      status: 200,
      json: { record: { ...record, $id: { type: '__ID__', value: req.query.get('id') } } },
    };
  });
});
afterAll(() => kintone.close());

describeEachDialect('kintone step through the runtime', ({ config }) => {
  const make = (t: TestRuntime) =>
    kintoneConnector({
      fetch,
      authorization: new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch }),
    });
  const saveToken = (t: TestRuntime, appId: string) =>
    new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch })
      .save('default', appId, {
        kind: 'header',
        name: 'kintone',
        headerName: 'X-Cybozu-API-Token',
        value: 'kt-token',
      })
      .then(() => undefined);
  const items = {
    q_company: 'string',
    q_amount: 'numeric',
    q_id: 'string',
    q_back: 'string',
    q_back_amount: 'numeric',
  };

  it('adds a record from data items, then reads it back into other items', async () => {
    const run = await runStep(
      config(),
      'kintone',
      make,
      stepApp(
        'kintone',
        {
          auth: 'kintone',
          baseUrl: kintone.base,
          action: 'addRecord',
          app: '7',
          fields: 'company=q_company\namount=q_amount',
          recordIdItem: 'q_id',
        },
        items,
      ),
      { q_company: '株式会社流れ', q_amount: 30000 },
      saveToken,
    );
    try {
      expect(run.incidents).toEqual([]);
      const id = run.data.q_id as string;
      expect(id).toMatch(/^\d+$/);
      expect(JSON.parse(kintone.requests.at(-1)!.body.toString())).toEqual({
        app: '7',
        record: { company: { value: '株式会社流れ' }, amount: { value: '30000' } },
      });
      const { appId } = await run.t.runtime.deploy({
        bpmn: stepApp(
          'kintone',
          {
            auth: 'kintone',
            baseUrl: kintone.base,
            action: 'getRecord',
            app: '7',
            recordId: '{{q_id}}',
            fields: 'company=q_back\namount=q_back_amount',
          },
          items,
        ),
      });
      await saveToken(run.t, appId);
      const { issueId } = await run.t.runtime.startIssue({ appId, data: { q_id: id } });
      await run.t.runtime.createWorker().runOnce();
      const issue = await run.t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(issue.state.data).toMatchObject({ q_back: '株式会社流れ', q_back_amount: 30000 });
      expect(kintone.requests.at(-1)?.method).toBe('GET');
    } finally {
      await run.t.close();
    }
  });

  it('a wrong app id is a non-retryable 404; bad configs are refused', async () => {
    const run = await runStep(
      config(),
      'kintone',
      make,
      stepApp(
        'kintone',
        {
          auth: 'kintone',
          baseUrl: kintone.base,
          action: 'addRecord',
          app: '99',
          fields: 'company=q_company',
        },
        items,
      ),
      { q_company: 'x' },
      saveToken,
    );
    try {
      expect(run.incidents[0]?.message).toMatch(/HTTP_404: kintone add record answered 404/);
    } finally {
      await run.t.close();
    }
    expect(readKintoneConfig({ action: 'deleteAll', app: '1' })).toMatch(/"action"/);
    expect(readKintoneConfig({ action: 'addRecord', app: 'x' })).toMatch(/"app"/);
    expect(readKintoneConfig({ action: 'addRecord', app: '1' })).toMatch(/"fields" is required/);
    expect(readKintoneConfig({ action: 'getRecord', app: '1', fields: 'nope' })).toMatch(
      /"nope" is not "item=path"/,
    );
  });
});
