import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildWorkflowApp, releasedApp, type WorkflowTestApp } from './support.js';

let t: WorkflowTestApp;
let alice: Record<string, string>;
let appId = '';

/** A review step with two buttons, each bound to its outgoing flow. */
const BUTTONS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="defs" targetNamespace="urn:test">
  <bpmn:process id="Buttons" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="decide" name="Decide">
      <bpmn:extensionElements>
        <nagare:buttons>
          <nagare:button flow="Flow_ok" label="Approve" />
          <nagare:button flow="Flow_ng" label="Reject" />
        </nagare:buttons>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="approved" />
    <bpmn:endEvent id="rejected" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:sequenceFlow id="Flow_ok" sourceRef="decide" targetRef="approved" />
    <bpmn:sequenceFlow id="Flow_ng" sourceRef="decide" targetRef="rejected" />
  </bpmn:process>
</bpmn:definitions>`;

beforeAll(async () => {
  t = await buildWorkflowApp();
  alice = { ...(t.ws.users.alice?.headers ?? {}) };
  appId = await releasedApp(t, alice, BUTTONS);
});
afterAll(async () => t.close());

async function task(): Promise<{ issueId: string; id: string }> {
  const issueId = (
    await t.app.inject({ method: 'POST', url: `/api/apps/${appId}/issues`, headers: alice, payload: {} })
  ).json().issueId;
  const [open] = await t.runtime.listTasks({ issueId });
  return { issueId, id: open?.id ?? '' };
}

it('the form lists the buttons; finishing takes the chosen one (also one saved with the form)', async () => {
  const a = await task();
  const form = await t.app.inject({ url: `/api/tasks/${a.id}/form`, headers: alice });
  expect(form.json().buttons).toEqual([
    { flow: 'Flow_ok', label: 'Approve' },
    { flow: 'Flow_ng', label: 'Reject' },
  ]);
  const done = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${a.id}/finish`,
    headers: alice,
    payload: { button: 'Flow_ng' },
  });
  expect(done.statusCode, done.body).toBe(200);
  expect((await t.runtime.getIssue(a.issueId)).state.route).toMatchObject({ Flow_ng: 1 });

  const b = await task();
  await t.app.inject({
    method: 'PUT',
    url: `/api/tasks/${b.id}/form`,
    headers: alice,
    payload: { button: 'Flow_ok' },
  });
  const saved = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${b.id}/finish`,
    headers: alice,
    payload: {},
  });
  expect(saved.statusCode, saved.body).toBe(200);
  expect((await t.runtime.getIssue(b.issueId)).state.route).toMatchObject({ Flow_ok: 1 });
});

it('refuses a missing or unknown button and leaves the task open', async () => {
  const c = await task();
  const none = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${c.id}/finish`,
    headers: alice,
    payload: {},
  });
  expect(none.statusCode).toBe(400);
  expect(none.json().error.code).toBe('NAGARE_BAD_REQUEST');
  const unknown = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${c.id}/finish`,
    headers: alice,
    payload: { button: 'Flow_x' },
  });
  expect(unknown.json().error.code).toBe('NAGARE_BAD_REQUEST');
  expect((await t.runtime.getIssue(c.issueId)).status).toBe('active');
  expect((await t.runtime.listTasks({ issueId: c.issueId }))[0]?.status).toBe('allocated');
});
