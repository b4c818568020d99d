import { type CompiledApp, compile } from '@nagare/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { RuntimeError } from './errors.js';

/**
 * Compiled apps by version id. A version's BPMN never changes once stored, so its compiled
 * form is derived, immutable data: every node may cache it for as long as it likes.
 */
export class AppCache {
  readonly #db: Kysely<Database>;
  readonly #apps = new Map<string, CompiledApp>();
  readonly #loading = new Map<string, Promise<CompiledApp>>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  get(versionId: string): CompiledApp | undefined {
    return this.#apps.get(versionId);
  }

  put(versionId: string, app: CompiledApp): void {
    this.#apps.set(versionId, app);
  }

  async load(versionId: string): Promise<CompiledApp> {
    const cached = this.#apps.get(versionId);
    if (cached) return cached;
    let loading = this.#loading.get(versionId);
    if (loading === undefined) {
      loading = this.#compile(versionId).finally(() => this.#loading.delete(versionId));
      this.#loading.set(versionId, loading);
    }
    return loading;
  }

  async #compile(versionId: string): Promise<CompiledApp> {
    const row = await this.#db
      .selectFrom('app_version')
      .select('bpmn')
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (row === undefined) throw new RuntimeError('UNKNOWN_VERSION', `no app version ${versionId}`);
    const app = await compile(row.bpmn);
    this.#apps.set(versionId, app);
    return app;
  }
}
