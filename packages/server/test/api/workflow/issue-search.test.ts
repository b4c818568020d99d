import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/dialects.js';
import { buildWorkflowApp, REVIEW_BPMN, releasedApp, type WorkflowTestApp } from './support.js';

/** The search's SQL differs per dialect (JSON paths in the state and the history): both run here. */
describeEachDialect('issue search', ({ config }) => {
  let t: WorkflowTestApp;
  let alice: Record<string, string>;
  let bob: Record<string, string>;
  let appId = '';

  beforeEach(async () => {
    t = await buildWorkflowApp(config());
    alice = { ...(t.ws.users.alice?.headers ?? {}) };
    bob = { ...(t.ws.users.bob?.headers ?? {}) };
    appId = await releasedApp(t, alice, REVIEW_BPMN);
    return () => t.close();
  });

  const start = async (headers: Record<string, string>, data: Record<string, unknown>) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers,
      payload: { data },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().issueId as string;
  };
  const ids = async (query: string, headers = alice) => {
    const r = await t.app.inject({ url: `/api/issues?${query}`, headers });
    expect(r.statusCode, r.body).toBe(200);
    return (r.json().items as { id: string }[]).map((i) => i.id).sort();
  };

  it('filters by title, data values, starter, state and dates; pages; CSV has a BOM and neutralized formulas', async () => {
    const a = await start(alice, { title: 'Trip to Osaka', amount: 120 });
    const b = await start(alice, { title: 'Taxi 100%_ok', amount: 15 });
    const c = await start(bob, { title: '=HYPERLINK("x")', amount: 120 });
    expect(await ids('title=Osaka')).toEqual([a]);
    expect(await ids('title=100%25_')).toEqual([b]);
    // alice made the App (App administrator): she sees bob's issue too.
    expect(await ids('data=amount%3D120')).toEqual([a, c].sort());
    expect(await ids('data=amount%3D120&title=Trip')).toEqual([a]);
    expect(await ids('startedBy=me')).toEqual([a, b].sort());
    // bob sees the issue he started, and no other.
    expect(await ids('', bob)).toEqual([c]);
    expect(await ids(`startedBy=${t.ws.users.bob?.id}`, bob)).toEqual([c]);
    expect(await ids('status=completed')).toEqual([]);
    expect(await ids('startedFrom=2000-01-01T00:00:00Z&startedTo=2000-01-02T00:00:00Z')).toEqual([]);
    expect(await ids(`appId=${appId}&order=oldest`)).toEqual([a, b, c].sort());

    const first = await t.app.inject({ url: '/api/issues?limit=1&order=oldest', headers: alice });
    const second = await t.app.inject({
      url: `/api/issues?limit=1&order=oldest&cursor=${first.json().nextCursor}`,
      headers: alice,
    });
    const third = await t.app.inject({
      url: `/api/issues?limit=1&order=oldest&cursor=${second.json().nextCursor}`,
      headers: alice,
    });
    expect([first.json().items[0].id, second.json().items[0].id, third.json().items[0].id]).toEqual([
      a,
      b,
      c,
    ]);
    expect(third.json().nextCursor).toBeUndefined();

    const csv = await t.app.inject({ url: '/api/issues.csv?order=oldest', headers: bob });
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('id,appId,app,version,status,mode,title,startedBy,startedAt,endedAt');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
