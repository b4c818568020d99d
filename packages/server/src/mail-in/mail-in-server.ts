/**
 * Message start by e-mail: an SMTP listener (smtp-server) that starts an issue per mail and
 * per recipient address that names a mail start event (mail-routes.ts). The sender is
 * answered `250` only after the issue has started (committed); a failure to start answers
 * `451`, so the sending server delivers again later. The issue id is derived from the
 * Message-ID and the route, so a mail delivered twice starts one issue.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DataValues } from '@nagare/engine';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { FileRef, FileStore } from '../files/file-store.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Store } from '../store/database.js';
import { type MailRoute, MailRoutes } from './mail-routes.js';

/** Questetra's limit for a mail that starts an issue. */
export const DEFAULT_MAIL_IN_MAX_BYTES = 31.5 * 1024 * 1024;
export const MAIL_IN_PORT_ENV = 'NAGARE_MAIL_IN_PORT';

export interface MailInOptions {
  readonly runtime: Runtime;
  readonly store: Store;
  readonly fileStore?: FileStore;
  readonly host?: string;
  /** 0: any free port (tests). */
  readonly port: number;
  readonly maxBytes?: number;
  readonly log?: (entry: { event: string; [key: string]: unknown }) => void;
  /** Extra smtp-server options (TLS keys, authentication). */
  readonly smtp?: Partial<SMTPServerOptions>;
}

export interface MailIn {
  readonly port: number;
  close(): Promise<void>;
}

type SmtpError = Error & { responseCode?: number };

function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startMailIn(options: MailInOptions): Promise<MailIn> {
  const routes = new MailRoutes(options.store.db);
  const maxBytes = options.maxBytes ?? DEFAULT_MAIL_IN_MAX_BYTES;
  const log = options.log ?? (() => {});
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: maxBytes,
    ...options.smtp,
    onRcptTo(address, _session, callback) {
      routes
        .resolve(localPart(address.address))
        .then((route) => {
          if (typeof route === 'string') return callback(smtpError(550, `5.1.1 ${route}`));
          callback();
        })
        .catch((error: Error) => callback(smtpError(451, `4.3.0 ${error.message}`)));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= maxBytes) chunks.push(c);
      });
      stream.on('end', () => {
        if (size > maxBytes || (stream as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError(552, `5.3.4 the message is over ${maxBytes} bytes`));
        }
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        deliver(Buffer.concat(chunks), recipients)
          .then((issues) => {
            log({
              event: 'mail-in',
              issues,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            });
            callback(null, `2.0.0 started ${issues.join(', ')}`);
          })
          .catch((error: SmtpError) => {
            log({ event: 'mail-in:failed', error: error.message });
            callback(error.responseCode ? error : smtpError(451, `4.3.0 ${error.message}`));
          });
      });
    },
  });

  async function deliver(raw: Buffer, recipients: string[]): Promise<string[]> {
    const mail = await simpleParser(raw);
    const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
    const started: string[] = [];
    for (const address of recipients) {
      const route = await routes.resolve(localPart(address));
      if (typeof route === 'string') throw smtpError(451, `4.3.0 ${route}`);
      const allow = route.configs.allowFrom?.split(/[,\s]+/).filter((a) => a !== '') ?? [];
      if (
        allow.length > 0 &&
        !allow.some((a) => (a.startsWith('@') ? from.endsWith(a.toLowerCase()) : from === a.toLowerCase()))
      ) {
        throw smtpError(550, `5.7.1 ${from || 'this sender'} may not send to ${address}`);
      }
      const messageId = mail.messageId ?? createHash('sha256').update(raw).digest('hex');
      const issueId = createHash('sha256')
        .update(`${route.appId}\n${route.startEvent}\n${messageId}`)
        .digest('hex')
        .slice(0, 28);
      const data = await dataOf(mail, route, options.fileStore);
      try {
        await options.runtime.startIssue({ appId: route.appId, startEvent: route.startEvent, issueId, data });
      } catch (error) {
        // delivered twice: the first delivery started it
        const exists = await options.store.db
          .selectFrom('issue')
          .select('id')
          .where('id', '=', issueId)
          .executeTakeFirst();
        if (!exists) throw error;
      }
      started.push(issueId);
    }
    return started;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function localPart(address: string): string {
  return address.slice(0, address.lastIndexOf('@'));
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter((a) => a !== '');
}

async function dataOf(
  mail: ParsedMail,
  route: MailRoute,
  fileStore: FileStore | undefined,
): Promise<DataValues> {
  const c = route.configs;
  const data: DataValues = {};
  const set = (config: string, value: unknown) => {
    const item = c[config]?.trim();
    if (item) data[item] = value as never;
  };
  set('subjectItem', mail.subject ?? '');
  set(
    'bodyItem',
    (mail.text ?? (typeof mail.html === 'string' ? mail.html.replace(/<[^>]+>/g, '') : ''))
      .replace(/\r\n/g, '\n')
      .trimEnd(),
  );
  set('fromItem', mail.from?.value[0]?.address ?? '');
  set('toItem', [...addresses(mail.to), ...addresses(mail.cc)].join(', '));
  set('dateItem', (mail.date ?? new Date()).toISOString());
  const attachmentsItem = c.attachmentsItem?.trim();
  if (attachmentsItem && mail.attachments.length > 0) {
    if (!fileStore) throw smtpError(451, '4.3.0 this server has no file store for attachments');
    const refs: FileRef[] = [];
    for (const a of mail.attachments) {
      const stored = await fileStore.put(route.workspaceId, {
        name: a.filename ?? 'attachment',
        contentType: a.contentType || 'application/octet-stream',
        bytes: new Uint8Array(a.content),
      });
      refs.push({ id: stored.id, name: stored.name, contentType: stored.contentType, size: stored.size });
    }
    data[attachmentsItem] = refs as never;
  }
  return data;
}
