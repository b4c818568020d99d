/** A real SMTP server on 127.0.0.1 (smtp-server) that keeps what arrives, parsed (mailparser). */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Arrived {
  readonly envelopeFrom: string;
  readonly envelopeTo: string[];
  readonly mail: ParsedMail;
  readonly raw: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly arrived: Arrived[];
  close(): Promise<void>;
}

/** `reject@...` is refused for good (550), `busy@...` for now (451). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const arrived: Arrived[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('reject@')) {
        return callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
      }
      if (address.address.startsWith('busy@')) {
        return callback(Object.assign(new Error('try later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        arrived.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          mail: await simpleParser(raw),
          raw: raw.toString(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, arrived, close: () => new Promise((r) => server.close(() => r())) };
}
