import type { FileStore } from '../../files/file-store.js';
import type { Connector, ConnectorResult, JobIssue, JobRun } from '../connector.js';
import { isFileRef } from '../http/connector.js';
import { badConfig, type Failure, failure, thrownFailure } from '../http/outcome.js';
import { renderTemplate } from '../http/template.js';
import { readMailConfig } from './config.js';
import type { MailAttachment, MailSender } from './mail-sender.js';

export interface MailConnectorOptions {
  readonly sender?: MailSender;
  readonly fileStore?: FileStore;
}

/** Plain enough to refuse typos and header injection; SMTP has the last word. */
const ADDRESS = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

/**
 * Sends one e-mail through SMTP (the e-mail step / throwing message event). The Message-ID
 * comes from the job's idempotency key, the same on every attempt. SMTP 4xx answers and
 * connection errors are retryable; 5xx answers are not.
 */
export function mailConnector(options: MailConnectorOptions = {}): Connector {
  return {
    type: 'email',
    async run(job: JobRun): Promise<ConnectorResult> {
      const read = readMailConfig(job.automation.configs);
      if (!read.ok) return badConfig(read.error);
      const config = read.config;
      if (!options.sender) return badConfig('this server has no SMTP server configured (NAGARE_SMTP_URL)');
      const issue = await job.issue();
      const text = (value: string, name: string): string | Failure => {
        const r = renderTemplate(value, issue);
        return r.ok ? r.text : badConfig(`config "${name}": ${r.error}`);
      };
      const recipients: Record<'to' | 'cc' | 'bcc', string[]> = { to: [], cc: [], bcc: [] };
      for (const field of ['to', 'cc', 'bcc'] as const) {
        for (const entry of config[field]) {
          const found = addressesOf(entry, issue, field);
          if (typeof found === 'string') return badConfig(found);
          recipients[field].push(...found);
        }
      }
      if (recipients.to.length + recipients.cc.length + recipients.bcc.length === 0) {
        return badConfig('the mail has no recipient: the data items named in "to", "cc" and "bcc" are empty');
      }
      const from = config.from ?? options.sender.defaultFrom;
      if (!from) return badConfig('config "from" is required (the server has no NAGARE_MAIL_FROM)');
      const fromText = text(from, 'from');
      if (typeof fromText !== 'string') return fromText;
      if (!ADDRESS.test(fromText.trim()))
        return badConfig(`config "from": "${fromText}" is not an e-mail address`);
      if (config.replyTo && !ADDRESS.test(config.replyTo)) {
        return badConfig(`config "replyTo": "${config.replyTo}" is not an e-mail address`);
      }
      const subject = text(config.subject, 'subject');
      if (typeof subject !== 'string') return subject;
      const body = text(config.body, 'body');
      if (typeof body !== 'string') return body;
      const attachments: MailAttachment[] = [];
      for (const item of config.attachments) {
        const refs = issue.data[item];
        if (Object.keys(issue.app.dataItems).length > 0 && !issue.app.dataItems[item]) {
          return badConfig(`config "attachments": the app has no data item "${item}"`);
        }
        if (refs === null || refs === undefined) continue;
        if (!Array.isArray(refs) || !refs.every(isFileRef)) {
          return badConfig(`config "attachments": ${item} is not a file data item`);
        }
        if (!options.fileStore) return badConfig('the mail attaches files but this server has no file store');
        for (const ref of refs) {
          try {
            const content = await options.fileStore.read(job.workspaceId, ref.id);
            attachments.push({ filename: ref.name, contentType: ref.contentType, content });
          } catch (error) {
            return thrownFailure(error, `attachment ${ref.name}`);
          }
        }
      }
      try {
        await options.sender.send({
          from: fromText.trim(),
          ...recipients,
          ...(config.replyTo ? { replyTo: config.replyTo } : {}),
          subject: subject.replace(/[\r\n]+/g, ' '),
          ...(config.bodyType === 'html' ? { html: body } : { text: body }),
          attachments,
          messageId: `<${job.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@nagare>`,
        });
      } catch (error) {
        return smtpFailure(error);
      }
      return { ok: true };
    },
  };
}

/** The addresses one `to`/`cc`/`bcc` entry stands for, or why it stands for none. */
function addressesOf(entry: string, issue: JobIssue, field: string): string[] | string {
  const item = issue.app.dataItems[entry];
  if (item || (/^[A-Za-z_]\w*$/.test(entry) && entry in issue.data)) {
    const value = issue.data[entry];
    const found: string[] = [];
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === null || v === undefined || v === '') continue;
      if (typeof v === 'object') {
        const email = (v as { email?: unknown; id?: unknown }).email ?? (v as { id?: unknown }).id;
        if (typeof email !== 'string' || !ADDRESS.test(email)) {
          return `config "${field}": ${entry} holds a user without an e-mail address`;
        }
        found.push(email);
      } else {
        for (const part of String(v)
          .split(/[,;\s]+/)
          .filter((p) => p !== '')) {
          if (!ADDRESS.test(part))
            return `config "${field}": ${entry} holds "${part}", which is not an e-mail address`;
          found.push(part);
        }
      }
    }
    return found;
  }
  if (ADDRESS.test(entry)) return [entry];
  if (/[#{]/.test(entry)) {
    const r = renderTemplate(entry, issue);
    if (!r.ok) return `config "${field}": ${r.error}`;
    const parts = r.text.split(/[,;\s]+/).filter((p) => p !== '');
    const bad = parts.find((p) => !ADDRESS.test(p));
    if (bad !== undefined) return `config "${field}": "${bad}" is not an e-mail address`;
    return parts;
  }
  return `config "${field}": "${entry}" is neither an e-mail address nor a data item`;
}

function smtpFailure(error: unknown): Failure {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const message = `SMTP: ${e?.message ?? String(error)}`;
  if (typeof e?.responseCode === 'number') {
    return failure(`SMTP_${e.responseCode}`, message, e.responseCode < 500);
  }
  return failure(
    e?.code === 'EENVELOPE' ? 'SMTP_ENVELOPE' : 'SMTP_CONNECTION',
    message,
    e?.code !== 'EENVELOPE',
  );
}
