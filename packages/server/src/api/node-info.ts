import type { Dialect } from '../store/config.js';

/**
 * What this process does (`nagare serve --role`): `api` serves HTTP and runs commands,
 * `worker` runs jobs, timers, Timer Starts and the retention purge, `all` (default) both.
 * Every role answers the home page and /api/health, so each node can be health-checked.
 */
export type NodeRole = 'api' | 'worker' | 'all';
export const NODE_ROLES: readonly NodeRole[] = ['api', 'worker', 'all'];

const ROLE_TEXT: Readonly<Record<NodeRole, string>> = {
  api: 'serves the API',
  worker: 'runs jobs and timers',
  all: 'serves the API, runs jobs and timers',
};

export function describeRole(role: NodeRole): string {
  return `${role} (${ROLE_TEXT[role]})`;
}

/** What the home page and health say about this node; never holds a secret. */
export interface NodeInfo {
  readonly version: string;
  readonly role: NodeRole;
  readonly dialect: Dialect;
  /** SQLite file path or masked PostgreSQL URL. */
  readonly location: string;
}
