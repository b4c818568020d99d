import { OptionsIndex } from '@nagare/engine';
import type { OptionsMasterStore } from './options-master-store.js';

export interface CachedIndex {
  readonly version: number;
  readonly index: OptionsIndex;
}

/** Items kept in memory across all cached masters by default (≈ 14 postal-code masters). */
export const DEFAULT_MAX_CACHED_ITEMS = 2_000_000;

/**
 * Search-select indexes, built lazily from the store and kept per (Workspace, master). Every
 * `get` asks the store for the master's version (one primary-key lookup) and rebuilds when it
 * moved, so a master replaced on another node is never answered from an old index. Concurrent
 * first lookups share one build; least recently used masters are dropped past `maxItems`.
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

  /** The master's index at its current version, or undefined when the master does not exist. */
  async get(workspaceId: string, name: string): Promise<CachedIndex | undefined> {
    const key = `${workspaceId}\u0000${name}`;
    const version = await this.#masters.version(workspaceId, name);
    if (version === undefined) {
      this.#drop(key);
      return undefined;
    }
    const cached = this.#entries.get(key);
    if (cached && cached.version >= version) {
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
    // A build that started before a newer import: look again (rare; bounded by imports).
    if (built && built.version < version) return this.get(workspaceId, name);
    return built;
  }

  /** Forgets the master here (after an import on this node; other nodes see the version move). */
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
    const entry: CachedIndex = { version: loaded.version, index: new OptionsIndex(loaded.items) };
    const current = this.#entries.get(key);
    if (current && current.version >= entry.version) return current;
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
