import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkflowApp, REVIEW_BPMN, type WorkflowTestApp } from './support.js';

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
    payload: { bpmn: REVIEW_BPMN, name: 'Review' },
  });
  expect(created.statusCode, created.body).toBe(201);
  appId = created.json().appId;
  const released = await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/versions/1/release`,
    headers: alice,
    payload: { note: 'first' },
  });
  expect(released.statusCode, released.body).toBe(200);
});
afterAll(async () => t.close());

const code = (r: { json(): unknown }) => (r.json() as { error: { code: string } }).error.code;

async function start(data: Record<string, unknown> = { title: 'Trip', amount: 120 }) {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/apps/${appId}/issues`,
    headers: alice,
    payload: { data },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().issueId as string;
}

describe('apps', () => {
  it('lists the startable App with its start events, versions with the release', async () => {
    const list = await t.app.inject({ url: '/api/apps', headers: bob });
    expect(list.statusCode).toBe(200);
    const found = list.json().items.find((a: { id: string }) => a.id === appId);
    expect(found.releasedVersion).toBe(1);
    expect(found.startEvents.map((s: { node: string }) => s.node).sort()).toEqual(['byHttp', 'start']);
    const versions = await t.app.inject({ url: `/api/apps/${appId}/versions`, headers: alice });
    expect(versions.json().items[0]).toMatchObject({ version: 1, status: 'released', note: 'first' });
  });

  it('refuses bad input: BPMN that does not compile, missing fields, wrong types, unknown and foreign ids, no authority', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/apps',
      headers: alice,
      payload: { bpmn: '<nope/>' },
    });
    expect(bad.statusCode).toBe(400);
    expect(code(bad)).toBe('NAGARE_INVALID_BPMN');
    const missing = await t.app.inject({ method: 'POST', url: '/api/apps', headers: alice, payload: {} });
    expect(code(missing)).toBe('NAGARE_INVALID_REQUEST');
    expect(missing.json().error.details[0].field).toBe('body.bpmn');
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/apps',
      headers: alice,
      payload: { bpmn: { a: 1 } },
    });
    expect(code(wrongType)).toBe('NAGARE_INVALID_REQUEST');
    const noCreator = await t.app.inject({
      method: 'POST',
      url: '/api/apps',
      headers: bob,
      payload: { bpmn: REVIEW_BPMN },
    });
    expect(code(noCreator)).toBe('NAGARE_FORBIDDEN');
    const anonymous = await t.app.inject({ url: '/api/apps' });
    expect(code(anonymous)).toBe('NAGARE_UNAUTHORIZED');
    const foreign = await t.app.inject({ url: `/api/apps/${appId}/versions`, headers: eve });
    expect(code(foreign)).toBe('NAGARE_NOT_FOUND');
    const foreignUpload = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/versions`,
      headers: eve,
      payload: { bpmn: REVIEW_BPMN },
    });
    expect(code(foreignUpload)).toBe('NAGARE_NOT_FOUND');
    const unknownVersion = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/versions/99/release`,
      headers: alice,
      payload: {},
    });
    expect(code(unknownVersion)).toBe('NAGARE_NOT_FOUND');
    const badVersion = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/versions/x/release`,
      headers: alice,
      payload: {},
    });
    expect(code(badVersion)).toBe('NAGARE_INVALID_REQUEST');
    const notAdmin = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/versions`,
      headers: bob,
      payload: { bpmn: REVIEW_BPMN },
    });
    expect(code(notAdmin)).toBe('NAGARE_FORBIDDEN');
    const badView = await t.app.inject({ url: '/api/apps?view=everything', headers: alice });
    expect(code(badView)).toBe('NAGARE_INVALID_REQUEST');
  });

  it('a new draft version, then a debug run starts on it', async () => {
    const draft = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/versions`,
      headers: alice,
      payload: { bpmn: REVIEW_BPMN },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json().version).toMatchObject({ version: 2, status: 'draft' });
    const debug = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: alice,
      payload: { data: { title: 'Debug' }, mode: 'test' },
    });
    expect(debug.statusCode, debug.body).toBe(201);
    expect(debug.json().mode).toBe('test');
    const bobDebug = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: bob,
      payload: { data: { title: 'x' }, mode: 'test' },
    });
    expect(code(bobDebug)).toBe('NAGARE_FORBIDDEN');
  });
});

describe('issues', () => {
  it('starts, views (hidden items never leave), searches as JSON and CSV', async () => {
    const issueId = await start();
    const view = await t.app.inject({ url: `/api/issues/${issueId}`, headers: alice });
    expect(view.statusCode, view.body).toBe(200);
    const body = view.json();
    expect(body.issue).toMatchObject({
      id: issueId,
      title: 'Trip',
      startedBy: t.ws.users.alice?.id,
      status: 'active',
    });
    expect(body.data).toEqual({ title: 'Trip', amount: 120 });
    expect(body.data.secret).toBeUndefined();
    expect(body.currentSteps).toEqual([{ node: 'review', name: 'Review', kind: 'task', dueAt: null }]);
    expect(body.route).toEqual([{ flow: 'f1', count: 1 }]);
    expect(body.log[0]).toMatchObject({ type: 'IssueStarted', by: t.ws.users.alice?.id });

    const search = await t.app.inject({
      url: `/api/issues?appId=${appId}&title=Tri&data=amount%3D120&startedBy=me`,
      headers: alice,
    });
    expect(search.statusCode, search.body).toBe(200);
    expect(search.json().items.map((i: { id: string }) => i.id)).toContain(issueId);
    const none = await t.app.inject({ url: `/api/issues?data=amount%3D7`, headers: alice });
    expect(none.json().items).toEqual([]);
    const csv = await t.app.inject({ url: `/api/issues.csv?appId=${appId}`, headers: alice });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain(issueId);
    // bob has no task, did not start it and has no authority: he sees nothing of it.
    expect((await t.app.inject({ url: `/api/issues/${issueId}`, headers: bob })).statusCode).toBe(404);
    const bobSearch = await t.app.inject({ url: '/api/issues', headers: bob });
    expect(bobSearch.json().items).toEqual([]);
  });

  it('a value no step shows cannot be found by searching for it (JSON or CSV)', async () => {
    const issueId = await start();
    // As an automated step would: `secret` gets a value that no human step shows.
    const row = await t.store.db
      .selectFrom('issue')
      .select('state')
      .where('id', '=', issueId)
      .executeTakeFirstOrThrow();
    const state = JSON.parse(row.state);
    state.data.secret = 's3';
    await t.store.db
      .updateTable('issue')
      .set({ state: JSON.stringify(state) })
      .where('id', '=', issueId)
      .execute();

    const probe = await t.app.inject({ url: `/api/issues?data=secret%3Ds3`, headers: alice });
    expect(probe.statusCode, probe.body).toBe(200);
    expect(probe.json().items).toEqual([]);
    const csv = await t.app.inject({ url: `/api/issues.csv?data=secret%3Ds3`, headers: alice });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain(issueId);
    // A shown item is still searchable, and the view still leaves the hidden one out.
    const shown = await t.app.inject({ url: `/api/issues?data=amount%3D120`, headers: alice });
    expect(shown.json().items.map((i: { id: string }) => i.id)).toContain(issueId);
    const view = await t.app.inject({ url: `/api/issues/${issueId}`, headers: alice });
    expect(view.json().data.secret).toBeUndefined();
  });

  it('pages with cursors and refuses a forged one', async () => {
    for (let i = 0; i < 3; i++) await start({ title: `Page ${i}` });
    const first = await t.app.inject({ url: '/api/issues?limit=2', headers: alice });
    expect(first.json().items).toHaveLength(2);
    const cursor = first.json().nextCursor as string;
    const second = await t.app.inject({ url: `/api/issues?limit=2&cursor=${cursor}`, headers: alice });
    const ids = [...first.json().items, ...second.json().items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const forged = await t.app.inject({ url: '/api/issues?cursor=nonsense', headers: alice });
    expect(code(forged)).toBe('NAGARE_INVALID_CURSOR');
  });

  it('refuses bad input on start, search, view, stop, delete and download', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['hidden item', { title: 'x', note: 'not in the start form' }, 'NAGARE_INVALID_DATA'],
      ['required item missing', { amount: 3 }, 'NAGARE_INVALID_DATA'],
      ['wrong type', { title: 'x', amount: 'lots' }, 'NAGARE_INVALID_DATA'],
      ['unknown item', { title: 'x', nope: 1 }, 'NAGARE_INVALID_DATA'],
    ];
    for (const [what, data, expected] of cases) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/apps/${appId}/issues`,
        headers: alice,
        payload: { data },
      });
      expect(code(r), what).toBe(expected);
    }
    const before = await t.store.db.selectFrom('issue').select('id').execute();
    const notObject = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: alice,
      payload: { data: [1] },
    });
    expect(code(notObject)).toBe('NAGARE_INVALID_REQUEST');
    const extra = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: alice,
      payload: { data: {}, bogus: 1 },
    });
    expect(code(extra)).toBe('NAGARE_INVALID_REQUEST');
    const badMode = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: alice,
      payload: { data: {}, mode: 'fast' },
    });
    expect(code(badMode)).toBe('NAGARE_INVALID_REQUEST');
    const secret = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: alice,
      payload: { data: { title: 'x', secret: 'no' } },
    });
    expect(code(secret)).toBe('NAGARE_INVALID_DATA');
    expect(secret.json().error.details[0]).toMatchObject({ fieldName: 'secret', code: 'HIDDEN' });
    // A file for an item the start form does not show: refused, and the stored file removed again.
    const withFile = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: { ...alice, 'content-type': 'multipart/form-data; boundary=zz' },
      payload: [
        '--zz\r\nContent-Disposition: form-data; name="data"\r\n\r\n{"title":"With a file"}\r\n',
        '--zz\r\nContent-Disposition: form-data; name="attachment"; filename="start.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n',
        '--zz--\r\n',
      ].join(''),
    });
    expect(code(withFile)).toBe('NAGARE_INVALID_DATA');
    expect(withFile.json().error.details[0]).toMatchObject({ fieldName: 'attachment', code: 'HIDDEN' });
    expect(
      await t.store.db.selectFrom('file').select('id').where('name', '=', 'start.txt').execute(),
    ).toEqual([]);
    const foreignStart = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: eve,
      payload: { data: { title: 'x' } },
    });
    expect(code(foreignStart)).toBe('NAGARE_NOT_FOUND');
    expect(await t.store.db.selectFrom('issue').select('id').execute()).toHaveLength(before.length);

    expect(code(await t.app.inject({ url: '/api/issues?status=sleeping', headers: alice }))).toBe(
      'NAGARE_INVALID_REQUEST',
    );
    expect(code(await t.app.inject({ url: '/api/issues?data=no-equals', headers: alice }))).toBe(
      'NAGARE_BAD_REQUEST',
    );
    expect(code(await t.app.inject({ url: '/api/issues?startedFrom=yesterday', headers: alice }))).toBe(
      'NAGARE_INVALID_REQUEST',
    );
    expect(code(await t.app.inject({ url: '/api/issues.csv?status=bad', headers: alice }))).toBe(
      'NAGARE_INVALID_REQUEST',
    );
    expect(code(await t.app.inject({ url: '/api/issues/nope', headers: alice }))).toBe('NAGARE_NOT_FOUND');
    const issueId = await start();
    expect(code(await t.app.inject({ url: `/api/issues/${issueId}`, headers: eve }))).toBe(
      'NAGARE_NOT_FOUND',
    );
    expect(
      code(
        await t.app.inject({ method: 'POST', url: `/api/issues/${issueId}/stop`, headers: bob, payload: {} }),
      ),
    ).toBe('NAGARE_FORBIDDEN');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: `/api/issues/${issueId}/stop`,
          headers: alice,
          payload: { reason: {} },
        }),
      ),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect(
      code(
        await t.app.inject({ method: 'POST', url: `/api/issues/${issueId}/stop`, headers: eve, payload: {} }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    expect(code(await t.app.inject({ method: 'DELETE', url: `/api/issues/${issueId}`, headers: eve }))).toBe(
      'NAGARE_NOT_FOUND',
    );
    expect(code(await t.app.inject({ method: 'DELETE', url: `/api/issues/${issueId}`, headers: bob }))).toBe(
      'NAGARE_FORBIDDEN',
    );
    expect(code(await t.app.inject({ url: `/api/issues/${issueId}/files/nofile`, headers: alice }))).toBe(
      'NAGARE_NOT_FOUND',
    );
    expect(code(await t.app.inject({ url: `/api/issues/${issueId}/files/nofile`, headers: eve }))).toBe(
      'NAGARE_NOT_FOUND',
    );
  });

  it('stops, then deletes an issue', async () => {
    const issueId = await start();
    const stopped = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issueId}/stop`,
      headers: alice,
      payload: { reason: 'duplicate' },
    });
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect(stopped.json().status).toBe('cancelled');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issueId}/stop`,
      headers: alice,
      payload: {},
    });
    expect(code(again)).toBe('NAGARE_CONFLICT');
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/issues/${issueId}`, headers: alice });
    expect(deleted.statusCode).toBe(204);
    expect(
      await t.store.db.selectFrom('task').select('id').where('issue_id', '=', issueId).execute(),
    ).toEqual([]);
    expect(
      await t.store.db.selectFrom('history').select('ordinal').where('issue_id', '=', issueId).execute(),
    ).toEqual([]);
    expect(code(await t.app.inject({ url: `/api/issues/${issueId}`, headers: alice }))).toBe(
      'NAGARE_NOT_FOUND',
    );
  });
});

describe('tasks and forms', () => {
  it('lists my task, reads its form without hidden items, saves, finishes with a file, downloads it', async () => {
    const issueId = await start({ title: 'With file', amount: 5 });
    const mine = await t.app.inject({ url: `/api/tasks?appId=${appId}&sort=created`, headers: alice });
    expect(mine.statusCode, mine.body).toBe(200);
    const task = mine.json().items.find((x: { issueId: string }) => x.issueId === issueId);
    expect(task).toMatchObject({ node: 'review', status: 'allocated', starred: false });

    const form = await t.app.inject({ url: `/api/tasks/${task.id}/form`, headers: alice });
    expect(form.statusCode, form.body).toBe(200);
    expect(
      form.json().items.map((i: { fieldName: string; mode: string }) => `${i.fieldName}:${i.mode}`),
    ).toEqual(['title:read', 'amount:read', 'note:edit', 'attachment:edit']);
    expect(form.json().items.some((i: { fieldName: string }) => i.fieldName === 'secret')).toBe(false);

    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/tasks/${task.id}/form`,
      headers: alice,
      payload: { data: { note: 'draft' } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().saved).toBe(true);
    expect(saved.json().items.find((i: { fieldName: string }) => i.fieldName === 'note').value).toBe('draft');

    const readOnly = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/finish`,
      headers: alice,
      payload: { data: { amount: 9 } },
    });
    expect(code(readOnly)).toBe('NAGARE_INVALID_DATA');
    const hidden = await t.app.inject({
      method: 'PUT',
      url: `/api/tasks/${task.id}/form`,
      headers: alice,
      payload: { data: { secret: 'peek' } },
    });
    expect(code(hidden)).toBe('NAGARE_INVALID_DATA');

    const boundary = 'nagareBoundary';
    const multipart = [
      `--${boundary}\r\nContent-Disposition: form-data; name="data"\r\n\r\n{"note":"done"}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="receipt.txt"\r\nContent-Type: text/plain\r\n\r\nreceipt body\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const finished = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/finish`,
      headers: { ...alice, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipart,
    });
    expect(finished.statusCode, finished.body).toBe(200);
    expect(finished.json()).toMatchObject({ issueId, issueStatus: 'active' });

    const view = (await t.app.inject({ url: `/api/issues/${issueId}`, headers: alice })).json();
    expect(view.data.note).toBe('done');
    const file = view.data.attachment[0];
    expect(file).toMatchObject({ name: 'receipt.txt', size: 12 });
    const download = await t.app.inject({ url: `/api/issues/${issueId}/files/${file.id}`, headers: alice });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('receipt body');
    expect(code(await t.app.inject({ url: `/api/issues/${issueId}/files/${file.id}`, headers: eve }))).toBe(
      'NAGARE_NOT_FOUND',
    );

    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/finish`,
      headers: alice,
      payload: { data: { note: 'again' } },
    });
    expect(code(twice)).toBe('NAGARE_CONFLICT');
  });

  it('refuses bad input on task lists and forms', async () => {
    const issueId = await start();
    const taskId = `${issueId}:1`;
    const tasks = await t.runtime.listTasks({ issueId });
    const id = tasks[0]?.id ?? taskId;
    expect(code(await t.app.inject({ url: '/api/tasks?view=all', headers: alice }))).toBe(
      'NAGARE_INVALID_REQUEST',
    );
    expect(code(await t.app.inject({ url: '/api/tasks?limit=0', headers: alice }))).toBe(
      'NAGARE_INVALID_REQUEST',
    );
    expect(code(await t.app.inject({ url: '/api/tasks?dueBefore=soon', headers: alice }))).toBe(
      'NAGARE_INVALID_REQUEST',
    );
    expect(code(await t.app.inject({ url: '/api/tasks?cursor=xyz', headers: alice }))).toBe(
      'NAGARE_INVALID_CURSOR',
    );
    expect(code(await t.app.inject({ url: '/api/tasks/not-a-task/form', headers: alice }))).toBe(
      'NAGARE_INVALID_REQUEST',
    );
    expect(code(await t.app.inject({ url: '/api/tasks/nope:1/form', headers: alice }))).toBe(
      'NAGARE_NOT_FOUND',
    );
    expect(code(await t.app.inject({ url: `/api/tasks/${id}/form`, headers: bob }))).toBe('NAGARE_NOT_FOUND');
    expect(code(await t.app.inject({ url: `/api/tasks/${id}/form`, headers: eve }))).toBe('NAGARE_NOT_FOUND');
    expect(
      code(
        await t.app.inject({
          method: 'PUT',
          url: `/api/tasks/${id}/form`,
          headers: alice,
          payload: { data: 'x' },
        }),
      ),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: `/api/tasks/${id}/finish`,
          headers: alice,
          payload: { button: {} },
        }),
      ),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect(
      code(
        await t.app.inject({ method: 'POST', url: `/api/tasks/${id}/finish`, headers: alice, payload: {} }),
      ),
    ).toBe('NAGARE_INVALID_DATA');
    expect(
      code(await t.app.inject({ method: 'POST', url: `/api/tasks/${id}/finish`, headers: bob, payload: {} })),
    ).toBe('NAGARE_NOT_FOUND');
    const stray = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${id}/finish`,
      headers: { ...alice, 'content-type': 'multipart/form-data; boundary=xx' },
      payload: '--xx\r\nContent-Disposition: form-data; name="note"\r\n\r\nlost?\r\n--xx--\r\n',
    });
    expect(code(stray)).toBe('NAGARE_BAD_REQUEST');
    expect(stray.json().error.message).toContain('"note"');
    const tooBig = await t.app.inject({
      method: 'PUT',
      url: `/api/tasks/${id}/form`,
      headers: { ...alice, 'content-type': 'multipart/form-data; boundary=xx' },
      payload: `--xx\r\nContent-Disposition: form-data; name="attachment"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${'x'.repeat(1024 * 1024 + 10)}\r\n--xx--\r\n`,
    });
    expect(tooBig.statusCode).toBe(413);
    expect(await t.store.db.selectFrom('file').selectAll().where('name', '=', 'big.bin').execute()).toEqual(
      [],
    );
    expect((await t.runtime.listTasks({ issueId }))[0]?.status).toBe('allocated');
  });
});

describe('finishing a task: the runtime checks, the answers stay the same', () => {
  it('answers data problems as 400 NAGARE_INVALID_DATA naming each field, someone else 404 (before storing files), a finished task 409', async () => {
    const issueId = await start({ title: 'Answers', amount: 3 });
    const [task] = await t.runtime.listTasks({ issueId });
    const url = `/api/tasks/${task!.id}/finish`;

    // Required item missing (nothing sent, nothing saved).
    const empty = await t.app.inject({ method: 'POST', url, headers: alice, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({
      code: 'NAGARE_INVALID_DATA',
      message: 'Invalid data: note (Note): is required',
      details: [{ code: 'REQUIRED', fieldName: 'note', message: 'note (Note): is required' }],
    });

    // Several problems: every one listed, the message counts the rest.
    const many = await t.app.inject({
      method: 'POST',
      url,
      headers: alice,
      payload: { data: { amount: 4, secret: 'peek', nope: 1 } },
    });
    expect(many.statusCode).toBe(400);
    expect(many.json().error.code).toBe('NAGARE_INVALID_DATA');
    expect(many.json().error.message).toMatch(/^Invalid data: amount \(Amount\): .+ \(and 2 more\)$/);
    expect(
      many.json().error.details.map((d: { fieldName: string; code: string }) => `${d.fieldName}:${d.code}`),
    ).toEqual(['amount:READ_ONLY', 'nope:UNKNOWN_ITEM', 'secret:HIDDEN']);

    // A hidden item is refused even with its current value (a right guess looks like a wrong one).
    const guess = await t.app.inject({
      method: 'POST',
      url,
      headers: alice,
      payload: { data: { note: 'x', secret: null } },
    });
    expect(guess.json().error.details).toEqual([
      expect.objectContaining({ code: 'HIDDEN', fieldName: 'secret' }),
    ]);

    // Someone else, even with bad data or a file: 404, and the file is not kept.
    const before = (await t.store.db.selectFrom('file').select('id').execute()).length;
    const bobs = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...bob, 'content-type': 'multipart/form-data; boundary=xx' },
      payload:
        '--xx\r\nContent-Disposition: form-data; name="attachment"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n--xx--\r\n',
    });
    expect(bobs.statusCode).toBe(404);
    expect(bobs.json().error).toMatchObject({
      code: 'NAGARE_NOT_FOUND',
      message: `No task with id "${task!.id}" for you`,
    });
    const bobJson = await t.app.inject({
      method: 'POST',
      url,
      headers: bob,
      payload: { data: { secret: 'x' } },
    });
    expect(bobJson.json().error.code).toBe('NAGARE_NOT_FOUND');
    expect((await t.store.db.selectFrom('file').select('id').execute()).length).toBe(before);
    expect((await t.runtime.getIssue(issueId)).version).toBe(1);

    const done = await t.app.inject({
      method: 'POST',
      url,
      headers: alice,
      payload: { data: { note: 'fine' } },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ taskId: task!.id, issueId, issueStatus: 'active' });
    const again = await t.app.inject({
      method: 'POST',
      url,
      headers: alice,
      payload: { data: { note: 'x' } },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'NAGARE_CONFLICT',
      message: `Task "${task!.id}" is finished`,
    });
  });
});

describe('webhooks (management)', () => {
  it('adds, lists and removes; refuses bad URLs, unknown events, foreign Apps', async () => {
    process.env.NAGARE_SECRET_KEY ??= Buffer.alloc(32, 7).toString('base64');
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/webhooks`,
      headers: alice,
      payload: { url: 'https://hooks.example/x', events: ['issue.started'] },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().secret).toMatch(/.{20,}/);
    const list = await t.app.inject({ url: `/api/apps/${appId}/webhooks`, headers: alice });
    expect(JSON.stringify(list.json())).not.toContain(added.json().secret);
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: `/api/apps/${appId}/webhooks`,
          headers: alice,
          payload: { url: 'ftp://x', events: ['issue.started'] },
        }),
      ),
    ).toBe('NAGARE_BAD_REQUEST');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: `/api/apps/${appId}/webhooks`,
          headers: alice,
          payload: { url: 'https://x', events: ['nope'] },
        }),
      ),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: `/api/apps/${appId}/webhooks`,
          headers: alice,
          payload: { events: ['issue.started'] },
        }),
      ),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect(code(await t.app.inject({ url: `/api/apps/${appId}/webhooks`, headers: eve }))).toBe(
      'NAGARE_NOT_FOUND',
    );
    expect(code(await t.app.inject({ url: `/api/apps/${appId}/webhooks`, headers: bob }))).toBe(
      'NAGARE_FORBIDDEN',
    );
    expect(
      code(await t.app.inject({ method: 'DELETE', url: `/api/apps/${appId}/webhooks/nope`, headers: alice })),
    ).toBe('NAGARE_NOT_FOUND');
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/apps/${appId}/webhooks/${added.json().webhook.id}`,
      headers: alice,
    });
    expect(removed.statusCode).toBe(204);
  });
});
