import { resolveStoreConfig } from '../store/config.js';
import type { Store } from '../store/database.js';
import { openStore } from '../store/database.js';
import { type MigrationReport, migrateToLatest } from '../store/migrate.js';

/** Opens the store named by DATABASE_URL or the data dir and brings its schema up to date. */
export async function openMigratedStore(
  dataDir: string | undefined,
): Promise<{ store: Store; report: MigrationReport }> {
  const store = await openStore(resolveStoreConfig({ databaseUrl: process.env.DATABASE_URL, dataDir }));
  try {
    return { store, report: await migrateToLatest(store) };
  } catch (error) {
    await store.close();
    throw error;
  }
}
