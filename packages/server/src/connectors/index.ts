import type { AuthorizationResolver } from '../authorization/authorization-settings.js';
import type { FileStore } from '../files/file-store.js';
import type { OutboundFetch } from '../outbound/outbound-fetch.js';
import { type AddonLoader, addonConnector } from './addon/connector.js';
import { chatworkConnector } from './chatwork/connector.js';
import { type ConnectorRegistry, createConnectorRegistry } from './connector.js';
import { csvConnector } from './csv/connector.js';
import type { IssueSource } from './csv/issue-list.js';
import { fileStorageConnector } from './file-storage/connector.js';
import type { FolderStore } from './file-storage/folder-store.js';
import { googleDriveConnector } from './google-drive/connector.js';
import { httpConnector } from './http/connector.js';
import { kintoneConnector } from './kintone/connector.js';
import { mailConnector } from './mail/connector.js';
import type { MailSender } from './mail/mail-sender.js';
import { pdfConnector } from './pdf/connector.js';
import { scriptConnector } from './script/connector.js';
import { slackConnector } from './slack/connector.js';
import { stripeConnector } from './stripe/connector.js';

export * from './connector.js';
export { httpConnector } from './http/connector.js';

/** What the built-in connectors need from the server; each is optional (a step that needs a missing one fails with BAD_CONFIG). */
export interface ConnectorDeps {
  /** Every outbound HTTP call; default one that refuses private addresses. */
  readonly fetch?: OutboundFetch;
  readonly fileStore?: FileStore;
  readonly authorization?: AuthorizationResolver;
  readonly mail?: MailSender;
  /** Folder stores for the file-storage step by name (`local` under the data directory). */
  readonly folders?: Readonly<Record<string, FolderStore>>;
  /** The App's issues, for the CSV step's issuesToCsv. */
  readonly issues?: IssueSource;
  /** The Workspace's imported add-ons (addons/addon-store.ts `addonLoader`), for add-on steps. */
  readonly addons?: AddonLoader;
}

/** The connectors `nagare serve` runs. */
export function defaultConnectors(deps: ConnectorDeps = {}): ConnectorRegistry {
  return createConnectorRegistry([
    httpConnector(deps),
    mailConnector({
      ...(deps.mail ? { sender: deps.mail } : {}),
      ...(deps.fileStore ? { fileStore: deps.fileStore } : {}),
    }),
    pdfConnector(deps),
    csvConnector(deps),
    fileStorageConnector(deps),
    stripeConnector(deps),
    slackConnector(deps),
    kintoneConnector(deps),
    chatworkConnector(deps),
    googleDriveConnector(deps),
    scriptConnector(deps),
    addonConnector(deps),
  ]);
}
