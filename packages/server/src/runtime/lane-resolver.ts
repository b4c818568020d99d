/**
 * Who may do a task, decided when the token arrives (issue 5): the step's swimlane rules
 * (`nagare:operators`, read by identity/operator-rules.ts) resolved over the workspace's people
 * (identity/resolve.ts). The batch that opens the task is synchronous on SQLite, so both inputs
 * are held in memory and loaded before it runs: a batch that meets a version or workspace not
 * loaded yet asks for it (`undefined`), the executor loads it and runs the batch again.
 *
 * A workspace's directory is a snapshot kept for `ttlMs`: a change to people reaches new tasks
 * within that time on every node, without a query per task.
 */
import type { Kysely } from 'kysely';
import type { Directory } from '../identity/directory.js';
import { type Operator, resolveLane } from '../identity/resolve.js';
import { loadDirectory } from '../identity/store-directory.js';
import type { Database } from '../store/schema.js';
import type { OperatorQuery } from './batch-program.js';
import type { Clock } from './clock.js';
import type { VersionModels } from './version-model.js';

export interface LaneResolverOptions {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly models: VersionModels;
  /** How long a workspace's people are trusted before they are read again (default 2 s). */
  readonly ttlMs?: number;
  /** Where a workspace's people come from (default: the store). */
  readonly directory?: (workspaceId: string) => Promise<Directory>;
}

export class LaneResolver {
  readonly #o: Required<Omit<LaneResolverOptions, 'directory'>> & Pick<LaneResolverOptions, 'directory'>;
  readonly #directories = new Map<string, { readonly directory: Directory; readonly until: number }>();

  constructor(options: LaneResolverOptions) {
    this.#o = { ttlMs: 2_000, ...options };
  }

  /**
   * The candidates' user ids; null when the step has no swimlane rules (anyone in the
   * workspace); [] when the rules found nobody; undefined when the lane rules of the version
   * or the workspace's people are not loaded (call `prepare`, then run the batch again).
   */
  operators(query: OperatorQuery): readonly string[] | null | undefined {
    const lanes = this.#o.models.get(query.appVersionId)?.lanes;
    if (lanes === undefined) return undefined;
    const lane = query.lane && lanes.find((l) => l.laneId === query.lane!.id);
    if (!lane || lane.rules.length === 0) return null;
    const held = this.#directories.get(query.workspaceId);
    if (held === undefined || held.until < this.#o.clock.now()) return undefined;
    const { state, app } = query;
    const laneOperators: Record<string, Operator[]> = {};
    for (const [step, userId] of state.doneBy ?? []) {
      const laneId = (app.nodes[step] as { lane?: string } | undefined)?.lane;
      if (laneId === undefined) continue;
      laneOperators[laneId] ??= [];
      laneOperators[laneId].push({ userId });
    }
    const resolution = resolveLane(held.directory, lane, {
      appId: query.appId,
      data: state.data,
      items: app.dataItems,
      ...(state.starter === undefined ? {} : { starter: { userId: state.starter } }),
      laneOperators,
      lanes: lanes.map((l) => l.laneId),
    });
    if (!resolution.ok) return [];
    if (resolution.mode === 'allocated' && resolution.allocatedTo) return [resolution.allocatedTo.id];
    return resolution.candidates.map((user) => user.id);
  }

  /** Loads the lane rules of these versions and the people of these workspaces. */
  async prepare(versionIds: readonly string[], workspaceIds: readonly string[]): Promise<void> {
    await Promise.all([
      ...versionIds.map((id) => this.#o.models.load(id)),
      ...workspaceIds.map((id) => this.#loadDirectory(id)),
    ]);
  }

  /** Forgets a workspace's people (after a change made in this process). */
  invalidate(workspaceId: string): void {
    this.#directories.delete(workspaceId);
  }

  async #loadDirectory(workspaceId: string): Promise<void> {
    const load = this.#o.directory ?? ((id: string) => loadDirectory(this.#o.db, id));
    const directory = await load(workspaceId);
    this.#directories.set(workspaceId, { directory, until: this.#o.clock.now() + this.#o.ttlMs });
  }
}
