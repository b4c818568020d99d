/**
 * Each workspace's time zone (`workspace.time_zone`, set through `PATCH /api/system/workspace`),
 * the zone its issues' timers, deadlines and date values are decided in. A batch runs
 * synchronously, so the zones are held in memory: a batch that meets a workspace whose zone is
 * not held, or held longer than `ttlMs`, asks for it (`undefined`), the executor loads it and
 * runs the batch again — as for lane rules (lane-resolver.ts). A change reaches every node
 * within `ttlMs`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Clock } from './clock.js';

export class WorkspaceZones {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  /** The zone of a workspace that has no row (an issue of a removed workspace). */
  readonly #fallback: string;
  readonly #held = new Map<string, { readonly zone: string; readonly until: number }>();

  constructor(db: Kysely<Database>, clock: Clock, fallback: string, ttlMs = 10_000) {
    this.#db = db;
    this.#clock = clock;
    this.#fallback = fallback;
    this.#ttlMs = ttlMs;
  }

  /** The workspace's zone; undefined when not held or too old (call `load`, run again). */
  get(workspaceId: string): string | undefined {
    const held = this.#held.get(workspaceId);
    return held === undefined || held.until < this.#clock.now() ? undefined : held.zone;
  }

  async load(workspaceIds: readonly string[]): Promise<void> {
    if (workspaceIds.length === 0) return;
    const rows = await this.#db
      .selectFrom('workspace')
      .select(['id', 'time_zone'])
      .where('id', 'in', [...workspaceIds])
      .execute();
    const until = this.#clock.now() + this.#ttlMs;
    const zones = new Map(rows.map((r) => [r.id, r.time_zone]));
    for (const id of workspaceIds) this.#held.set(id, { zone: zones.get(id) ?? this.#fallback, until });
  }

  /** Forgets a workspace's zone (after a change made in this process). */
  invalidate(workspaceId: string): void {
    this.#held.delete(workspaceId);
  }
}
