/**
 * Start-event add-ons written for these tests, in the product's Add-on XML, and the App that
 * uses them: a polling add-on that lists messages from a local HTTP server, a timer add-on that
 * lists the ids of a config, a webhook add-on that checks a header and starts an issue.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { addonLoader, importAddon } from '../../src/addons/addon-store.js';
import { addonConnector } from '../../src/connectors/addon/connector.js';
import { createConnectorRegistry } from '../../src/connectors/connector.js';
import type { HeadersResolver } from '../../src/connectors/script/host.js';
import { createOutboundFetch } from '../../src/outbound/outbound-fetch.js';
import type { Store } from '../../src/store/database.js';
import { bpmn, flows } from '../support/runtime.js';

export const POLLING_ADDON = `<?xml version="1.0" encoding="UTF-8"?>
<service-task-definition>
  <addon-type>START_EVENT</addon-type>
  <engine-type>3</engine-type>
  <label>Message received</label>
  <configs>
    <config name="conf_Url" required="true" form-type="TEXTFIELD"><label>C1: Mailbox URL</label></config>
    <config name="conf_AskEngine" form-type="TOGGLE"><label>C2: Skip started ids itself</label></config>
    <config name="conf_idData" required="true" form-type="SELECT" select-data-type="STRING_TEXTFIELD"><label>C3: Id</label></config>
    <config name="conf_timestampData" form-type="SELECT" select-data-type="DATETIME"><label>C4: Received</label></config>
    <config name="conf_subjectData" form-type="SELECT" select-data-type="STRING_TEXTFIELD"><label>C5: Subject</label></config>
  </configs>
  <script><![CDATA[
const list = (limit, timestampLowerLimit) => {
  const url = configs.get('conf_Url');
  const res = httpClient.begin().queryParam('since', dateFormatter.format('UTC', "yyyy-MM-dd'T'HH:mm:ssX", timestampLowerLimit)).get(url);
  if (res.getStatusCode() !== 200) throw new Error('mailbox answered ' + res.getStatusCode());
  let messages = JSON.parse(res.getResponseAsString())
    .map((m) => ({ id: m.id, timestamp: dateFormatter.parse("yyyy-MM-dd'T'HH:mm:ssX", m.at), subject: m.subject }))
    .filter((m) => !m.timestamp.before(timestampLowerLimit));
  if (configs.getObject('conf_AskEngine')) {
    const started = messages.filter((m) => engine.isProcessStarted(m.id)).map((m) => m.id);
    httpClient.begin().queryParam('started', started.join(',')).get(url + '/seen');
    messages = messages.filter((m) => !engine.isProcessStarted(m.id));
  }
  return messages.slice(0, limit);
};
]]></script>
</service-task-definition>
`;

export const TIMER_ADDON = `<?xml version="1.0" encoding="UTF-8"?>
<service-task-definition>
  <addon-type>START_EVENT_TIMER</addon-type>
  <engine-type>3</engine-type>
  <label>Timer Start: one case per code</label>
  <configs>
    <config name="conf_Codes" required="true" form-type="TEXTFIELD"><label>C1: Codes, comma separated</label></config>
    <config name="conf_idData" required="true" form-type="SELECT" select-data-type="STRING_TEXTFIELD"><label>C2: Code</label></config>
  </configs>
  <script><![CDATA[
const list = (limit) => {
  const codes = configs.get('conf_Codes').split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (codes.length > limit) throw new Error('more than ' + limit + ' codes');
  return codes.map((id) => ({ id }));
};
]]></script>
</service-task-definition>
`;

export const WEBHOOK_ADDON = `<?xml version="1.0" encoding="UTF-8"?>
<service-task-definition>
  <addon-type>START_EVENT_WEBHOOK</addon-type>
  <engine-type>3</engine-type>
  <label>Chat message received</label>
  <configs>
    <config name="conf_Token" required="true" form-type="TEXTFIELD"><label>C1: Verification token</label></config>
    <config name="conf_Text" required="true" form-type="SELECT" select-data-type="STRING"><label>C2: Message</label></config>
    <config name="conf_User" form-type="SELECT" select-data-type="STRING_TEXTFIELD"><label>C3: User</label></config>
  </configs>
  <script><![CDATA[
const post = ({ body, headers }) => {
  if (headers.getFirst('X-Chat-Token') !== configs.get('conf_Token')) return { status: 401 };
  const json = JSON.parse(body);
  if (json.type === 'url_verification') return { 'content-type': 'text/plain', body: json.challenge };
  if (json.type !== 'message') return { status: 202 };
  engine.setData(configs.getObject('conf_Text'), json.text);
  const user = configs.getObject('conf_User');
  if (user !== null) engine.setData(user, json.user);
  engine.setStartProcess(true);
  return { 'content-type': 'application/json', body: JSON.stringify({ ok: true }) };
};
]]></script>
</service-task-definition>
`;

const ITEMS = `<nagare:dataItem number="1" fieldName="q_id" type="string"/>
  <nagare:dataItem number="2" fieldName="q_at" type="datetime"/>
  <nagare:dataItem number="3" fieldName="q_subject" type="string"/>
  <nagare:dataItem number="4" fieldName="q_text" type="string"/>
  <nagare:dataItem number="5" fieldName="q_user" type="string"/>`;

function automation(addon: string, configs: Record<string, string>, attrs = ''): string {
  const c = Object.entries(configs)
    .map(([k, v]) => `<nagare:config name="${k}">${v.replace(/&/g, '&amp;')}</nagare:config>`)
    .join('');
  return `<bpmn:extensionElements><nagare:automation type="addon" addon="${addon}"${attrs}>${c}</nagare:automation></bpmn:extensionElements>`;
}

/** An App whose start event `node` carries `addon` (a timer start when `timer` gives its cycle). */
export function addonStartApp(
  addon: string,
  configs: Record<string, string>,
  options: { attrs?: string; timer?: string } = {},
): string {
  const timer = options.timer
    ? `<bpmn:timerEventDefinition><bpmn:timeCycle>${options.timer}</bpmn:timeCycle></bpmn:timerEventDefinition>`
    : '';
  return bpmn(
    `<bpmn:startEvent id="user"/>
     <bpmn:startEvent id="auto">${automation(addon, configs, options.attrs)}${timer}</bpmn:startEvent>
     <bpmn:userTask id="handle"/><bpmn:endEvent id="end"/>
     ${flows('user>handle', 'auto>handle', 'handle>end')}`,
    { items: ITEMS },
  );
}

