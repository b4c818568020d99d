import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sharedDir } from '../../../../scripts/shared-dir.js';
import {
  AddonError,
  addonLoader,
  addonVersions,
  exportAddon,
  getAddon,
  importAddon,
  listAddons,
} from '../../src/addons/addon-store.js';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from '../support/dialects.js';

const dir = join(sharedDir(), 'addon-corpus', 'questetra-addon-xml');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');

describeEachDialect('add-on store', ({ config }) => {
  async function open() {
    const store = await openStore(config());
    await migrateToLatest(store);
    return store;
  }

  it('imports, versions, lists the latest and exports byte for byte', async () => {
    const store = await open();
    try {
      const xml = read('stripe-customer-create.xml');
      const first = await importAddon(store.db, {
        workspaceId: 'w1',
        addonId: 'stripe-customer-create',
        xml,
      });
      expect(first).toMatchObject({ version: 1, type: 'SERVICE_TASK', label: 'Stripe: Create Customer' });
      expect(first.definition.configs.map((c) => [c.name, c.formType])).toContainEqual([
        'conf_Auth',
        'OAUTH2',
      ]);
      expect(first.definition).not.toHaveProperty('script');
      const edited = xml.replace('<last-modified>', '<!-- edited -->\n<last-modified>');
      const second = await importAddon(store.db, {
        workspaceId: 'w1',
        addonId: 'stripe-customer-create',
        xml: edited,
      });
      expect(second.version).toBe(2);
      await importAddon(store.db, {
        workspaceId: 'w1',
        addonId: 'slack',
        xml: read('slack-chat-post-webhook.xml'),
      });

      expect((await listAddons(store.db, 'w1')).map((a) => [a.addonId, a.version])).toEqual([
        ['slack', 1],
        ['stripe-customer-create', 2],
      ]);
      expect((await addonVersions(store.db, 'w1', 'stripe-customer-create')).map((a) => a.version)).toEqual([
        1, 2,
      ]);
      const exported = await exportAddon(store.db, 'w1', 'stripe-customer-create', 1);
      expect(
        Buffer.from(exported, 'utf8').equals(readFileSync(join(dir, 'stripe-customer-create.xml'))),
      ).toBe(true);
      expect(await exportAddon(store.db, 'w1', 'stripe-customer-create')).toBe(edited);
      const loaded = await addonLoader(store.db)('w1', 'stripe-customer-create', 1);
      expect(loaded?.script).toContain('function main()');
    } finally {
      await store.close();
    }
  });

  it('keeps workspaces apart', async () => {
    const store = await open();
    try {
      await importAddon(store.db, {
        workspaceId: 'w1',
        addonId: 'slack',
        xml: read('slack-chat-post-webhook.xml'),
      });
      expect(await listAddons(store.db, 'w2')).toEqual([]);
      expect(await getAddon(store.db, 'w2', 'slack')).toBeUndefined();
      expect(await addonLoader(store.db)('w2', 'slack')).toBeUndefined();
      await expect(exportAddon(store.db, 'w2', 'slack')).rejects.toMatchObject({ code: 'ADDON_NOT_FOUND' });
      const other = await importAddon(store.db, {
        workspaceId: 'w2',
        addonId: 'slack',
        xml: read('slack-chat-post-webhook.xml'),
      });
      expect(other.version).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses bad input with a coded error and writes nothing', async () => {
    const store = await open();
    try {
      const cases: [string, string, string, number | undefined][] = [
        ['bad id', '../etc', read('slack-chat-post-webhook.xml'), undefined],
        ['malformed XML', 'x', '<service-task-definition>\n<label>x</label>\n<script>', 3],
        ['not an add-on', 'x', '<items/>', 1],
      ];
      for (const [, addonId, xml, line] of cases) {
        const error = await importAddon(store.db, { workspaceId: 'w1', addonId, xml }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AddonError);
        expect((error as AddonError).line).toBe(line);
      }
      expect(await store.db.selectFrom('addon').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
