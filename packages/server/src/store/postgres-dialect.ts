import { type Dialect, PostgresDialect } from 'kysely';
import pg from 'pg';

/** How long opening a connection may take before the store reports PostgreSQL unreachable. */
export const PG_CONNECT_TIMEOUT_MS = 5_000;

/**
 * A pg pool for DATABASE_URL behind Kysely's PostgreSQL dialect. The pool needs at least two
 * connections: migrations hold one for their advisory lock while running on another.
 */
export function createPostgresPool(url: string, options: { max?: number; pipeline?: boolean } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    // Pipelined: queries are sent without waiting for the previous answer (pg 8.23).
    ...(options.pipeline ? { pipeline: true } : {}),
  });
  // An idle client can lose its connection (server restart). Without a listener that 'error'
  // event would crash the process; the pool drops the client and the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export function createPostgresDialect(pool: pg.Pool): Dialect {
  return new PostgresDialect({ pool });
}