/** The add-on connector over the store's add-ons; outbound HTTP may reach 127.0.0.1 only. */
export function addonConnectors(store: () => Store, authorization?: HeadersResolver) {
  const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
  return createConnectorRegistry([
    addonConnector({
      fetch,
      addons: (w, id, v) => addonLoader(store().db)(w, id, v),
      ...(authorization ? { authorization } : {}),
    }),
  ]);
}

export async function importTestAddon(store: Store, addonId: string, xml: string): Promise<void> {
  await importAddon(store.db, { workspaceId: 'default', addonId, xml });
}

export interface Mailbox {
  readonly url: string;
  /** The messages the mailbox lists. */
  messages: { id: string; at: string; subject: string }[];
  /** Each request: its path and query. */
  readonly requests: URL[];
  /** While set, list requests wait for it. */
  hold: Promise<void> | undefined;
  close(): Promise<void>;
}

/** A local HTTP server the polling add-on lists messages from. */
export async function openMailbox(): Promise<Mailbox> {
  const box: Mailbox = {
    url: '',
    messages: [],
    requests: [],
    hold: undefined,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    box.requests.push(url);
    if (url.pathname === '/inbox' && box.hold) await box.hold;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(url.pathname === '/inbox' ? JSON.stringify(box.messages) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  (box as { url: string }).url = `http://127.0.0.1:${address.port}/inbox`;
  return box;
}
