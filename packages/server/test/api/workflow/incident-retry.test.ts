import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessLog } from '../../../src/process-log/process-log.js';
import { buildWorkflowApp, type WorkflowTestApp } from './support.js';

/** start (amount) → gateway: amount > 10 → end, amount < 0 → refund; no default, so 0..10 is a NO_FLOW incident. */
const GATE_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="defs" targetNamespace="urn:test">
  <bpmn:process id="Gate" name="Gate" isExecutable="true">
    <bpmn:extensionElements><nagare:dataItems>
      <nagare:dataItem number="0" fieldName="amount" name="Amount" type="numeric" />
      <nagare:dataItem number="1" fieldName="secret" name="Secret" type="string" />
    </nagare:dataItems></bpmn:extensionElements>
    <bpmn:startEvent id="start"/>
    <bpmn:exclusiveGateway id="gw"/>
    <bpmn:endEvent id="end"/>
    <bpmn:endEvent id="refund"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>
    <bpmn:sequenceFlow id="low" sourceRef="gw" targetRef="refund"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">amount &lt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="high" sourceRef="gw" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">amount &gt; 10</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>`;

let t: WorkflowTestApp;
let alice: Record<string, string>;
let bob: Record<string, string>;
let eve: Record<string, string>;
let appId = '';

beforeAll(async () => {
  t = await buildWorkflowApp();
  alice = { ...(t.ws.users.alice?.headers ?? {}) };
  bob = { ...(t.ws.users.bob?.headers ?? {}) };
  eve = { ...(t.other.users.eve?.headers ?? {}) };
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/apps',
    headers: alice,
    payload: { bpmn: GATE_BPMN, name: 'Gate' },
  });
  expect(created.statusCode, created.body).toBe(201);
  appId = created.json().appId;
  await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/versions/1/release`,
    headers: alice,
    payload: {},
  });
});
afterAll(async () => t.close());

const code = (r: { json(): unknown }) => (r.json() as { error: { code: string } }).error.code;

describe('POST /api/issues/{issueId}/incidents/{seq}/retry', () => {
  it('an App administrator fixes the data and retries; the process log names them; others are refused', async () => {
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: alice,
      payload: { data: { amount: 1 } },
    });
    expect(started.statusCode, started.body).toBe(201);
    const issueId = started.json().issueId as string;
    const [incident] = await t.runtime.listIncidents({ issueId, workspaceId: 'default' });
    expect(incident?.code).toBe('NO_FLOW');
    const url = `/api/issues/${issueId}/incidents/${incident!.seq}/retry`;

    // refused: not a manager, another workspace, unknown incident, bad data
    expect(code(await t.app.inject({ method: 'POST', url, headers: bob, payload: {} }))).toBe(
      'NAGARE_FORBIDDEN',
    );
    expect(code(await t.app.inject({ method: 'POST', url, headers: eve, payload: {} }))).toBe(
      'NAGARE_NOT_FOUND',
    );
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: `/api/issues/${issueId}/incidents/99/retry`,
          headers: alice,
          payload: {},
        }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    const bad = await t.app.inject({
      method: 'POST',
      url,
      headers: alice,
      payload: { data: { amount: 'lots' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'NAGARE_INVALID_DATA',
      details: [{ fieldName: 'amount' }],
    });
    expect(code(await t.app.inject({ method: 'POST', url, headers: alice, payload: { nope: 1 } }))).toBe(
      'NAGARE_INVALID_REQUEST',
    );
    expect((await t.runtime.getIssue(issueId)).status).toBe('active');

    // when
    const retried = await t.app.inject({
      method: 'POST',
      url,
      headers: alice,
      payload: { data: { amount: 20 } },
    });

    // then
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: issueId, status: 'completed' });
    const { entries } = await new ProcessLog(t.store).query('default', { issueId });
    const aliceId = t.ws.users.alice!.id;
    expect(entries.find((e) => e.kind === 'incident-resolved')).toMatchObject({ step: 'gw', actor: aliceId });
    expect(
      entries.find((e) => e.kind === 'data-edited' && e.actor === aliceId && e.step === 'gw'),
    ).toMatchObject({
      changes: [{ field: 'amount', before: 1, after: 20 }],
    });
    expect(code(await t.app.inject({ method: 'POST', url, headers: alice, payload: {} }))).toBe(
      'NAGARE_CONFLICT',
    );
  });
});
