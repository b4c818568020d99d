import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

export interface IssueRow {
  readonly id: string;
  readonly status: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The App's issues in one workspace, newest first (for issuesToCsv). */
export type IssueSource = (workspaceId: string, appId: string, limit: number) => Promise<IssueRow[]>;

export function storeIssueSource(db: Kysely<Database>): IssueSource {
  return async (workspaceId, appId, limit) => {
    const rows = await db
      .selectFrom('issue')
      .select(['id', 'status', 'started_at', 'ended_at', 'state'])
      .where('workspace_id', '=', workspaceId)
      .where('app_id', '=', appId)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const state = JSON.parse(r.state) as { data?: Record<string, unknown> };
      return {
        id: r.id,
        status: r.status,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        data: state.data ?? {},
      };
    });
  };
}
