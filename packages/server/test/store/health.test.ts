import { expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openStore } from '../../src/store/database.js';
import { getInstallation } from '../../src/store/installation.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from '../support/dialects.js';

describeEachDialect('GET /api/health', ({ dialect, config }) => {
  it('reports ok, the dialect and the installation', async () => {
    const store = await openStore(config());
    await migrateToLatest(store);
    const app = await buildApp({ store });
    try {
      // when
      const response = await app.inject('/api/health');

      // then
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        status: 'ok',
        version: expect.any(String),
        database: { dialect, ok: true },
        installation: await getInstallation(store.db),
      });
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('answers 503 with the same shape when the database is gone', async () => {
    const store = await openStore(config());
    await migrateToLatest(store);
    const app = await buildApp({ store });
    await store.close();
    try {
      const response = await app.inject('/api/health');
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        status: 'unavailable',
        version: expect.any(String),
        database: { dialect, ok: false, reason: expect.any(String) },
      });
    } finally {
      await app.close();
    }
  });
});
