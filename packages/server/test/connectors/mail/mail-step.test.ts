import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobRun } from '../../../src/connectors/connector.js';
import { readMailConfig } from '../../../src/connectors/mail/config.js';
import { mailConnector } from '../../../src/connectors/mail/connector.js';
import { createSmtpSender, type MailSender } from '../../../src/connectors/mail/mail-sender.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { describeEachDialect } from '../../support/dialects.js';
import { runStep, stepApp } from '../http/step-app.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

let sink: SmtpSink;
let sender: MailSender;
beforeAll(async () => {
  sink = await startSmtpSink();
  sender = createSmtpSender(
    { host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true },
    { defaultFrom: 'nagare@example.com' },
  );
});
afterAll(async () => {
  sender.close?.();
  await sink.close();
});

const items = {
  q_title: 'string',
  q_boss: 'user',
  q_watchers: 'string',
  q_files: 'file',
  q_amount: 'numeric',
};

describeEachDialect('e-mail step through the runtime', ({ config }) => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nagare-mail-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  it('sends to addresses, user and string items, with data in subject and body and files attached', async () => {
    let files: unknown;
    const run = await runStep(
      config(),
      'email',
      (t) => {
        const fileStore = new LocalFileStore({ store: t.store, root: join(dir, String(Math.random())) });
        files = fileStore
          .put('default', {
            name: '見積書.pdf',
            contentType: 'application/pdf',
            bytes: new TextEncoder().encode('%PDF-1.4 x'),
          })
          .then((f) => [{ id: f.id, name: f.name, contentType: f.contentType, size: f.size }]);
        return mailConnector({ sender, fileStore });
      },
      stepApp(
        'email',
        {
          to: 'q_boss, fixed@example.com',
          cc: 'q_watchers',
          bcc: 'audit@example.com',
          subject: '承認依頼: #{q_title}',
          body: '金額は {{q_amount}} 円です。\n案件 {{issueId}}',
          attachments: 'q_files',
        },
        items,
        { element: 'sendTask' },
      ),
      {},
    );
    try {
      // the issue started without data ran once already; start one with data
      const { appId } = run;
      const { issueId } = await run.t.runtime.startIssue({
        appId,
        data: {
          q_title: '出張',
          q_boss: { id: 'u1', name: 'Boss', email: 'boss@example.com' },
          q_watchers: 'w1@example.com, w2@example.com',
          q_files: (await files) as never,
          q_amount: 1200,
        },
      });
      const before = sink.arrived.length;
      await run.t.runtime.createWorker().runOnce();
      expect((await run.t.runtime.getIssue(issueId)).status).toBe('completed');
      expect(sink.arrived.length).toBe(before + 1);
      const got = sink.arrived.at(-1)!;
      expect(got.envelopeFrom).toBe('nagare@example.com');
      expect(got.envelopeTo.sort()).toEqual(
        [
          'audit@example.com',
          'boss@example.com',
          'fixed@example.com',
          'w1@example.com',
          'w2@example.com',
        ].sort(),
      );
      expect(got.mail.subject).toBe('承認依頼: 出張');
      expect(got.mail.text?.trim()).toBe(`金額は 1200 円です。\n案件 ${issueId}`);
      expect(got.mail.cc).toBeDefined();
      expect(got.raw).not.toMatch(/^Bcc:/m);
      expect(got.mail.messageId).toBe(`<${issueId}.1@nagare>`);
      expect(got.mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
        ['見積書.pdf', 'application/pdf', '%PDF-1.4 x'],
      ]);
      // the first issue (empty items) went to the fixed address only
      expect(run.status).toBe('completed');
    } finally {
      await run.t.close();
    }
  });
});

function job(configs: Record<string, string>, data: Record<string, unknown> = {}): JobRun {
  return {
    workspaceId: 'W1',
    issueId: 'I1',
    seq: 1,
    node: 'mail',
    attempt: 1,
    maxAttempts: 3,
    idempotencyKey: 'I1:1',
    automation: { type: 'email', configs },
    issue: async () => ({
      id: 'I1',
      workspaceId: 'W1',
      appId: 'A',
      appVersionId: 'V',
      mode: 'normal',
      startedAt: '',
      data: data as never,
      app: { dataItems: { q_to: { fieldName: 'q_to', type: 'string', valueType: 'string' } } } as never,
    }),
  };
}

describeEachDialect('e-mail step refusals', () => {
  it('bad configs are refused naming what is wrong; nothing is sent', async () => {
    expect(readMailConfig({ subject: 's' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"to"/),
    });
    expect(readMailConfig({ to: 'a@example.com' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"subject"/),
    });
    expect(readMailConfig({ to: 'a@example.com', subject: 's', bodyType: 'rtf' })).toMatchObject({
      ok: false,
    });
    const before = sink.arrived.length;
    const c = mailConnector({ sender });
    const signal = new AbortController().signal;
    expect(await c.run(job({ to: 'not-an-address', subject: 's' }), signal)).toMatchObject({
      ok: false,
      retryable: false,
      error: { code: 'BAD_CONFIG', message: expect.stringMatching(/"not-an-address" is neither/) },
    });
    expect(await c.run(job({ to: 'q_to', subject: 's' }, { q_to: 'x@y' }), signal)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/"x@y", which is not an e-mail address/) },
    });
    expect(
      await c.run(job({ to: 'a@example.com', subject: 's', attachments: 'q_nope' }), signal),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/no data item "q_nope"/) },
    });
    expect(await mailConnector().run(job({ to: 'a@example.com', subject: 's' }), signal)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/no SMTP server/) },
    });
    expect(sink.arrived.length).toBe(before);
  });

  it('a 5xx refusal fails for good, a 4xx one is retryable, an unreachable server is retryable', async () => {
    const signal = new AbortController().signal;
    const c = mailConnector({ sender });
    expect(await c.run(job({ to: 'reject@example.com', subject: 's' }), signal)).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(await c.run(job({ to: 'busy@example.com', subject: 's' }), signal)).toMatchObject({
      ok: false,
      retryable: true,
    });
    const down = createSmtpSender(
      { host: '127.0.0.1', port: 1, connectionTimeout: 2000 },
      { defaultFrom: 'n@example.com' },
    );
    expect(
      await mailConnector({ sender: down }).run(job({ to: 'a@example.com', subject: 's' }), signal),
    ).toMatchObject({
      ok: false,
      retryable: true,
      error: { code: 'SMTP_CONNECTION' },
    });
  });
});
