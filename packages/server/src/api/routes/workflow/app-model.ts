import {
  type AccessMatrix,
  type CompiledApp,
  compile,
  type DataItemDef,
  parseBpmn,
  readAccessMatrix,
  readDataItems,
  type StepAccess,
  stepAccess,
} from '@nagare/engine';
import type { Kysely } from 'kysely';
import { type LaneOperators, readLaneOperators } from '../../../identity/operator-rules.js';
import type { Database } from '../../../store/schema.js';
import { NotFound } from '../../errors.js';
import { lanesOfNodes } from './start-permission.js';

/** One App version as the forms and views need it. */
export interface AppModel {
  readonly versionId: string;
  readonly app: CompiledApp;
  /** Data item definitions, in definition order. */
  readonly items: readonly DataItemDef[];
  readonly matrix: AccessMatrix;
  /** Swimlane rules, and which lane each node is drawn in (who may start where). */
  readonly lanes: readonly LaneOperators[];
  readonly laneOf: ReadonlyMap<string, string>;
}

const MAX_CACHED = 200;

/**
 * App versions parsed for the API (items, access matrix, compiled nodes). Versions are
 * immutable, so a cache by version id is safe on every node; it is bounded (oldest out).
 */
export class AppModels {
  readonly #db: Kysely<Database>;
  readonly #cache = new Map<string, Promise<AppModel>>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  load(versionId: string): Promise<AppModel> {
    const cached = this.#cache.get(versionId);
    if (cached) return cached;
    const loading = this.#read(versionId);
    loading.catch(() => this.#cache.delete(versionId));
    this.#cache.set(versionId, loading);
    if (this.#cache.size > MAX_CACHED) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return loading;
  }

  async #read(versionId: string): Promise<AppModel> {
    const row = await this.#db
      .selectFrom('app_version')
      .select('bpmn')
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (!row) throw new NotFound('App version', versionId);
    const [{ definitions }, app] = await Promise.all([parseBpmn(row.bpmn), compile(row.bpmn)]);
    const { items } = readDataItems(definitions);
    const { matrix } = readAccessMatrix(definitions, items);
    return {
      versionId,
      app,
      items,
      matrix,
      lanes: readLaneOperators(definitions).lanes,
      laneOf: lanesOfNodes(definitions),
    };
  }
}

/** A step's access column; for a step the matrix does not list, everything hidden. */
export function accessAt(model: AppModel, node: string): StepAccess {
  return stepAccess(model.matrix, node);
}

/**
 * What a viewer with the whole issue in sight (starter, process manager, data viewer) may
 * see: every item some human step shows (read or edit). An item no step shows stays hidden.
 */
export function issueAccess(model: AppModel): StepAccess {
  const out: Record<string, { mode: 'read'; required: false }> = {};
  for (const step of model.matrix.steps) {
    const column = stepAccess(model.matrix, step.id);
    for (const [field, access] of Object.entries(column)) {
      if (access.mode !== 'hidden') out[field] = { mode: 'read', required: false };
    }
  }
  // An App that declares items but no human step shows them (e.g. all automated): show all.
  if (model.matrix.steps.length === 0) {
    for (const item of model.items) out[item.fieldName] = { mode: 'read', required: false };
  }
  return out;
}
