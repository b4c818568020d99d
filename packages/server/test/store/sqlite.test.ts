import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/database.js';
import { StoreError } from '../../src/store/store-error.js';

describe('the SQLite store', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'nagare-sqlite-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates a missing data dir and opens nagare.db in WAL mode with the expected pragmas', async () => {
    const dataDir = join(root, 'a', 'b');
    const store = await openStore(resolveStoreConfig({ dataDir }));
    try {
      expect(store.location).toBe(join(dataDir, 'nagare.db'));
      expect((await stat(store.location)).isFile()).toBe(true);
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(1); // NORMAL
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
    } finally {
      await store.close();
    }
  });

  it('refuses a data dir that is a file, with a clear message', async () => {
    const file = join(root, 'not-a-dir');
    await writeFile(file, 'x');
    const opening = openStore(resolveStoreConfig({ dataDir: file }));
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toThrow(/^cannot open the SQLite database .*not-a-dir\/nagare\.db: /);
  });
});
