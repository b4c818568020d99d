import pg from 'pg';
import { JOBS_CHANNEL } from './postgres-batch.js';

/**
 * LISTEN on the jobs channel with a dedicated connection (not from the pool: a pooled
 * connection would stop listening when released). Only a wake-up for idle workers: polling
 * stays the fallback, so a lost connection costs latency, never jobs. Reconnects after 1 s.
 */
export function listenForJobs(url: string, onWake: () => void): { close(): Promise<void> } {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    const again = () => {
      if (closed || client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      retry = setTimeout(connect, 1_000);
      retry.unref();
    };
    c.on('error', again);
    c.on('end', again);
    c.on('notification', () => onWake());
    c.connect()
      .then(() => c.query(`listen ${JOBS_CHANNEL}`))
      .catch(again);
  };
  connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
