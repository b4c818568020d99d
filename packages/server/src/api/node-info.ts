import type { Dialect } from '../store/config.js';

/**
 * What this process does. Today every node serves the API; the runtime (job workers, timers)
 * will join the same role, and separate roles may come when scale-out needs them.
 */
export type NodeRole = 'all';

/** What the home page and health say about this node; never holds a secret. */
export interface NodeInfo {
  readonly version: string;
  readonly role: NodeRole;
  readonly dialect: Dialect;
  /** SQLite file path or masked PostgreSQL URL. */
  readonly location: string;
}
