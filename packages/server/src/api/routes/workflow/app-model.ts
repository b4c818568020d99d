import {
  type AccessMatrix,
  type CompiledApp,
  type DataItemDef,
  type StepAccess,
  stepAccess,
} from '@nagare/engine';
import type { LaneOperators } from '../../../identity/operator-rules.js';
import { RuntimeError } from '../../../runtime/errors.js';
import type { Runtime } from '../../../runtime/runtime.js';
import { NotFound } from '../../errors.js';

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

/**
 * App versions as the forms and views need them: the runtime's compiled process and version
 * model (each read once per version and kept there), in one shape.
 */
export class AppModels {
  readonly #runtime: Runtime;

  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  async load(versionId: string): Promise<AppModel> {
    try {
      const [model, app] = await Promise.all([
        this.#runtime.versionModel(versionId),
        this.#runtime.compiledApp(versionId),
      ]);
      return {
        versionId,
        app,
        items: model.items,
        matrix: model.access,
        lanes: model.lanes,
        laneOf: model.laneOf,
      };
    } catch (error) {
      if (error instanceof RuntimeError && error.code === 'UNKNOWN_VERSION')
        throw new NotFound('App version', versionId);
      throw error;
    }
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
