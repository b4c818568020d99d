import { describe, expect, it } from 'vitest';
import type { Directory } from '../../src/identity/directory.js';
import { loadDirectory, storeDirectorySeed } from '../../src/identity/store-directory.js';
import { createWorkspace } from '../../src/identity/workspaces.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from '../support/dialects.js';
import { SEED } from './support/org-chart.js';
import { swimlaneRules } from './support/swimlane-rules.js';

describeEachDialect('the stored directory', ({ config }) => {
  async function seeded(): Promise<Store> {
    const store = await openStore(config());
    await migrateToLatest(store);
    await createWorkspace(store.db, { id: 'acme', name: 'Acme' });
    await storeDirectorySeed(store.db, 'acme', SEED);
    return store;
  }

  describe('swimlane rules over the stored seed org chart', () => {
    // The directory is a snapshot: seed and load once per dialect, then every rule reads it.
    let loaded: Promise<Directory> | undefined;
    swimlaneRules(() => {
      loaded ??= seeded().then(async (store) => {
        try {
          return await loadDirectory(store.db, 'acme');
        } finally {
          await store.close();
        }
      });
      return loaded;
    });
  });

  it('holds exactly what was seeded, and nothing of another workspace', async () => {
    const store = await seeded();
    try {
      await createWorkspace(store.db, { id: 'other', name: 'Other' });
      // The same ids in another workspace: a second org chart that must not leak.
      await storeDirectorySeed(store.db, 'other', {
        users: [{ id: 'u01', name: 'Someone Else', email: 'else@other.example' }],
        organizations: [{ id: 'corp', name: 'Other Corp' }],
        memberships: [{ userId: 'u01', organizationId: 'corp', position: 'member' }],
        roles: [{ id: 'auditor', name: 'Other auditor', members: ['u01'] }],
      });
      const acme = await loadDirectory(store.db, 'acme');
      const other = await loadDirectory(store.db, 'other');
      for (const u of SEED.users) {
        expect(acme.user(u.id)).toEqual({ ...u, active: u.active !== false });
      }
      expect(acme.user('u01')?.name).toBe('Sato Haruto');
      expect(other.user('u01')?.name).toBe('Someone Else');
      expect(other.user('u02')).toBeUndefined();
      expect(other.organization('sales')).toBeUndefined();
      expect(other.members('corp')).toEqual([{ userId: 'u01', organizationId: 'corp', position: 'member' }]);
      expect(other.roleMembers('auditor')).toEqual(['u01']);
      expect(acme.roleMembers('auditor')).toEqual(['u29', 'u34']);
      expect(other.authorityGrants('expense', 'appAdministrator')).toEqual([]);
      expect(acme.authorityGrants('expense', 'processManager')).toEqual([
        { kind: 'organization', organization: 'finance', position: 'leader' },
      ]);
      expect(await loadDirectory(store.db, 'nowhere').then((d) => d.user('u01'))).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
