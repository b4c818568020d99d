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
import { LoadedOnce } from './loaded-once.js';

export interface VersionModel {
  readonly versionId: string;
  readonly lanes: readonly LaneOperators[];
  /** Items with a field name and number; empty when the app declares none in that form. */
  readonly items: readonly DataItemDef[];
  readonly access: AccessMatrix;
}

/** Version models by version id, each read once (loaded-once.ts). */
export class VersionModels extends LoadedOnce<VersionModel> {
  constructor(db: Kysely<Database>) {
    super(async (versionId) => {
      const row = await db
        .selectFrom('app_version')
        .select('bpmn')
        .where('id', '=', versionId)
        .executeTakeFirst();
      if (row === undefined) throw new RuntimeError('UNKNOWN_VERSION', `no app version ${versionId}`);
      const { definitions } = await parseBpmn(row.bpmn);
      const { items } = readDataItems(definitions);
      return {
        versionId,
        lanes: readLaneOperators(definitions).lanes,
        items,
        access: readAccessMatrix(definitions, items).matrix,
      };
    });
  }
}
