/**
 * What a script run needs from the server, shared by script steps and add-on steps: outbound
 * HTTP (the outbound fetch, which refuses private addresses unless allowed and logs each call
 * with the issue and step), the App's authorization settings (`httpClient.authSetting`) and
 * the FileStore (the issue's files read on demand, files the script makes stored on success).
 * Declared narrowly here so tests can pass a plain function.
 */
import type { FileStore } from '../../files/file-store.js';
import { createOutboundFetch } from '../../outbound/outbound-fetch.js';
import type { ScriptAuthorization, ScriptFetch, ScriptMailer } from '../../script/run-script.js';

export type ContextFetch = (
  url: string,
  init: RequestInit,
  context: { readonly workspaceId: string; readonly issueId?: string; readonly node?: string },
) => Promise<Response>;

export interface HeadersResolver {
  headersFor(
    workspaceId: string,
    appId: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<Record<string, string>>;
}

/** The part of the mail connector's sender scripts use (connectors/mail/mail-sender.ts fits it). */
export interface ScriptMailSender {
  readonly defaultFrom?: string;
  send(message: {
    from: string;
    to: readonly string[];
    cc: readonly string[];
    bcc: readonly string[];
    replyTo?: string;
    subject: string;
    text?: string;
    html?: string;
    attachments: readonly { filename: string; contentType: string; content: Uint8Array }[];
    messageId: string;
  }): Promise<unknown>;
}

export interface ScriptHostDeps {
  /** `emailService.send()`; without it scripts get "no mail server is configured". */
  readonly mail?: ScriptMailSender;
  /** Default: the outbound fetch (private addresses refused). */
  readonly fetch?: ContextFetch;
  readonly authorization?: HeadersResolver;
  /** The issue's files (read on demand) and the files scripts make; without it neither works. */
  readonly fileStore?: FileStore;
}

export function scriptHost(deps: ScriptHostDeps) {
  const fetch: ContextFetch = deps.fetch ?? (createOutboundFetch() as ContextFetch);
  const resolver = deps.authorization;
  const authorization: ScriptAuthorization | undefined = resolver
    ? async ({ workspaceId, appId, name }) => {
        try {
          const headers = await resolver.headersFor(workspaceId, appId, name);
          return { type: 'HEADERS', name, headers };
        } catch {
          return undefined;
        }
      }
    : undefined;
  const sender = deps.mail;
  const format = (a: { address: string; name: string | null }) =>
    a.name ? `"${a.name.replace(/["\\]/g, '\\$&')}" <${a.address}>` : a.address;
  const mailer: ScriptMailer | undefined = sender
    ? async (mail, messageId) => {
        const from = mail.from ? format(mail.from) : sender.defaultFrom;
        if (!from) throw new Error('emailService: the mail has no From and the server has no default');
        await sender.send({
          from,
          to: mail.to.map(format),
          cc: mail.cc.map(format),
          bcc: mail.bcc.map(format),
          ...(mail.replyTo ? { replyTo: format(mail.replyTo) } : {}),
          subject: mail.subject,
          ...(mail.html === null
            ? { text: mail.body }
            : { html: mail.html, ...(mail.body ? { text: mail.body } : {}) }),
          attachments: mail.attachments.map((a) => ({
            filename: a.name,
            contentType: a.contentType,
            content: Buffer.from(a.content, 'base64'),
          })),
          messageId,
        });
      }
    : undefined;
  return {
    mailer,
    authorization,
    fileStore: deps.fileStore,
    /** The script's httpClient, logged with the run's workspace, issue (if any) and step. */
    fetchFor(run: {
      readonly workspaceId: string;
      readonly issueId?: string;
      readonly node: string;
    }): ScriptFetch {
      const context = {
        workspaceId: run.workspaceId,
        ...(run.issueId !== undefined ? { issueId: run.issueId } : {}),
        node: run.node,
      };
      return (url, init) =>
        fetch(
          url,
          {
            method: init.method,
            headers: init.headers,
            ...(init.body ? { body: init.body } : {}),
            signal: init.signal,
          },
          context,
        );
    },
  };
}
