import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../../src/runtime/runtime.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';
import { S2 } from '../../support/runtime.js';

let t: TestApp;
let runtime: Runtime;
let ws: SeededWorkspace;
let other: SeededWorkspace;
let issueId: string;

beforeAll(async () => {
  t = await buildTestApp();
  // The runtime deploys into the default workspace today.
  ws = await seedWorkspace(t.store, {
    workspaceId: 'default',
    users: [{ key: 'admin', authorities: ['systemAdministrator'] }, { key: 'user' }],
  });
  other = await seedWorkspace(t.store, { users: [{ key: 'admin', authorities: ['systemAdministrator'] }] });
  runtime = createRuntime(t.store);
  const { appId } = await runtime.deploy({ bpmn: S2 });
  ({ issueId } = await runtime.startIssue({ appId, by: ws.users.user!.id }));
  const [task] = await runtime.listTasks({ issueId });
  await runtime.completeTask({ taskId: task!.id, operator: ws.users.user!.id });
});
afterAll(async () => {
  await runtime.close();
  await t.close();
});

describe('GET /api/process-log', () => {
  it('answers the log as JSON for a system administrator', async () => {
    const res = await t.app.inject({
      url: `/api/process-log?issueId=${issueId}`,
      headers: ws.users.admin!.headers,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.truncated).toBe(false);
    expect(body.entries.map((e: { kind: string }) => e.kind)).toEqual([
      'issue-started',
      'arrived',
      'task-opened',
      'task-completed',
      'arrived',
      'issue-ended',
    ]);
    expect(body.entries[3]).toMatchObject({
      kind: 'task-completed',
      step: 'review',
      actor: ws.users.user!.id,
      issueId,
    });
  });

  it('answers CSV (UTF-8 with BOM) with format=csv', async () => {
    const res = await t.app.inject({ url: '/api/process-log?format=csv', headers: ws.users.admin!.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="process-log.csv"');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('at,issue_id,app_id,ordinal,kind,step,actor,field,before,after,detail');
    expect(lines.some((l) => l.includes(`,task-completed,review,${ws.users.user!.id},`))).toBe(true);
  });

  it('shows another workspace nothing, and refuses callers without the authority and bad filters', async () => {
    const elsewhere = await t.app.inject({
      url: `/api/process-log?issueId=${issueId}`,
      headers: other.users.admin!.headers,
    });
    expect(elsewhere.json()).toEqual({ entries: [], truncated: false });
    expect((await t.app.inject({ url: '/api/process-log' })).statusCode).toBe(401);
    const forbidden = await t.app.inject({ url: '/api/process-log', headers: ws.users.user!.headers });
    expect(forbidden.statusCode).toBe(403);
    const badDate = await t.app.inject({
      url: '/api/process-log?from=last%20week',
      headers: ws.users.admin!.headers,
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error).toMatchObject({ code: 'NAGARE_BAD_REQUEST' });
    expect(badDate.json().error.message).toContain('from must be an ISO 8601 date');
    const badFormat = await t.app.inject({
      url: '/api/process-log?format=xml',
      headers: ws.users.admin!.headers,
    });
    expect(badFormat.json().error.code).toBe('NAGARE_INVALID_REQUEST');
    const backwards = await t.app.inject({
      url: '/api/process-log?from=2026-02-01&to=2026-01-01',
      headers: ws.users.admin!.headers,
    });
    expect(backwards.json().error.message).toContain('must be before');
  });
});
