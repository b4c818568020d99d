/**
 * Values read once per key and kept (compiled app versions, version models: a version never
 * changes once stored). Concurrent first reads of a key share one load; a failed load is not
 * kept, so the next call tries again.
 */
export class LoadedOnce<V> {
  readonly #values = new Map<string, V>();
  readonly #loading = new Map<string, Promise<V>>();
  readonly #read: (key: string) => Promise<V>;

  constructor(read: (key: string) => Promise<V>) {
    this.#read = read;
  }

  get(key: string): V | undefined {
    return this.#values.get(key);
  }

  put(key: string, value: V): void {
    this.#values.set(key, value);
  }

  load(key: string): Promise<V> {
    const held = this.#values.get(key);
    if (held !== undefined) return Promise.resolve(held);
    let loading = this.#loading.get(key);
    if (loading === undefined) {
      loading = this.#read(key)
        .then((value) => {
          this.#values.set(key, value);
          return value;
        })
        .finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }
}
