import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: a fresh database per test file on the local server (created as user
 * postgres, dropped afterwards), so files run in parallel without seeing each other's rows.
 * NAGARE_TEST_PG_URL points at another server's maintenance database.
 */
export const adminUrl = process.env.NAGARE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** With CI=true PostgreSQL tests are mandatory: unreachable means failed, not skipped. */
export const postgresRequired = process.env.CI === 'true';

export type PostgresProbe =
  | { readonly available: true }
  | { readonly available: false; readonly reason: string };

export async function probePostgres(): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { available: true };
  } catch (error) {
    const reason = error instanceof AggregateError ? error.errors.map(String).join('; ') : String(error);
    return { available: false, reason: `PostgreSQL at ${adminUrl} cannot be reached: ${reason}` };
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `nagare_test_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/** Empties a test database between tests: drops and recreates the public schema. */
export async function resetDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('drop schema public cascade; create schema public');
  } finally {
    await client.end();
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
