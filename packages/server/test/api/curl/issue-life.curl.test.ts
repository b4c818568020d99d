import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildWorkflowApp, REVIEW_BPMN, type WorkflowTestApp } from '../workflow/support.js';

const run = promisify(execFile);

let t: WorkflowTestApp;
let base = '';
let dir = '';
let user = '';

beforeAll(async () => {
  t = await buildWorkflowApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  dir = await mkdtemp(join(tmpdir(), 'nagare-curl-'));
  const alice = t.ws.users.alice;
  user = `${alice?.email}:${alice?.apiPassword}`;
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the real curl; returns the HTTP status and the body (written to a file, read back as bytes). */
async function curl(args: string[], auth = true): Promise<{ status: number; body: Buffer; text: string }> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const { stdout } = await run('curl', [
    '--silent',
    '--show-error',
    '--output',
    out,
    '--write-out',
    '%{http_code}',
    ...(auth ? ['--user', user] : []),
    ...args,
  ]);
  const body = await readFile(out);
  return { status: Number(stdout), body, text: body.toString('utf8') };
}

it('the whole life of an issue through curl: upload, release, message start, tasks, finish with a file, view, message catch, CSV', async () => {
  const upload = join(dir, 'upload.json');
  await writeFile(upload, JSON.stringify({ bpmn: REVIEW_BPMN, name: 'Curl review' }));
  const created = await curl([
    '-H',
    'content-type: application/json',
    '--data-binary',
    `@${upload}`,
    `${base}/api/apps`,
  ]);
  expect(created.status, created.text).toBe(201);
  const appId = JSON.parse(created.text).appId as string;

  const released = await curl([
    '-H',
    'content-type: application/json',
    '--data',
    '{"note":"first release"}',
    `${base}/api/apps/${appId}/versions/1/release`,
  ]);
  expect(released.status, released.text).toBe(200);
  expect(JSON.parse(released.text)).toMatchObject({ status: 'released' });

  // The message start event needs no sign-in, only its key.
  const started = await curl(
    [
      '-F',
      'key=s3cret',
      '-F',
      'title=Sent by curl',
      '-F',
      'amount=42',
      `${base}/api/messages/apps/${appId}/start/byHttp`,
    ],
    false,
  );
  expect(started.status, started.text).toBe(201);
  const issueId = started.text;

  const tasks = await curl([`${base}/api/tasks?appId=${appId}`]);
  expect(tasks.status, tasks.text).toBe(200);
  const task = JSON.parse(tasks.text).items.find((x: { issueId: string }) => x.issueId === issueId);
  expect(task).toMatchObject({ node: 'review', status: 'allocated' });

  const receipt = join(dir, 'receipt.txt');
  await writeFile(receipt, 'paid 42 yen\n');
  const finished = await curl([
    '-F',
    'data={"note":"checked"}',
    '-F',
    `attachment=@${receipt};type=text/plain`,
    `${base}/api/tasks/${encodeURIComponent(task.id)}/finish`,
  ]);
  expect(finished.status, finished.text).toBe(200);

  const view = await curl([`${base}/api/issues/${issueId}`]);
  expect(view.status, view.text).toBe(200);
  const issue = JSON.parse(view.text);
  expect(issue.data).toMatchObject({ title: 'Sent by curl', amount: 42, note: 'checked' });
  expect(issue.currentSteps).toEqual([
    { node: 'wait', name: 'Wait for payment', kind: 'message', dueAt: null },
  ]);
  const file = issue.data.attachment[0];
  const download = await curl([`${base}/api/issues/${issueId}/files/${file.id}`]);
  expect(download.status).toBe(200);
  expect(download.text).toBe('paid 42 yen\n');

  const caught = await curl(
    ['-F', `issueId=${issueId}`, '-F', 'key=paykey', `${base}/api/messages/apps/${appId}/catch/wait`],
    false,
  );
  expect(caught.status, caught.text).toBe(204);
  const ended = JSON.parse((await curl([`${base}/api/issues/${issueId}`])).text);
  expect(ended.issue.status).toBe('completed');

  const csv = await curl([`${base}/api/issues.csv?appId=${appId}&status=completed`]);
  expect(csv.status).toBe(200);
  expect(csv.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const lines = csv.text.slice(1).trim().split('\r\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(issueId);
  expect(lines[1]).toContain('Sent by curl');

  // A refused request through the real client too: a wrong key changes nothing.
  const refused = await curl(['-F', 'key=wrong', `${base}/api/messages/apps/${appId}/start/byHttp`], false);
  expect(refused.status).toBe(403);
  expect(JSON.parse(refused.text).error.code).toBe('NAGARE_FORBIDDEN');
});
