/**
 * What one command batch writes: the rows that `decide`'s state, events and effects map to.
 * Built in memory while deciding, then applied by the dialect's batch writer
 * (store/sqlite/sqlite-batch.ts, store/postgres/postgres-batch.ts) in this order: inserts
 * first, then updates and deletes. Keys are never reused (a seq is handed out once per
 * issue), so a row inserted and then closed within one batch ends up closed.
 */
import type { IssueState } from '@nagare/engine';
import type { AddonStartItemTable } from '../store/schema/addon-starts.js';
import type { IssueTable } from '../store/schema.js';

/** A new issue row: every column of the issue table. */
export type IssueInsert = IssueTable;

/** `where id = ? and version = expect_version`: the optimistic check. */
export interface IssueUpdate {
  id: string;
  expect_version: number;
  version: number;
  status: string;
  state: string;
  events: number;
  ended_at: string | null;
  updated_at: string;
}

/** One command's history events as one row: `ordinal` = its first event's, `events` = their JSON array. */
export interface HistoryInsert {
  issue_id: string;
  ordinal: number;
  count: number;
  workspace_id: string;
  events: string;
  at: string;
}

export interface TaskInsert {
  id: string;
  workspace_id: string;
  issue_id: string;
  seq: number;
  app_id: string;
  node: string;
  name: string | null;
  lane: string | null;
  status: 'offered' | 'allocated';
  assignee: string | null;
  candidates: string | null;
  team: string | null;
  buttons: string | null;
  due_at: string | null;
  deadline: string | null;
  created_at: string;
}

export interface CandidateInsert {
  task_id: string;
  user_id: string;
  workspace_id: string;
}

export interface JobInsert {
  issue_id: string;
  seq: number;
  workspace_id: string;
  kind: 'job' | 'timer';
  node: string;
  payload: string | null;
  run_at: string;
  /** 1 with a lease when dispatched eagerly to a local worker (eager-jobs.ts), else 0 and none. */
  attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  max_attempts: number;
  idempotency_key: string;
  created_at: string;
}

export interface IncidentInsert {
  issue_id: string;
  seq: number;
  workspace_id: string;
  app_id: string;
  node: string;
  code: string;
  message: string;
  created_at: string;
}

export interface SubscriptionInsert {
  issue_id: string;
  seq: number;
  workspace_id: string;
  app_id: string;
  node: string;
  key: string | null;
  created_at: string;
}

export interface SeqKey {
  issue_id: string;
  seq: number;
}

/** A job result may be committed only by the worker holding the lease it claimed with. */
export interface JobFence extends SeqKey {
  locked_by: string;
  attempts: number;
}

export interface TimerStartAdvance {
  app_id: string;
  node: string;
  locked_by: string;
  last_fired_at: string | null;
  next_at: string | null;
  fired: number;
}

/** An item a polling start-event add-on started an issue for: every column of addon_start_item. */
export type AddonStartItemInsert = AddonStartItemTable;

export class WriteSet {
  readonly issueInserts = new Map<string, IssueInsert>();
  readonly issueUpdates = new Map<string, IssueUpdate>();
  readonly history: HistoryInsert[] = [];
  readonly taskInserts: TaskInsert[] = [];
  /** The candidates of offered tasks (task_candidate rows). */
  readonly candidateInserts: CandidateInsert[] = [];
  /** The completed task (must be open). */
  readonly taskCompletions: { id: string; operator: string; at: string }[] = [];
  /** CloseTask: every still-open task of the seq. */
  readonly taskCloses: (SeqKey & { status: 'done' | 'cancelled'; at: string })[] = [];
  readonly jobInserts: JobInsert[] = [];
  readonly jobDeletes: SeqKey[] = [];
  readonly jobFences: JobFence[] = [];
  readonly incidentInserts: IncidentInsert[] = [];
  readonly incidentResolves: (SeqKey & { at: string })[] = [];
  readonly subscriptionInserts: SubscriptionInsert[] = [];
  readonly subscriptionDeletes: SeqKey[] = [];
  readonly timerStartAdvances: TimerStartAdvance[] = [];
  /** Inserted with their issues: a duplicate (the id started an issue already) fails the write. */
  readonly addonStartItems: AddonStartItemInsert[] = [];
  /** Tasks whose candidates could not be resolved yet: what to load before running again. */
  readonly needs: { versionId: string; workspaceId: string }[] = [];
  /** A job that is due now was inserted unleased: wake idle workers after the commit. */
  wake = false;

  get commands(): number {
    return this.issueInserts.size + this.issueUpdates.size;
  }

  /** The issue row after a command: an insert for a new issue, else a version-checked update (merged per issue). */
  putIssue(
    row: Omit<IssueInsert, 'status' | 'mode' | 'state' | 'ended_at' | 'updated_at' | 'started_at'>,
    state: IssueState,
    stateJson: string,
    expectVersion: number | null,
    now: string,
  ): void {
    const inserted = this.issueInserts.get(row.id);
    if (inserted) {
      inserted.state = stateJson;
      inserted.status = state.status;
      inserted.version = row.version;
      inserted.events = row.events;
      inserted.ended_at = state.endedAt ?? null;
      inserted.updated_at = now;
      return;
    }
    if (expectVersion === null) {
      // A literal, not `{ ...row, status, ... }`: on Node 20 each property written after a
      // spread costs microseconds (measured 12 µs per row; docs/performance.md).
      this.issueInserts.set(row.id, {
        id: row.id,
        workspace_id: row.workspace_id,
        app_id: row.app_id,
        app_version_id: row.app_version_id,
        version: row.version,
        events: row.events,
        status: state.status,
        mode: state.mode,
        state: stateJson,
        started_at: state.startedAt,
        ended_at: state.endedAt ?? null,
        updated_at: now,
      });
      return;
    }
    const previous = this.issueUpdates.get(row.id);
    this.issueUpdates.set(row.id, {
      id: row.id,
      expect_version: previous ? previous.expect_version : expectVersion,
      version: row.version,
      status: state.status,
      state: stateJson,
      events: row.events,
      ended_at: state.endedAt ?? null,
      updated_at: now,
    });
  }
}
