/**
 * Which App and start event a mail is for. A message start event takes mail when it has
 * `<nagare:messageKey channel="email"/>`; its address is `<appId>+<startEventId>@<any domain>`,
 * or `<appId>@...` when the App has one such start event. What goes into which data item is
 * declared on the start event as `<nagare:automation type="email">` configs:
 *
 * | config            | the data item that receives                                   |
 * | ----------------- | ------------------------------------------------------------- |
 * | `subjectItem`     | the subject                                                   |
 * | `bodyItem`        | the text body (the HTML converted to text when there is none) |
 * | `fromItem`        | the sender's address                                          |
 * | `toItem`          | the To and Cc addresses, comma separated                      |
 * | `dateItem`        | the sent date (datetime)                                      |
 * | `attachmentsItem` | the attachments (a file item)                                 |
 * | `allowFrom`       | not an item: only these senders (addresses or `@domain`), comma separated |
 */
import { type ModdleElement, many as manyOf, parseBpmn } from '@nagare/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export const MAIL_CHANNELS = new Set(['email', 'mail']);

export interface MailRoute {
  readonly workspaceId: string;
  readonly appId: string;
  readonly versionId: string;
  readonly startEvent: string;
  readonly configs: Readonly<Record<string, string>>;
}

type Moddle = ModdleElement & { id?: string; [key: string]: unknown };

function many(element: unknown, property: string): Moddle[] {
  return element ? (manyOf(element as ModdleElement, property) as Moddle[]) : [];
}

/** The mail start events of a BPMN document's executable processes, with their configs. */
export async function mailStartEvents(
  bpmn: string,
): Promise<{ startEvent: string; configs: Record<string, string> }[]> {
  const { definitions } = await parseBpmn(bpmn);
  const found: { startEvent: string; configs: Record<string, string> }[] = [];
  for (const root of many(definitions, 'rootElements')) {
    if (root.$type !== 'bpmn:Process') continue;
    for (const el of many(root, 'flowElements')) {
      if (el.$type !== 'bpmn:StartEvent') continue;
      const defs = many(el, 'eventDefinitions');
      if (!defs.some((d) => d.$type === 'bpmn:MessageEventDefinition')) continue;
      const values = many(el.extensionElements, 'values');
      const key = values.find((v) => v.$type === 'nagare:MessageKey');
      if (!key || !MAIL_CHANNELS.has(String(key.channel ?? ''))) continue;
      const automation = values.find((v) => v.$type === 'nagare:Automation');
      const configs: Record<string, string> = {};
      for (const c of many(automation, 'configs')) {
        if (typeof c.name === 'string') configs[c.name] = typeof c.value === 'string' ? c.value : '';
      }
      found.push({ startEvent: String(el.id), configs });
    }
  }
  return found;
}

/** Resolves recipient local parts to routes, caching each released version's start events. */
export class MailRoutes {
  readonly #db: Kysely<Database>;
  readonly #cache = new Map<string, Promise<{ startEvent: string; configs: Record<string, string> }[]>>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The route for `local` (the part before @), or why there is none. */
  async resolve(local: string): Promise<MailRoute | string> {
    const [appId = '', startEvent] = local.split('+', 2);
    if (!/^[A-Za-z0-9_-]+$/.test(appId)) return `no app for "${local}"`;
    const app = await this.#db
      .selectFrom('app')
      .select(['id', 'workspace_id', 'released_version_id'])
      .where('id', '=', appId)
      .executeTakeFirst();
    if (!app?.released_version_id) return `no released app "${appId}"`;
    const versionId = app.released_version_id;
    let starts = this.#cache.get(versionId);
    if (!starts) {
      starts = this.#db
        .selectFrom('app_version')
        .select('bpmn')
        .where('id', '=', versionId)
        .where('workspace_id', '=', app.workspace_id)
        .executeTakeFirstOrThrow()
        .then((row) => mailStartEvents(row.bpmn));
      this.#cache.set(versionId, starts);
      starts.catch(() => this.#cache.delete(versionId));
    }
    const list = await starts;
    const chosen =
      startEvent === undefined
        ? list.length === 1
          ? list[0]
          : undefined
        : list.find((s) => s.startEvent === startEvent);
    if (!chosen) {
      return startEvent === undefined && list.length > 1
        ? `app "${appId}" has ${list.length} mail start events: write to ${appId}+<startEventId>@...`
        : `app "${appId}" takes no mail${startEvent ? ` at "${startEvent}"` : ''}`;
    }
    return {
      workspaceId: app.workspace_id,
      appId,
      versionId,
      startEvent: chosen.startEvent,
      configs: chosen.configs,
    };
  }
}
