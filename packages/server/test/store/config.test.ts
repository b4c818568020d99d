import { describe, expect, it } from 'vitest';
import { maskDatabaseUrl, resolveStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/database.js';
import { StoreError } from '../../src/store/store-error.js';

describe('store configuration', () => {
  it('uses SQLite under the data dir unless DATABASE_URL is set', () => {
    expect(resolveStoreConfig({ dataDir: '/srv/nagare' })).toEqual({
      dialect: 'sqlite',
      dataDir: '/srv/nagare',
      file: '/srv/nagare/nagare.db',
    });
    expect(resolveStoreConfig({ databaseUrl: '  ', dataDir: '/srv/nagare' }).dialect).toBe('sqlite');
    expect(resolveStoreConfig({ databaseUrl: 'postgres://u@h/db' })).toEqual({
      dialect: 'postgres',
      url: 'postgres://u@h/db',
    });
  });

  it.each([
    ['not a url', /^DATABASE_URL is not a valid URL: expected postgres:\/\//],
    ['mysql://root@127.0.0.1/nagare', /^DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ['postgres:///nagare', /^DATABASE_URL has no host/],
  ])('refuses a malformed DATABASE_URL (%s) as a configuration error', (databaseUrl, message) => {
    const resolving = () => resolveStoreConfig({ databaseUrl });
    expect(resolving).toThrow(StoreError);
    expect(resolving).toThrow(message);
  });

  it('never shows a password', () => {
    expect(maskDatabaseUrl('postgres://nagare:s3cret@db:5432/nagare')).toBe(
      'postgres://nagare:***@db:5432/nagare',
    );
    expect(maskDatabaseUrl('postgres://db/nagare?password=s3cret')).toBe('postgres://db/nagare?password=***');
    expect(maskDatabaseUrl('postgres//nagare:s3cret@db')).not.toContain('s3cret');
    expect(() => resolveStoreConfig({ databaseUrl: 'postgres//nagare:s3cret@db' })).toThrow(/^(?!.*s3cret)/);
  });

  it('reports an unreachable PostgreSQL in one line, without the password', async () => {
    const config = resolveStoreConfig({ databaseUrl: 'postgres://nagare:s3cret@127.0.0.1:1/nagare' });
    const opening = openStore(config);
    await expect(opening).rejects.toMatchObject({ name: 'StoreError', kind: 'unavailable' });
    const message = await opening.catch((error: Error) => error.message);
    expect(message).toMatch(
      /^cannot connect to PostgreSQL at postgres:\/\/nagare:\*\*\*@127\.0\.0\.1:1\/nagare: .*ECONNREFUSED/,
    );
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
  });
});
