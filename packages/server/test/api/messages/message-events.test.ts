import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkflowApp, REVIEW_BPMN, type WorkflowTestApp } from '../workflow/support.js';

let t: WorkflowTestApp;
let alice: Record<string, string>;
let eve: Record<string, string>;
let appId = '';

beforeAll(async () => {
  t = await buildWorkflowApp();
  alice = { ...(t.ws.users.alice?.headers ?? {}) };
  eve = { ...(t.other.users.eve?.headers ?? {}) };
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/apps',
    headers: alice,
    payload: { bpmn: REVIEW_BPMN },
  });
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
const startUrl = () => `/api/messages/apps/${appId}/start/byHttp`;
const catchUrl = () => `/api/messages/apps/${appId}/catch/wait`;

describe('HTTP message start', () => {
  it('starts an issue with the key and data by field name; the answer is the issue id', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: startUrl(),
      payload: { key: 's3cret', title: 'From HTTP', amount: 7 },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    const issue = await t.runtime.getIssue(r.body);
    expect(issue.state.data).toMatchObject({ title: 'From HTTP', amount: 7 });
    expect(issue.mode).toBe('normal');
  });

  it('Nagare-Debug: true starts a debug run; files come as multipart', async () => {
    const boundary = 'b0undary';
    const payload = [
      `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\ns3cret\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nWith a file\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const r = await t.app.inject({
      method: 'POST',
      url: startUrl(),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'nagare-debug': 'true' },
      payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    const issue = await t.runtime.getIssue(r.body);
    expect(issue.mode).toBe('test');
    const files = issue.state.data.attachment as { id: string; name: string }[];
    expect(files[0]?.name).toBe('a.txt');
    expect(Buffer.from(await t.files.read('default', files[0]?.id ?? '')).toString()).toBe('hello');
  });

  it('refuses: wrong or missing key, unknown event or App, another workspace, bad data — and starts nothing', async () => {
    const before = (await t.store.db.selectFrom('issue').select('id').execute()).length;
    expect(
      code(await t.app.inject({ method: 'POST', url: startUrl(), payload: { key: 'wrong', title: 'x' } })),
    ).toBe('NAGARE_FORBIDDEN');
    expect(code(await t.app.inject({ method: 'POST', url: startUrl(), payload: { title: 'x' } }))).toBe(
      'NAGARE_FORBIDDEN',
    );
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: `/api/messages/apps/${appId}/start/nope`,
          payload: { key: 's3cret' },
        }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: `/api/messages/apps/${appId}/start/start`,
          payload: { key: 's3cret' },
        }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: '/api/messages/apps/nope/start/byHttp',
          payload: { key: 's3cret' },
        }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: startUrl(),
          headers: eve,
          payload: { key: 's3cret', title: 'x' },
        }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: startUrl(),
          payload: { key: 's3cret', title: 'x', amount: 'many' },
        }),
      ),
    ).toBe('NAGARE_INVALID_DATA');
    expect(
      code(await t.app.inject({ method: 'POST', url: startUrl(), payload: { key: 's3cret', nope: 1 } })),
    ).toBe('NAGARE_INVALID_DATA');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: startUrl(),
          headers: { 'nagare-debug': 'maybe' },
          payload: { key: 's3cret' },
        }),
      ),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: startUrl(),
          headers: { 'content-type': 'application/json' },
          payload: '[1,2]',
        }),
      ),
    ).toBe('NAGARE_INVALID_REQUEST');
    expect((await t.store.db.selectFrom('issue').select('id').execute()).length).toBe(before);
  });
});

describe('HTTP message catch', () => {
  it('delivers to an issue waiting at the catch event (key checked); refuses otherwise', async () => {
    const started = await t.app.inject({
      method: 'POST',
      url: startUrl(),
      payload: { key: 's3cret', title: 'Pay me' },
    });
    const issueId = started.body;
    // Still at the review task: not waiting for the message yet.
    expect(
      code(await t.app.inject({ method: 'POST', url: catchUrl(), payload: { issueId, key: 'paykey' } })),
    ).toBe('NAGARE_CONFLICT');
    const [task] = await t.runtime.listTasks({ issueId });
    const finish = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task?.id}/finish`,
      headers: alice,
      payload: { data: { note: 'ok' } },
    });
    expect(finish.statusCode, finish.body).toBe(200);

    expect(
      code(await t.app.inject({ method: 'POST', url: catchUrl(), payload: { issueId, key: 'nope' } })),
    ).toBe('NAGARE_FORBIDDEN');
    expect(code(await t.app.inject({ method: 'POST', url: catchUrl(), payload: { key: 'paykey' } }))).toBe(
      'NAGARE_BAD_REQUEST',
    );
    expect(
      code(
        await t.app.inject({ method: 'POST', url: catchUrl(), payload: { issueId: 'nope', key: 'paykey' } }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: catchUrl(),
          headers: eve,
          payload: { issueId, key: 'paykey' },
        }),
      ),
    ).toBe('NAGARE_NOT_FOUND');
    expect(
      code(
        await t.app.inject({
          method: 'POST',
          url: catchUrl(),
          payload: { issueId, key: 'paykey', amount: 'x' },
        }),
      ),
    ).toBe('NAGARE_INVALID_DATA');
    expect((await t.runtime.getIssue(issueId)).status).toBe('active');

    const ok = await t.app.inject({
      method: 'POST',
      url: catchUrl(),
      payload: { issueId, key: 'paykey', amount: 99 },
    });
    expect(ok.statusCode, ok.body).toBe(204);
    const after = await t.runtime.getIssue(issueId);
    expect(after.status).toBe('completed');
    expect(after.state.data.amount).toBe(99);
    // Delivered by the key alone: the history names no one.
    const received = after.history.find((e) => e.type === 'MessageReceived');
    expect(received).toMatchObject({ type: 'MessageReceived', data: { amount: 99 } });
    expect(received).not.toHaveProperty('by');
    expect(
      code(await t.app.inject({ method: 'POST', url: catchUrl(), payload: { issueId, key: 'paykey' } })),
    ).toBe('NAGARE_CONFLICT');
  });

  it('a signed-in caller who delivers a message is named in the history (MessageReceived.by)', async () => {
    const issueId = (
      await t.app.inject({ method: 'POST', url: startUrl(), payload: { key: 's3cret', title: 'Signed' } })
    ).body;
    const [task] = await t.runtime.listTasks({ issueId });
    await t.runtime.completeTask({ taskId: task!.id, operator: task!.assignee ?? t.ws.users.alice!.id });

    // when
    const ok = await t.app.inject({
      method: 'POST',
      url: catchUrl(),
      headers: alice,
      payload: { issueId, key: 'paykey', amount: 5 },
    });

    // then
    expect(ok.statusCode, ok.body).toBe(204);
    const received = (await t.runtime.getIssue(issueId)).history.find((e) => e.type === 'MessageReceived');
    expect(received).toMatchObject({ by: t.ws.users.alice!.id });
    expect(received).not.toHaveProperty('client');
  });
});

describe('rate limit', () => {
  it('anonymous callers are limited per address, so a key cannot be found by trying', async () => {
    const limited = await buildWorkflowApp(undefined, { messageRatePerMinute: 5 });
    try {
      const admin = { ...(limited.ws.users.alice?.headers ?? {}) };
      const id = (
        await limited.app.inject({
          method: 'POST',
          url: '/api/apps',
          headers: admin,
          payload: { bpmn: REVIEW_BPMN },
        })
      ).json().appId;
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await limited.app.inject({
          method: 'POST',
          url: `/api/messages/apps/${id}/start/byHttp`,
          payload: { key: `guess-${i}` },
        });
        codes.push(r.statusCode);
      }
      expect(codes.slice(0, 5).every((c) => c !== 429)).toBe(true);
      expect(codes.slice(5)).toEqual([429, 429]);
      const last = await limited.app.inject({
        method: 'POST',
        url: `/api/messages/apps/${id}/start/byHttp`,
        payload: { key: 's3cret' },
      });
      expect(last.json().error.code).toBe('NAGARE_RATE_LIMITED');
      expect(last.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});
