import type { HistoryEvent, IssueState } from '@nagare/engine';
import type { IssueTable } from '../../../store/schema.js';
import type { AppModel } from './app-model.js';

/** The summary of an issue row as lists and views show it. */
export function issueSummary(
  row: Pick<IssueTable, 'id' | 'app_id' | 'status' | 'mode' | 'started_at' | 'ended_at' | 'state'>,
  extra: { appName: string; version: number; startedBy: string | null },
) {
  let title: string | null = null;
  try {
    const data = (JSON.parse(row.state) as IssueState).data;
    if (typeof data.title === 'string') title = data.title;
  } catch {
    title = null;
  }
  return {
    id: row.id,
    appId: row.app_id,
    appName: extra.appName,
    version: extra.version,
    status: row.status,
    mode: row.mode,
    title,
    startedBy: extra.startedBy,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

/** Where the issue waits now: its tasks, jobs, timers and message subscriptions. */
export function currentSteps(state: IssueState, model: AppModel) {
  return Object.values(state.waits).map((w) => ({
    node: w.node,
    name: model.app.nodes[w.node]?.name ?? null,
    kind: w.kind,
    dueAt: w.dueAt ?? null,
  }));
}

/**
 * The process log without values: what happened, when, where and by whom. Data values are
 * left out (they may belong to items the viewer may not see); the data view shows those.
 */
export function logEntries(history: readonly HistoryEvent[]) {
  let at: string | null = null;
  return history.map((event) => {
    const e = event as { type: string; at?: string; node?: string; by?: string; operator?: string };
    if (typeof e.at === 'string') at = e.at;
    return {
      type: e.type,
      at: typeof e.at === 'string' ? e.at : at,
      node: typeof e.node === 'string' ? e.node : null,
      by: typeof e.by === 'string' ? e.by : typeof e.operator === 'string' ? e.operator : null,
    };
  });
}
