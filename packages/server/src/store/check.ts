import type { Store } from './database.js';
import { getInstallation, type Installation } from './installation.js';
import { describeCause } from './store-error.js';

export type StoreCheck =
  | { readonly ok: true; readonly installation: Installation | undefined }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads the installation row within `timeoutMs`: one query that proves the database answers
 * and the schema is in place. A hung connection counts as a failure rather than hanging health.
 */
export async function checkStore(store: Store, timeoutMs: number): Promise<StoreCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<StoreCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const query = getInstallation(store.db).then(
    (installation): StoreCheck => ({ ok: true, installation }),
    (error: unknown): StoreCheck => ({ ok: false, reason: describeCause(error) }),
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
