/**
 * Apps and their versions in the store: the lists, and what releasing a version writes (the
 * release itself and its Timer Starts). Deploying (compile, then store) stays in runtime.ts.
 */
import type { CompiledApp, TimerStartSpec } from '@nagare/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { iso } from './clock.js';
import { RuntimeError } from './errors.js';
import { nextFiring } from './timer-starts.js';

export interface AppView {
  readonly id: string;
  readonly name: string;
  readonly releasedVersionId: string | null;
  readonly createdAt: string;
}

export interface VersionView {
  readonly id: string;
  readonly appId: string;
  readonly version: number;
  readonly status: 'draft' | 'released' | 'retired';
  readonly note: string | null;
  readonly createdAt: string;
  readonly releasedAt: string | null;
}

/** The workspace's apps, by name. */
export async function listApps(db: Kysely<Database>, workspaceId: string): Promise<AppView[]> {
  const rows = await db
    .selectFrom('app')
    .select(['id', 'name', 'released_version_id', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    releasedVersionId: r.released_version_id,
    createdAt: r.created_at,
  }));
}

/** An app's versions, newest first; UNKNOWN_APP when the app is not in the workspace. */

/** An app's versions, newest first; UNKNOWN_APP when the app is not in the workspace. */
export async function listVersions(
  db: Kysely<Database>,
  workspaceId: string,
  appId: string,
): Promise<VersionView[]> {
  const rows = await db
    .selectFrom('app_version')
    .select(['id', 'app_id', 'version', 'status', 'note', 'created_at', 'released_at'])
    .where('app_id', '=', appId)
    .where('workspace_id', '=', workspaceId)
    .orderBy('version', 'desc')
    .execute();
  if (rows.length === 0) throw new RuntimeError('UNKNOWN_APP', `no app ${appId}`);
  return rows.map((r) => ({
    id: r.id,
    appId: r.app_id,
    version: r.version,
    status: r.status,
    note: r.note,
    createdAt: r.created_at,
    releasedAt: r.released_at,
  }));
}

/**
 * Makes a version the released one of its app and re-arms its Timer Starts in place (one row
 * per app and start event, so a new version never arms a second copy). True when the version
 * has Timer Starts (the caller wakes the workers).
 */
export async function armRelease(
  tx: Kysely<Database>,
  appId: string,
  versionId: string,
  app: CompiledApp,
  now: string,
  workspaceId: string,
  timeZone: string,
): Promise<boolean> {
  await tx
    .updateTable('app_version')
    .set({ status: 'retired' })
    .where('app_id', '=', appId)
    .where('status', '=', 'released')
    .execute();
  await tx
    .updateTable('app_version')
    .set({ status: 'released', released_at: now })
    .where('id', '=', versionId)
    .execute();
  await tx.updateTable('app').set({ released_version_id: versionId }).where('id', '=', appId).execute();

  // Timer Starts: one row per (app, start event), re-armed in place. A plain start event with an
  // add-on is polled through a row of its own, a cycle of its poll interval (runtime/addon-starts.ts).
  const specs: TimerStartSpec[] = [...app.timerStarts, ...(app.addonStarts ?? []).map(pollSpec)];
  const nodes = specs.map((t) => t.node);
  const existing = await tx.selectFrom('timer_start').selectAll().where('app_id', '=', appId).execute();
  const stale = existing.filter((row) => !nodes.includes(row.node)).map((row) => row.node);
  if (stale.length > 0) {
    await tx.deleteFrom('timer_start').where('app_id', '=', appId).where('node', 'in', stale).execute();
  }
  const nowMs = Date.parse(now);
  for (const spec of specs) {
    const zone = spec.timezone ?? timeZone;
    const row = existing.find((r) => r.node === spec.node);
    const position = row
      ? {
          armedAt: Date.parse(row.armed_at),
          lastFiredAt: row.last_fired_at === null ? null : Date.parse(row.last_fired_at),
          fired: row.fired,
        }
      : { armedAt: nowMs, lastFiredAt: null, fired: 0 };
    const next = nextFiring(spec, zone, position);
    const values = {
      app_version_id: versionId,
      spec: JSON.stringify(spec),
      time_zone: zone,
      next_at: next === null ? null : iso(next),
    };
    if (row) {
      await tx
        .updateTable('timer_start')
        .set(values)
        .where('app_id', '=', appId)
        .where('node', '=', spec.node)
        .execute();
    } else {
      await tx
        .insertInto('timer_start')
        .values({
          app_id: appId,
          node: spec.node,
          workspace_id: workspaceId,
          ...values,
          armed_at: now,
          last_fired_at: null,
          fired: 0,
          locked_by: null,
          locked_until: null,
        })
        .execute();
    }
  }
  return specs.length > 0;
}

/** A polled add-on start event as a timer start: every `pollInterval` from its release. */
function pollSpec(start: CompiledApp['addonStarts'][number]): TimerStartSpec {
  return {
    node: start.node,
    schedules: [],
    timer: { kind: 'cycle', value: `R/${start.pollInterval}` },
    automation: start.automation,
  };
}
