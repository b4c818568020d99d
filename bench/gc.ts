/** Full garbage collection between phases, so one phase's garbage is not collected on the next one's time. */
import { fail } from './fail.ts';

export function fullGc(): void {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') fail('run with node --expose-gc (npm run bench does)');
  // twice, as the peer does: the first pass can leave objects that only become garbage during it
  gc();
  gc();
}
