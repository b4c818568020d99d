/**
 * What the server reads from an app version's BPMN besides the compiled process: its swimlane
 * rules (who does a step), its data item definitions and the step × data item access matrix
 * (what a step may see and write). A version never changes once stored, so each is read once
 * per process and kept.
 */
import {
  type AccessMatrix,
  type DataItemDef,
  parseBpmn,
  readAccessMatrix,
  readDataItems,
} from '@nagare/engine';
import type { Kysely } from 'kysely';
import { type LaneOperators, readLaneOperators } from '../identity/operator-rules.js';
import type { Database } from '../store/schema.js';
import { RuntimeError } from './errors.js';

export interface VersionModel {
  readonly versionId: string;
  readonly lanes: readonly LaneOperators[];
  /** Items with a field name and number; empty when the app declares none in that form. */
  readonly items: readonly DataItemDef[];
  readonly access: AccessMatrix;
}

export class VersionModels {
  readonly #db: Kysely<Database>;
  readonly #models = new Map<string, VersionModel>();
  readonly #loading = new Map<string, Promise<VersionModel>>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  get(versionId: string): VersionModel | undefined {
    return this.#models.get(versionId);
  }

  load(versionId: string): Promise<VersionModel> {
    const held = this.#models.get(versionId);
    if (held) return Promise.resolve(held);
    let loading = this.#loading.get(versionId);
    if (loading === undefined) {
      loading = this.#read(versionId).finally(() => this.#loading.delete(versionId));
      this.#loading.set(versionId, loading);
    }
    return loading;
  }

  async #read(versionId: string): Promise<VersionModel> {
    const row = await this.#db
      .selectFrom('app_version')
      .select('bpmn')
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (row === undefined) throw new RuntimeError('UNKNOWN_VERSION', `no app version ${versionId}`);
    const { definitions } = await parseBpmn(row.bpmn);
    const { items } = readDataItems(definitions);
    const model: VersionModel = {
      versionId,
      lanes: readLaneOperators(definitions).lanes,
      items,
      access: readAccessMatrix(definitions, items).matrix,
    };
    this.#models.set(versionId, model);
    return model;
  }
}
