import { resolve } from 'node:path';
import { StoreError } from './store-error.js';

export type Dialect = 'sqlite' | 'postgres';

/** Where the store lives: an SQLite file under the data dir, or a PostgreSQL URL. */
export type StoreConfig =
  | { readonly dialect: 'sqlite'; readonly dataDir: string; readonly file: string }
  | { readonly dialect: 'postgres'; readonly url: string };

export const SQLITE_FILE_NAME = 'nagare.db';
export const DEFAULT_DATA_DIR = './data';

/**
 * DATABASE_URL wins when set (PostgreSQL); otherwise SQLite at `<dataDir>/nagare.db`.
 * A malformed URL is refused here, before anything tries to connect.
 */
export function resolveStoreConfig(input: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}): StoreConfig {
  const databaseUrl = input.databaseUrl?.trim();
  if (databaseUrl) return { dialect: 'postgres', url: checkPostgresUrl(databaseUrl) };
  const dataDir = resolve(input.dataDir ?? DEFAULT_DATA_DIR);
  return { dialect: 'sqlite', dataDir, file: resolve(dataDir, SQLITE_FILE_NAME) };
}

function checkPostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(
      'config',
      `DATABASE_URL is not a valid URL: expected postgres://user[:password]@host[:port]/database, got "${maskDatabaseUrl(url)}"`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreError(
      'config',
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//); unset it to use SQLite`,
    );
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new StoreError('config', `DATABASE_URL has no host: ${maskDatabaseUrl(url)}`);
  }
  return url;
}

/**
 * The URL with its password replaced by `***`, for logs, errors and the home page. Works on
 * strings that are not valid URLs too, so a typo never leaks the secret that follows it.
 */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    // user:secret@host -> user:***@host, whatever surrounds it
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/** Where the data is, without secrets: the SQLite file path or the masked URL. */
export function describeLocation(config: StoreConfig): string {
  return config.dialect === 'sqlite' ? config.file : maskDatabaseUrl(config.url);
}
