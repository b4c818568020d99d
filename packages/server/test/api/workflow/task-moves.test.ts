import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkflowApp, type WorkflowTestApp } from './support.js';

let t: WorkflowTestApp;
let alice: Record<string, string>;
let bob: Record<string, string>;
let carol: Record<string, string>;
let eve: Record<string, string>;
let appId = '';

/** One review step in a swimlane offered to alice and bob (carol is not a candidate). */
const offered = (a: string, b: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="defs" targetNamespace="urn:test">
  <bpmn:process id="Offered" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="Lane_team" name="Team">
        <bpmn:extensionElements>
          <nagare:operators allocation="offer">
            <nagare:operatorRule kind="user" user="${a}" />
            <nagare:operatorRule kind="user" user="${b}" />
          </nagare:operators>
        </bpmn:extensionElements>
        <bpmn:flowNodeRef>review</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="review" name="Review" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

beforeAll(async () => {
  t = await buildWorkflowApp(undefined, { lanes: true });
  alice = { ...(t.ws.users.alice?.headers ?? {}) };
  bob = { ...(t.ws.users.bob?.headers ?? {}) };
  carol = { ...(t.ws.users.carol?.headers ?? {}) };
  eve = { ...(t.other.users.eve?.headers ?? {}) };
  const bpmn = offered(t.ws.users.alice?.id ?? '', t.ws.users.bob?.id ?? '');
  appId = (await t.app.inject({ method: 'POST', url: '/api/apps', headers: alice, payload: { bpmn } })).json()
    .appId;
  await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/versions/1/release`,
    headers: alice,
    payload: {},
  });
});
afterAll(async () => t.close());

const code = (r: { json(): unknown }) => (r.json() as { error: { code: string } }).error.code;
const post = (url: string, headers: Record<string, string>, payload: unknown = {}) =>
  t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
const list = async (headers: Record<string, string>, query: string) =>
  ((await t.app.inject({ url: `/api/tasks?${query}`, headers })).json().items as { id: string }[]).map(
    (x) => x.id,
  );

async function newTask(): Promise<string> {
  const started = await post(`/api/apps/${appId}/issues`, carol);
  expect(started.statusCode, started.body).toBe(201);
  const [task] = await t.runtime.listTasks({ issueId: started.json().issueId });
  return task?.id ?? '';
}

describe('task moves', () => {
  it('offered to the candidates; accept, decline, reassign, star; only the holder finishes', async () => {
    const id = await newTask();
    expect(await list(alice, 'view=offered')).toContain(id);
    expect(await list(bob, 'view=offered')).toContain(id);
    expect(await list(carol, 'view=offered')).not.toContain(id);
    expect(code(await post(`/api/tasks/${id}/accept`, carol))).toBe('NAGARE_FORBIDDEN');

    const accepted = await post(`/api/tasks/${id}/accept`, alice);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'allocated', assignee: t.ws.users.alice?.id });
    expect(await list(alice, 'view=mine')).toContain(id);
    expect(await list(bob, 'view=offered')).not.toContain(id);
    expect(code(await post(`/api/tasks/${id}/accept`, bob))).toBe('NAGARE_CONFLICT');
    expect(code(await post(`/api/tasks/${id}/finish`, bob))).toBe('NAGARE_NOT_FOUND');
    expect(code(await post(`/api/tasks/${id}/decline`, bob))).toBe('NAGARE_FORBIDDEN');

    const declined = await post(`/api/tasks/${id}/decline`, alice);
    expect(declined.json()).toMatchObject({ status: 'offered', assignee: null });

    expect(code(await post(`/api/tasks/${id}/reassign`, bob, { userId: t.ws.users.carol?.id }))).toBe(
      'NAGARE_FORBIDDEN',
    );
    expect(code(await post(`/api/tasks/${id}/reassign`, alice, { userId: 'nobody' }))).toBe(
      'NAGARE_NOT_FOUND',
    );
    expect(code(await post(`/api/tasks/${id}/reassign`, alice, { userId: t.other.users.eve?.id }))).toBe(
      'NAGARE_NOT_FOUND',
    );
    expect(code(await post(`/api/tasks/${id}/reassign`, alice, {}))).toBe('NAGARE_INVALID_REQUEST');
    const reassigned = await post(`/api/tasks/${id}/reassign`, alice, { userId: t.ws.users.bob?.id });
    expect(reassigned.json()).toMatchObject({ status: 'allocated', assignee: t.ws.users.bob?.id });

    const star = await t.app.inject({
      method: 'PUT',
      url: `/api/tasks/${id}/flags`,
      headers: bob,
      payload: { starred: true },
    });
    expect(star.statusCode, star.body).toBe(200);
    expect(await list(bob, 'view=mine&starred=true')).toEqual([id]);
    expect(await list(bob, 'view=mine&starred=false')).not.toContain(id);
    expect(
      code(await t.app.inject({ method: 'PUT', url: `/api/tasks/${id}/flags`, headers: bob, payload: {} })),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect(
      code(
        await t.app.inject({
          method: 'PUT',
          url: `/api/tasks/${id}/flags`,
          headers: bob,
          payload: { starred: 'yes' },
        }),
      ),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect(
      code(
        await t.app.inject({
          method: 'PUT',
          url: `/api/tasks/${id}/flags`,
          headers: carol,
          payload: { starred: true },
        }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    expect(
      code(
        await t.app.inject({
          method: 'PUT',
          url: `/api/tasks/${id}/flags`,
          headers: eve,
          payload: { starred: true },
        }),
      ),
    ).toBe('NAGARE_NOT_FOUND');

    const done = await post(`/api/tasks/${id}/finish`, bob);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().issueStatus).toBe('completed');
    expect(code(await post(`/api/tasks/${id}/accept`, alice))).toBe('NAGARE_CONFLICT');
  });

  it('bulk accept takes what it can and lists the rest; refuses bad input', async () => {
    const a = await newTask();
    const b = await newTask();
    await post(`/api/tasks/${b}/accept`, bob);
    const r = await post('/api/tasks/accept', alice, { taskIds: [a, b, 'nope:1'] });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().accepted).toEqual([a]);
    expect(r.json().refused.map((x: { taskId: string; code: string }) => `${x.taskId}:${x.code}`)).toEqual([
      `${b}:TASK_NOT_OPEN`,
      'nope:1:UNKNOWN_TASK',
    ]);
    expect(code(await post('/api/tasks/accept', alice, { taskIds: [] }))).toBe('NAGARE_INVALID_REQUEST');
    expect(code(await post('/api/tasks/accept', alice, { taskIds: 'x:1' }))).toBe('NAGARE_INVALID_REQUEST');
    expect(code(await post(`/api/tasks/${a}/accept`, eve))).toBe('NAGARE_NOT_FOUND');
    expect(code(await post('/api/tasks/bad id/accept', alice))).toBe('NAGARE_INVALID_REQUEST');
  });

  it('sorts by deadline and pages', async () => {
    await newTask();
    await newTask();
    const first = await t.app.inject({ url: '/api/tasks?view=offered&limit=1&sort=due', headers: bob });
    expect(first.json().items).toHaveLength(1);
    const next = await t.app.inject({
      url: `/api/tasks?view=offered&limit=1&sort=due&cursor=${first.json().nextCursor}`,
      headers: bob,
    });
    expect(next.json().items[0].id).not.toBe(first.json().items[0].id);
  });
});

describe('workspaces', () => {
  it("an App made in another workspace is that workspace's: invisible and unknown here", async () => {
    const made = await post('/api/apps', eve, { bpmn: offered('x', 'y') });
    expect(made.statusCode, made.body).toBe(201);
    const eveApp = made.json().appId as string;
    const row = await t.store.db
      .selectFrom('app')
      .select('workspace_id')
      .where('id', '=', eveApp)
      .executeTakeFirst();
    expect(row?.workspace_id).toBe(t.other.workspaceId);
    expect(code(await post(`/api/apps/${eveApp}/versions/1/release`, alice))).toBe('NAGARE_NOT_FOUND');
    expect((await post(`/api/apps/${eveApp}/versions/1/release`, eve)).statusCode).toBe(200);
    const aliceApps = (await t.app.inject({ url: '/api/apps?view=all', headers: alice })).json().items as {
      id: string;
    }[];
    expect(aliceApps.map((a) => a.id)).not.toContain(eveApp);
    const eveApps = (await t.app.inject({ url: '/api/apps', headers: eve })).json().items as { id: string }[];
    expect(eveApps.map((a) => a.id)).toEqual([eveApp]);
    expect(code(await post(`/api/apps/${eveApp}/issues`, alice))).toBe('NAGARE_NOT_FOUND');
    const eveIssue = await post(`/api/apps/${eveApp}/issues`, eve);
    expect(eveIssue.statusCode, eveIssue.body).toBe(201);
    expect(
      (await t.app.inject({ url: '/api/issues', headers: alice }))
        .json()
        .items.map((i: { id: string }) => i.id),
    ).not.toContain(eveIssue.json().issueId);
    expect(code(await t.app.inject({ url: `/api/issues/${eveIssue.json().issueId}`, headers: alice }))).toBe(
      'NAGARE_NOT_FOUND',
    );
  });
});
