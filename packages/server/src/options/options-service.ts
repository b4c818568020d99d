import type { OptionsXmlLimits } from '@nagare/engine';
import type { Store } from '../store/database.js';
import { cursorMatches } from './choices-cursor.js';
import { checkMasterName } from './master-name.js';
import { OptionsError } from './options-error.js';
import { type CachedIndex, OptionsIndexCache } from './options-index-cache.js';
import { type OptionsMasterInfo, OptionsMasterStore } from './options-master-store.js';
import { type ChoicesPage, type ChoicesQuery, pageOfChoices } from './search-select.js';

export interface OptionsServiceOptions {
  readonly limits?: OptionsXmlLimits;
  /** Items kept in memory across cached indexes (default 2,000,000). */
  readonly maxCachedItems?: number;
  /** Ask the store for a master's current revision at most this often (default 1,000 ms; 0: every lookup). */
  readonly revisionCheckMs?: number;
  /** Milliseconds for the revision interval, for tests (default performance.now). */
  readonly clock?: () => number;
  readonly now?: () => Date;
}

/** Options masters for the API: import, list, search-select lookups; every call per Workspace. */
export class OptionsService {
  readonly masters: OptionsMasterStore;
  readonly indexes: OptionsIndexCache;

  constructor(store: Store, options: OptionsServiceOptions = {}) {
    this.masters = new OptionsMasterStore(store, {
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.indexes = new OptionsIndexCache(this.masters, {
      ...(options.maxCachedItems === undefined ? {} : { maxItems: options.maxCachedItems }),
      ...(options.revisionCheckMs === undefined ? {} : { revisionCheckMs: options.revisionCheckMs }),
      ...(options.clock === undefined ? {} : { now: options.clock }),
    });
  }

  async import(workspaceId: string, name: string, xml: string): Promise<OptionsMasterInfo> {
    const info = await this.masters.import(workspaceId, name, xml);
    this.indexes.invalidate(workspaceId, name);
    return info;
  }

  /** Removes the master; false when there was none. Other nodes stop answering from it within the revision interval. */
  async delete(workspaceId: string, name: string): Promise<boolean> {
    const removed = await this.masters.delete(workspaceId, name);
    this.indexes.invalidate(workspaceId, name);
    return removed;
  }

  list(workspaceId: string): Promise<OptionsMasterInfo[]> {
    return this.masters.list(workspaceId);
  }

  /** The master's index (e.g. for validating selected ids); UNKNOWN_MASTER when there is none. */
  async index(workspaceId: string, name: string, options: { fresh?: boolean } = {}): Promise<CachedIndex> {
    checkMasterName(name);
    const cached = await this.indexes.get(workspaceId, name, options);
    if (!cached) throw new OptionsError('UNKNOWN_MASTER', `no options master "${name}" in this workspace`);
    return cached;
  }

  async choices(workspaceId: string, name: string, query: ChoicesQuery): Promise<ChoicesPage> {
    let cached = await this.index(workspaceId, name);
    // A cursor from another revision (another node may have seen a newer import): ask the store now.
    if (query.cursor !== undefined && !cursorMatches(query.cursor, cached)) {
      cached = await this.index(workspaceId, name, { fresh: true });
    }
    return pageOfChoices(name, cached, cached.index, query);
  }
}
