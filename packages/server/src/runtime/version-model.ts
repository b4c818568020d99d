/**
 * What the server reads from an app version's BPMN besides the compiled process: its swimlane
 * rules (who does a step), its data item definitions and the step × data item access matrix
 * (what a step may see and write). A version never changes once stored, so each is read once
 * per process and kept.
 */
import {
  type AccessMatrix,
  type BpmnDefinitions,
  type DataItemDef,
  isModdleElement,
  type ModdleElement,
  many,
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
  /** Node id → the lane it is drawn in (who may start at a start event). */
  readonly laneOf: ReadonlyMap<string, string>;
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
        laneOf: lanesOfNodes(definitions),
      };
    });
  }
}

/** Node id → lane id, for every node a lane of the executable process refers to. */
export function lanesOfNodes(definitions: BpmnDefinitions): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (laneSet: ModdleElement | undefined): void => {
    if (!laneSet) return;
    for (const lane of many(laneSet, 'lanes')) {
      for (const ref of many(lane, 'flowNodeRef')) out.set(String(ref.id), String(lane.id));
      if (isModdleElement(lane.childLaneSet)) visit(lane.childLaneSet);
    }
  };
  const processes = many(definitions, 'rootElements').filter((e) => e.$type === 'bpmn:Process');
  const proc = processes.find((p) => p.isExecutable === true) ?? processes[0];
  for (const laneSet of proc ? many(proc, 'laneSets') : []) visit(laneSet);
  return out;
}
