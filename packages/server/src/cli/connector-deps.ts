/**
 * What `nagare serve` gives its connectors, from the environment (docs/operations.md):
 *
 * - `NAGARE_OUTBOUND_ALLOW`: CIDR ranges every workspace may call although private (added to
 *   each workspace's own allow-list, table `outbound_allow`);
 * - `NAGARE_SECRET_KEY`: the key authorization settings' secrets are sealed with;
 * - `NAGARE_SMTP_URL`, `NAGARE_MAIL_FROM`: the e-mail step's SMTP server and default sender;
 * - files where the Workflow API keeps them (`NAGARE_FILES_DIR`, else `<data-dir>/files`), the
 *   file-storage step's `local` folders under `<data-dir>/folders`.
 *
 * A malformed value stops the server at start with a message naming the variable.
 */
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { addonLoader } from '../addons/addon-store.js';
import { defaultFilesRoot } from '../api/routes/workflow/index.js';
import { AuthorizationSettings } from '../authorization/authorization-settings.js';
import { parseSecretKey, SECRET_KEY_ENV } from '../authorization/secret-box.js';
import { storeIssueSource } from '../connectors/csv/issue-list.js';
import { localFolderStore } from '../connectors/file-storage/folder-store.js';
import type { ConnectorDeps } from '../connectors/index.js';
import { createSmtpSender, MAIL_FROM_ENV, SMTP_URL_ENV } from '../connectors/mail/mail-sender.js';
import { LocalFileStore } from '../files/local-file-store.js';
import { OUTBOUND_ALLOW_ENV, OutboundAllowList, parseAllowList } from '../outbound/allow-list-store.js';
import { createOutboundFetch } from '../outbound/outbound-fetch.js';
import type { Store } from '../store/database.js';

export function connectorDepsFromEnv(
  store: Store,
  options: { dataDir: string; log: FastifyBaseLogger; env?: NodeJS.ProcessEnv },
): ConnectorDeps & { authorization: AuthorizationSettings; allowList: OutboundAllowList } {
  const env = options.env ?? process.env;
  const key = env[SECRET_KEY_ENV];
  if (key !== undefined && key.trim() !== '') {
    const parsed = parseSecretKey(key);
    if (typeof parsed === 'string') throw new Error(parsed);
  }
  let everywhere: string[];
  try {
    everywhere = parseAllowList(env[OUTBOUND_ALLOW_ENV]);
  } catch (error) {
    throw new Error((error as Error).message);
  }
  const allowList = new OutboundAllowList(store.db, { everywhere });
  const fetch = createOutboundFetch({
    allow: allowList.allow,
    log: (entry) => options.log.info({ outbound: entry }, 'outbound request'),
  });
  const smtp = env[SMTP_URL_ENV]?.trim();
  if (smtp) {
    try {
      const u = new URL(smtp);
      if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('scheme');
    } catch {
      throw new Error(`${SMTP_URL_ENV} must be an smtp:// or smtps:// URL`);
    }
  }
  const from = env[MAIL_FROM_ENV]?.trim();
  return {
    fetch,
    allowList,
    authorization: new AuthorizationSettings({ db: store.db, secretKey: key, fetch }),
    // the same files the Workflow API stores (NAGARE_FILES_DIR, else beside the database)
    fileStore: new LocalFileStore({ store, root: defaultFilesRoot(store) }),
    folders: { local: localFolderStore(join(options.dataDir, 'folders')) },
    issues: storeIssueSource(store.db),
    // imported add-ons run as add-on steps (addons/addon-store.ts)
    addons: addonLoader(store.db),
    ...(smtp ? { mail: createSmtpSender(smtp, from ? { defaultFrom: from } : {}) } : {}),
  };
}
