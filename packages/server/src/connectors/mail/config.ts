/**
 * The e-mail step's configs (a `sendTask` or throwing message event with
 * `nagare:automation type="email"`). Text configs may carry data items (template.ts).
 *
 * | name          | meaning                                                                          |
 * | ------------- | -------------------------------------------------------------------------------- |
 * | `from`        | sender address; default the server's `NAGARE_MAIL_FROM`                          |
 * | `to`          | required: addresses and data items (user items give their e-mail, string items their text), comma or line separated |
 * | `cc`, `bcc`   | as `to`                                                                          |
 * | `replyTo`     | an address                                                                       |
 * | `subject`     | required                                                                         |
 * | `body`        | the text                                                                         |
 * | `bodyType`    | `text` (default) or `html`                                                       |
 * | `attachments` | file data items whose files are attached, comma separated                        |
 */
export interface MailConfig {
  readonly from: string | undefined;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo: string | undefined;
  readonly subject: string;
  readonly body: string;
  readonly bodyType: 'text' | 'html';
  readonly attachments: readonly string[];
}

export type MailConfigResult =
  | { readonly ok: true; readonly config: MailConfig }
  | { readonly ok: false; readonly error: string };

export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function readMailConfig(configs: Readonly<Record<string, string>>): MailConfigResult {
  const to = splitList(configs.to);
  if (to.length === 0) return { ok: false, error: 'config "to" is required: an address or a data item' };
  const subject = configs.subject ?? '';
  if (subject.trim() === '') return { ok: false, error: 'config "subject" is required' };
  const bodyType = (configs.bodyType?.trim() || 'text') as MailConfig['bodyType'];
  if (bodyType !== 'text' && bodyType !== 'html') {
    return { ok: false, error: `config "bodyType" must be text or html, got "${configs.bodyType}"` };
  }
  return {
    ok: true,
    config: {
      from: configs.from?.trim() || undefined,
      to,
      cc: splitList(configs.cc),
      bcc: splitList(configs.bcc),
      replyTo: configs.replyTo?.trim() || undefined,
      subject,
      body: configs.body ?? '',
      bodyType,
      attachments: splitList(configs.attachments),
    },
  };
}
