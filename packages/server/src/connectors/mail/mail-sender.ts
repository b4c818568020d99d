/**
 * How the e-mail step hands a message to SMTP: a `MailSender` over a nodemailer transport.
 * `NAGARE_SMTP_URL` (e.g. `smtp://user:pass@mail.example.com:587`) configures `nagare serve`'s.
 */
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export const SMTP_URL_ENV = 'NAGARE_SMTP_URL';
export const MAIL_FROM_ENV = 'NAGARE_MAIL_FROM';

export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo?: string;
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly attachments: readonly MailAttachment[];
  /** Stable per job (from its idempotency key): a receiver can drop a repeat. */
  readonly messageId: string;
}

export interface MailSender {
  /** The From when a step names none. */
  readonly defaultFrom?: string;
  send(message: MailMessage): Promise<{ readonly messageId: string }>;
  close?(): void;
}

/** A sender over SMTP: a URL (`smtp://`, `smtps://`) or nodemailer SMTP options. */
export function createSmtpSender(
  transport: string | SMTPTransport.Options,
  options: { defaultFrom?: string } = {},
): MailSender {
  // nodemailer is loaded on first use, not when the server starts
  let transporter: Promise<ReturnType<typeof import('nodemailer')['createTransport']>> | undefined;
  const get = () => {
    transporter ??= import('nodemailer').then((m) => m.default.createTransport(transport));
    return transporter;
  };
  return {
    ...(options.defaultFrom ? { defaultFrom: options.defaultFrom } : {}),
    async send(message) {
      const info = await (await get()).sendMail({
        from: message.from,
        to: [...message.to],
        cc: [...message.cc],
        bcc: [...message.bcc],
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        subject: message.subject,
        ...(message.text !== undefined ? { text: message.text } : {}),
        ...(message.html !== undefined ? { html: message.html } : {}),
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.content),
        })),
        messageId: message.messageId,
      });
      return { messageId: info.messageId };
    },
    close: () => {
      void transporter?.then((t) => t.close());
    },
  };
}
