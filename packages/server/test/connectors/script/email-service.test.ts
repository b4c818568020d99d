/**
 * `emailService` from a script step: the mail goes through the server's SMTP sender to a real
 * SMTP server on 127.0.0.1; a refused recipient fails the step; no sender is a clear error.
 */
import { compile } from '@nagare/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRun } from '../../../src/connectors/connector.js';
import { createSmtpSender, type MailSender } from '../../../src/connectors/mail/mail-sender.js';
import { scriptConnector } from '../../../src/connectors/script/connector.js';
import { bpmn, flows } from '../../support/runtime.js';
import { type SmtpSink, startSmtpSink } from '../mail/smtp-sink.js';

const app = await compile(
  bpmn(`<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows('s>e')}`, {
    items: '<nagare:dataItem number="1" fieldName="note" type="string"/>',
  }),
);

function job(body: string): JobRun {
  return {
    workspaceId: 'w',
    issueId: 'i9',
    seq: 3,
    node: 'notify',
    attempt: 1,
    maxAttempts: 1,
    idempotencyKey: 'i9:3',
    automation: { type: 'script', configs: {}, script: { format: 'javascript', body } },
    issue: async () => ({
      id: 'i9',
      workspaceId: 'w',
      appId: 'a',
      appVersionId: 'v',
      mode: 'normal',
      startedAt: '2026-01-05T09:00:00.000Z',
      data: { note: 'ご注文ありがとうございます' },
      app,
    }),
  };
}

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

const signal = new AbortController().signal;

describe('emailService in a script step', () => {
  it('sends the mail the script built, with its attachment', async () => {
    const r = await scriptConnector({ mail: sender }).run(
      job(`emailService.begin()
        .addTo('buyer@example.com', '山田 太郎').addCc('sales@example.com')
        .setFrom('shop@example.com', 'Shop').setSubject('Thanks')
        .setBody(engine.findDataByVarName('note'))
        .addAttachment('receipt.txt', 'text/plain', 'total 1980')
        .send();`),
      signal,
    );
    expect(r).toEqual({ ok: true, data: {} });
    const mail = sink.arrived.at(-1)!;
    expect(mail.envelopeTo.sort()).toEqual(['buyer@example.com', 'sales@example.com']);
    expect(mail.mail.subject).toBe('Thanks');
    expect(mail.mail.text?.trim()).toBe('ご注文ありがとうございます');
    expect(mail.mail.from?.value).toEqual([{ address: 'shop@example.com', name: 'Shop' }]);
    expect(mail.mail.messageId).toBe('<i9:3.1@nagare.invalid>');
    expect(mail.mail.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual([
      ['receipt.txt', 'total 1980'],
    ]);
  });

  it('a refused recipient fails the step with the server answer', async () => {
    const r = await scriptConnector({ mail: sender }).run(
      job(`emailService.begin().addTo('reject@example.com').setSubject('x').setBody('y').send();`),
      signal,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'SCRIPT_ERROR' } });
    if (!r.ok) expect(r.error.message).toMatch(/reject@example.com|no such mailbox|550/);
  });

  it('without a mail server the script gets a clear error', async () => {
    const r = await scriptConnector({}).run(
      job(`emailService.begin().addTo('a@example.com').setSubject('x').setBody('y').send();`),
      signal,
    );
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'SCRIPT_ERROR', message: 'Error: emailService: no mail server is configured' },
    });
  });

  it('a mail without recipients is refused before it leaves', async () => {
    const r = await scriptConnector({ mail: sender }).run(
      job(`emailService.begin().setSubject('x').send();`),
      signal,
    );
    expect(r).toMatchObject({ ok: false, error: { message: 'Error: the mail has no recipient' } });
  });
});
