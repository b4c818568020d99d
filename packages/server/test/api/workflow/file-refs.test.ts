import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/dialects.js';
import { buildWorkflowApp, REVIEW_BPMN, releasedApp, type WorkflowTestApp } from './support.js';

type Ref = { id: string; name: string; contentType: string; size: number };

/**
 * A file reference in submitted data must be the issue's own (same item), uploaded with the
 * request, or (task finish, form save) in the caller's saved form: a file id taken from another
 * issue is refused at every entry point and nothing changes (docs/workflow-api.md, Files).
 */
describeEachDialect('file references in submitted data', ({ config }) => {
  let t: WorkflowTestApp;
  let alice: Record<string, string>;
  let appId = '';

  beforeEach(async () => {
    t = await buildWorkflowApp(config());
    alice = { ...(t.ws.users.alice?.headers ?? {}) };
    appId = await releasedApp(t, alice, REVIEW_BPMN);
    return () => t.close();
  });

  const part = (name: string, value: string) =>
    `--zz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const filePart = (name: string, filename: string, body: string) =>
    `--zz\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${body}\r\n`;
  const multipart = { 'content-type': 'multipart/form-data; boundary=zz' };
  const startUrl = () => `/api/messages/apps/${appId}/start/byHttp`;
  const dataOf = async (issueId: string) => (await t.runtime.getIssue(issueId)).state.data;
  const reviewTask = async (issueId: string) => {
    const task = (await t.runtime.listTasks({ issueId })).find((x) => x.node === 'review');
    expect(task).toBeDefined();
    return task!;
  };
  /** An issue started by HTTP message with uploaded files (at its review task). */
  const startWithFiles = async (...names: string[]) => {
    const r = await t.app.inject({
      method: 'POST',
      url: startUrl(),
      headers: multipart,
      payload: [
        part('key', 's3cret'),
        part('title', 'With files'),
        ...names.map((n) => filePart('attachment', n, `body of ${n}`)),
        '--zz--\r\n',
      ].join(''),
    });
    expect(r.statusCode, r.body).toBe(201);
    return { issueId: r.body, refs: (await dataOf(r.body)).attachment as Ref[] };
  };
  const expectForeign = (r: { statusCode: number; body: string; json(): unknown }) => {
    expect(r.statusCode, r.body).toBe(400);
    const error = (r.json() as { error: { code: string; details: { code: string; fieldName: string }[] } })
      .error;
    expect(error.code).toBe('NAGARE_INVALID_DATA');
    expect(error.details).toContainEqual(
      expect.objectContaining({ code: 'FOREIGN_FILE', fieldName: 'attachment' }),
    );
    expect(JSON.stringify(error.details)).toContain("is not one of the issue's or this request's files");
  };

  it('refuses a file id of another issue at start, message start, finish, form save and message catch; nothing changes', async () => {
    const victim = await startWithFiles('secret.txt');
    const stolen = victim.refs[0]!;
    expect(stolen.name).toBe('secret.txt');
    const issueCount = async () => (await t.store.db.selectFrom('issue').select('id').execute()).length;

    const target = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: alice,
      payload: { data: { title: 'Mine', amount: 1 } },
    });
    expect(target.statusCode, target.body).toBe(201);
    const issueId = target.json().issueId as string;
    const before = await issueCount();

    // Start (the start form does not show the item: refused as hidden, and as foreign).
    expectForeign(
      await t.app.inject({
        method: 'POST',
        url: `/api/apps/${appId}/issues`,
        headers: alice,
        payload: { data: { title: 'Forged', attachment: [stolen] } },
      }),
    );
    // Message start (its start event may set any item).
    expectForeign(
      await t.app.inject({
        method: 'POST',
        url: startUrl(),
        payload: { key: 's3cret', title: 'Forged', attachment: [stolen] },
      }),
    );
    // A multipart start with an upload and a forged reference: refused, its upload deleted.
    expectForeign(
      await t.app.inject({
        method: 'POST',
        url: `/api/apps/${appId}/issues`,
        headers: { ...alice, ...multipart },
        payload: [
          part('data', JSON.stringify({ title: 'Forged', attachment: [stolen] })),
          filePart('attachment', 'extra.txt', 'x'),
          '--zz--\r\n',
        ].join(''),
      }),
    );
    expect(
      await t.store.db.selectFrom('file').select('id').where('name', '=', 'extra.txt').execute(),
    ).toEqual([]);
    expect(await issueCount()).toBe(before);

    const task = await reviewTask(issueId);
    const dataBefore = await dataOf(issueId);
    // Finish, JSON and multipart (the upload is deleted again).
    expectForeign(
      await t.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/finish`,
        headers: alice,
        payload: { data: { note: 'x', attachment: [stolen] } },
      }),
    );
    expectForeign(
      await t.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/finish`,
        headers: { ...alice, ...multipart },
        payload: [
          part('data', JSON.stringify({ note: 'x', attachment: [stolen] })),
          filePart('attachment', 'also.txt', 'y'),
          '--zz--\r\n',
        ].join(''),
      }),
    );
    expect(await t.store.db.selectFrom('file').select('id').where('name', '=', 'also.txt').execute()).toEqual(
      [],
    );
    // Form save.
    expectForeign(
      await t.app.inject({
        method: 'PUT',
        url: `/api/tasks/${task.id}/form`,
        headers: alice,
        payload: { data: { attachment: [stolen] } },
      }),
    );
    expect(await t.store.db.selectFrom('task_draft').select('task_id').execute()).toEqual([]);
    expect((await reviewTask(issueId)).status).not.toBe('done');
    expect(await dataOf(issueId)).toEqual(dataBefore);
    // The runtime refuses it too (the one check for task data), whoever calls it.
    await expect(
      t.runtime.completeTask({
        taskId: task.id,
        operator: t.ws.users.alice!.id,
        data: { note: 'x', attachment: [stolen] },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_DATA' });

    // Message catch: the issue waits at the catch event once its task is done.
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/finish`,
      headers: alice,
      payload: { data: { note: 'ok' } },
    });
    expect(done.statusCode, done.body).toBe(200);
    const waiting = await dataOf(issueId);
    expectForeign(
      await t.app.inject({
        method: 'POST',
        url: `/api/messages/apps/${appId}/catch/wait`,
        payload: { issueId, key: 'paykey', attachment: [stolen] },
      }),
    );
    expect((await t.runtime.getIssue(issueId)).state.status).toBe('active');
    expect(await dataOf(issueId)).toEqual(waiting);
    expect(
      (await t.app.inject({ url: `/api/issues/${issueId}/files/${stolen.id}`, headers: alice })).statusCode,
    ).toBe(404);
  });

  it('keeps and reorders the issue own files, takes uploads, and finishes with files of my saved form', async () => {
    // Keep and reorder at a finish.
    const two = await startWithFiles('a.txt', 'b.txt');
    const [a, b] = two.refs as [Ref, Ref];
    const reorder = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${(await reviewTask(two.issueId)).id}/finish`,
      headers: alice,
      payload: { data: { note: 'reordered', attachment: [b, a] } },
    });
    expect(reorder.statusCode, reorder.body).toBe(200);
    expect(((await dataOf(two.issueId)).attachment as Ref[]).map((r) => r.name)).toEqual(['b.txt', 'a.txt']);
    // Keep at a message catch.
    const caught = await t.app.inject({
      method: 'POST',
      url: `/api/messages/apps/${appId}/catch/wait`,
      payload: { issueId: two.issueId, key: 'paykey', attachment: [a] },
    });
    expect(caught.statusCode, caught.body).toBe(204);

    // Upload with a form save, then finish naming that file (JSON): it is in my saved form.
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/apps/${appId}/issues`,
      headers: alice,
      payload: { data: { title: 'Saved', amount: 2 } },
    });
    const issueId = started.json().issueId as string;
    const task = await reviewTask(issueId);
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/tasks/${task.id}/form`,
      headers: { ...alice, ...multipart },
      payload: [
        part('data', JSON.stringify({ note: 'draft' })),
        filePart('attachment', 'draft.txt', 'drafted'),
        '--zz--\r\n',
      ].join(''),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const draftRef = (
      saved.json().items.find((i: { fieldName: string }) => i.fieldName === 'attachment').value as Ref[]
    )[0]!;
    expect(draftRef.name).toBe('draft.txt');
    // Saving again with the saved file named explicitly is fine too.
    const again = await t.app.inject({
      method: 'PUT',
      url: `/api/tasks/${task.id}/form`,
      headers: alice,
      payload: { data: { note: 'draft 2', attachment: [draftRef] } },
    });
    expect(again.statusCode, again.body).toBe(200);
    const finished = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/finish`,
      headers: alice,
      payload: { data: { note: 'done', attachment: [draftRef] } },
    });
    expect(finished.statusCode, finished.body).toBe(200);
    expect(((await dataOf(issueId)).attachment as Ref[]).map((r) => r.id)).toEqual([draftRef.id]);
    const download = await t.app.inject({
      url: `/api/issues/${issueId}/files/${draftRef.id}`,
      headers: alice,
    });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('drafted');
  });
});
