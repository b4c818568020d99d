import type { Kysely } from 'kysely';
import type { Directory } from '../../../identity/directory.js';
import type { LaneOperators } from '../../../identity/operator-rules.js';
import { resolveLane } from '../../../identity/resolve.js';
import { loadDirectory } from '../../../identity/store-directory.js';
import type { Database } from '../../../store/schema.js';
import type { Principal } from '../../auth/principal.js';
import type { AppModel } from './app-model.js';

/** Node id → the id of the lane it is drawn in (nested lanes: the innermost). */
/**
 * Who may start an issue at a start event: the operators of the swimlane it is drawn in
 * (resolved over the workspace's people, the caller as the starter); anyone in the workspace
 * when it is in no lane or its lane has no rules. One directory per call site (`directory`)
 * so a list of Apps reads the people once.
 */
export async function mayStartAt(
  principal: Principal,
  model: AppModel,
  appId: string,
  node: string,
  directory: () => Promise<Directory>,
): Promise<boolean> {
  const laneId = model.laneOf.get(node);
  const lane: LaneOperators | undefined =
    laneId === undefined ? undefined : model.lanes.find((l) => l.laneId === laneId);
  if (!lane || lane.rules.length === 0) return true;
  const resolution = resolveLane(await directory(), lane, {
    appId,
    items: model.app.dataItems,
    starter: { userId: principal.userId },
    lanes: model.lanes.map((l) => l.laneId),
  });
  if (!resolution.ok) return false;
  return resolution.candidates.some((u) => u.id === principal.userId);
}

/** The workspace's people, read at most once per request. */
export function directoryOnce(db: Kysely<Database>, workspaceId: string): () => Promise<Directory> {
  let loading: Promise<Directory> | undefined;
  return () => {
    loading ??= loadDirectory(db, workspaceId);
    return loading;
  };
}
