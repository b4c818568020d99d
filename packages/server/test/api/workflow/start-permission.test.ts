import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildWorkflowApp, type WorkflowTestApp } from './support.js';

let t: WorkflowTestApp;
afterAll(async () => t.close());
beforeAll(async () => {
  t = await buildWorkflowApp();
});

/** The start event is drawn in a swimlane whose only operator is `user`. */
const laned = (user: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="defs" targetNamespace="urn:test">
  <bpmn:process id="Laned" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="Lane_sales" name="Sales">
        <bpmn:extensionElements>
          <nagare:operators allocation="offer"><nagare:operatorRule kind="user" user="${user}" /></nagare:operators>
        </bpmn:extensionElements>
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

it("only the operators of the start event's swimlane see the App as startable and may start it", async () => {
  const alice = { ...(t.ws.users.alice?.headers ?? {}) };
  const bob = { ...(t.ws.users.bob?.headers ?? {}) };
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/apps',
    headers: alice,
    payload: { bpmn: laned(t.ws.users.bob?.id ?? '') },
  });
  const appId = created.json().appId as string;
  await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/versions/1/release`,
    headers: alice,
    payload: {},
  });

  const ids = async (headers: Record<string, string>) =>
    ((await t.app.inject({ url: '/api/apps', headers })).json().items as { id: string }[]).map((a) => a.id);
  expect(await ids(bob)).toContain(appId);
  expect(await ids(alice)).not.toContain(appId);

  const refused = await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/issues`,
    headers: alice,
    payload: {},
  });
  expect(refused.statusCode).toBe(403);
  expect(refused.json().error.code).toBe('NAGARE_FORBIDDEN');
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/issues`,
    headers: bob,
    payload: {},
  });
  expect(started.statusCode, started.body).toBe(201);
  expect(started.json().status).toBe('completed');
  // alice still manages it: "all" lists the Apps she administers.
  const all = (await t.app.inject({ url: '/api/apps?view=all', headers: alice })).json().items as {
    id: string;
  }[];
  expect(all.map((a) => a.id)).toContain(appId);
});
