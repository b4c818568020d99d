import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type NagareApp } from '../../src/api/app.js';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export interface TestApp {
  readonly app: NagareApp;
  readonly store: Store;
  close(): Promise<void>;
}

/** The app over a migrated SQLite store in a temp dir; the API tests do not depend on the dialect. */
export async function buildTestApp(): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nagare-api-'));
  const store = await openStore(resolveStoreConfig({ dataDir }));
  await migrateToLatest(store);
  const app = await buildApp({ store });
  return {
    app,
    store,
    async close() {
      await app.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
