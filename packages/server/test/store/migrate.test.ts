import { readdir } from 'node:fs/promises';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { getInstallation } from '../../src/store/installation.js';
import { appliedMigrations, migrateToLatest } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { describeEachDialect } from '../support/dialects.js';

describeEachDialect('migrations', ({ dialect, config }) => {
  it('migrates an empty database to the latest schema', async () => {
    const store = await openStore(config());
    try {
      // when
      const report = await migrateToLatest(store);

      // then
      expect(report.applied).toEqual(Object.keys(migrations));
      expect(await appliedMigrations(store)).toEqual(Object.keys(migrations));
      const rows = await store.db.selectFrom('installation').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(rows[0]?.created_at ?? '').toISOString()).toBe(rows[0]?.created_at);
    } finally {
      await store.close();
    }
  });

  it('does nothing when run again, in the same or another process', async () => {
    const first = await openStore(config());
    await migrateToLatest(first);
    const installation = await getInstallation(first.db);
    await first.close();

    // when
    const second = await openStore(config());
    try {
      const report = await migrateToLatest(second);
      const again = await migrateToLatest(second);

      // then
      expect(report.applied).toEqual([]);
      expect(again.applied).toEqual([]);
      expect(await getInstallation(second.db)).toEqual(installation);
    } finally {
      await second.close();
    }
  });

  it.skipIf(dialect !== 'postgres')(
    'serializes concurrent migrators (several nodes starting together)',
    async () => {
      // Separate stores = separate pools, like separate processes. Repeat to give the race chances.
      for (let round = 0; round < 3; round++) {
        if (round > 0) {
          const cleaner = await openStore(config());
          await sql`drop schema public cascade; create schema public`.execute(cleaner.db);
          await cleaner.close();
        }
        const stores = await Promise.all([1, 2, 3].map(() => openStore(config())));
        try {
          // when
          const reports = await Promise.all(stores.map((store) => migrateToLatest(store)));

          // then: exactly one of them applied each migration, the others found nothing to do
          const applied = reports.flatMap((report) => report.applied);
          expect(applied.sort()).toEqual(Object.keys(migrations).sort());
          const rows = await stores[0]!.db.selectFrom('installation').selectAll().execute();
          expect(rows).toHaveLength(1);
        } finally {
          await Promise.all(stores.map((store) => store.close()));
        }
      }
    },
  );
});

describe('the migrations folder', () => {
  it('lists every numbered migration file in migrations/index.ts, in order', async () => {
    const folder = new URL('../../src/store/migrations/', import.meta.url);
    const files = (await readdir(folder)).filter((file) => /^\d{4}_.+\.ts$/.test(file)).sort();
    expect(Object.keys(migrations)).toEqual(files.map((file) => file.replace(/\.ts$/, '')));
  });
});
