import { OptionsIndex } from '@nagare/engine';
import type { MasterRevision, OptionsMasterStore } from './options-master-store.js';

export interface CachedIndex extends MasterRevision {
  readonly index: OptionsIndex;
}

/** Items kept in memory across all cached masters by default (≈ 14 postal-code masters). */
export const DEFAULT_MAX_CACHED_ITEMS = 2_000_000;

const sameRevision = (a: MasterRevision, b: MasterRevision): boolean =>
  a.version === b.version && a.sha256 === b.sha256;

/**
 * Search-select indexes, built lazily from the store and kept per (Workspace, master). Every
 * `get` asks the store which revision is current (one primary-key lookup) and rebuilds when it
 * is not the cached one, so a master replaced on another node is never answered from an old
 * index. Concurrent first lookups share one build; least recently used masters are dropped past
 * `maxItems`.
 */
export class OptionsIndexCache {
  readonly #masters: OptionsMasterStore;
  readonly #maxItems: number;
  readonly #entries = new Map<string, CachedIndex>();
  readonly #building = new Map<string, Promise<CachedIndex | undefined>>();
  #items = 0;

  constructor(masters: OptionsMasterStore, options: { maxItems?: number } = {}) {
    this.#masters = masters;
    this.#maxItems = options.maxItems ?? DEFAULT_MAX_CACHED_ITEMS;
  }

  /** The master's index at its current revision, or undefined when the master does not exist. */
  async get(workspaceId: string, name: string): Promise<CachedIndex | undefined> {
    const key = `${workspaceId}\u0000${name}`;
    for (let attempt = 0; ; attempt++) {
      const revision = await this.#masters.revision(workspaceId, name);
      if (revision === undefined) {
        this.#drop(key);
        return undefined;
      }
      const cached = this.#entries.get(key);
      if (cached && sameRevision(cached, revision)) {
        this.#entries.delete(key); // re-insert: most recently used last
        this.#entries.set(key, cached);
        return cached;
      }
      let building = this.#building.get(key);
      if (!building) {
        building = this.#build(key, workspaceId, name).finally(() => this.#building.delete(key));
        this.#building.set(key, building);
      }
      const built = await building;
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
    this.#items -= entry.index.size;
  }
}
