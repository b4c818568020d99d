import { OptionsIndex } from '@nagare/engine';
import type { MasterRevision, OptionsMasterStore } from './options-master-store.js';

export interface CachedIndex extends MasterRevision {
  readonly index: OptionsIndex;
}

/** Items kept in memory across all cached masters by default (≈ 14 postal-code masters). */
export const DEFAULT_MAX_CACHED_ITEMS = 2_000_000;
/** How long a node answers from its index before asking the store again which revision is current. */
export const DEFAULT_REVISION_CHECK_MS = 1_000;

export interface OptionsIndexCacheOptions {
  readonly maxItems?: number;
  /**
   * Ask the store for the current revision at most this often per master (default 1 s; 0: on
   * every lookup). An import on this node is seen at once; one on another node within this time.
   */
  readonly revisionCheckMs?: number;
  /** Milliseconds, for tests. */
  readonly now?: () => number;
}

const sameRevision = (a: MasterRevision, b: MasterRevision): boolean =>
  a.version === b.version && a.sha256 === b.sha256;

/**
 * Search-select indexes, built lazily from the store and kept per (Workspace, master). A `get`
 * asks the store which revision is current (one primary-key lookup; at most once per
 * `revisionCheckMs` per master, or always with `fresh`) and rebuilds when it is not the cached
 * one, so a master replaced on another node is answered from the new index within that time.
 * Keeping the store off most lookups keeps them in memory (T10). Concurrent first lookups share
 * one build; least recently used masters are dropped past `maxItems`.
 */
export class OptionsIndexCache {
  readonly #masters: OptionsMasterStore;
  readonly #maxItems: number;
  readonly #revisionCheckMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, CachedIndex>();
  /** When the store last confirmed the cached revision, per key. */
  readonly #checkedAt = new Map<string, number>();
  readonly #building = new Map<string, Promise<CachedIndex | undefined>>();
  #items = 0;

  constructor(masters: OptionsMasterStore, options: OptionsIndexCacheOptions = {}) {
    this.#masters = masters;
    this.#maxItems = options.maxItems ?? DEFAULT_MAX_CACHED_ITEMS;
    this.#revisionCheckMs = options.revisionCheckMs ?? DEFAULT_REVISION_CHECK_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * The master's index at its current revision, or undefined when the master does not exist.
   * `fresh`: confirm the revision with the store now (paging with a cursor does).
   */
  async get(
    workspaceId: string,
    name: string,
    options: { fresh?: boolean } = {},
  ): Promise<CachedIndex | undefined> {
    const key = `${workspaceId}\u0000${name}`;
    const recent = this.#entries.get(key);
    const checkedAt = this.#checkedAt.get(key);
    if (
      recent &&
      !options.fresh &&
      checkedAt !== undefined &&
      this.#now() - checkedAt < this.#revisionCheckMs
    ) {
      this.#entries.delete(key); // re-insert: most recently used last
      this.#entries.set(key, recent);
      return recent;
    }
    for (let attempt = 0; ; attempt++) {
      const asked = this.#now();
      const revision = await this.#masters.revision(workspaceId, name);
      if (revision === undefined) {
        this.#drop(key);
        return undefined;
      }
      const cached = this.#entries.get(key);
      if (cached && sameRevision(cached, revision)) {
        this.#entries.delete(key); // re-insert: most recently used last
        this.#entries.set(key, cached);
        this.#checkedAt.set(key, asked);
        return cached;
      }
      let building = this.#building.get(key);
      if (!building) {
        building = this.#build(key, workspaceId, name).finally(() => this.#building.delete(key));
        this.#building.set(key, building);
      }
      const built = await building;
      if (built && sameRevision(built, revision)) this.#checkedAt.set(key, asked);
      // A build that began before the import we saw: look again (a few times at most; then the
      // newest build there is, which is never older than what the store had when it began).
      if (!built || sameRevision(built, revision) || attempt >= 2) return built;
    }
  }

  /** Forgets the master here (after an import on this node; other nodes see the revision move). */
  invalidate(workspaceId: string, name: string): void {
    this.#drop(`${workspaceId}\u0000${name}`);
  }

  /** Masters and items held, for tests and the health of a node. */
  get stats(): { masters: number; items: number } {
    return { masters: this.#entries.size, items: this.#items };
  }

  async #build(key: string, workspaceId: string, name: string): Promise<CachedIndex | undefined> {
    const loaded = await this.#masters.items(workspaceId, name);
    if (!loaded) {
      this.#drop(key);
      return undefined;
    }
    const entry: CachedIndex = {
      version: loaded.version,
      sha256: loaded.sha256,
      index: new OptionsIndex(loaded.items),
    };
    this.#drop(key);
    this.#entries.set(key, entry);
    this.#items += entry.index.size;
    for (const k of [...this.#entries.keys()]) {
      if (this.#items <= this.#maxItems || k === key) break;
      this.#drop(k);
    }
    return entry;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#checkedAt.delete(key);
    this.#items -= entry.index.size;
  }
}
