/**
 * The tables as the application sees them today (after the latest migration). Migrations do
 * not import this: each one declares the shape it works with, so old migrations never change
 * meaning when the schema moves on.
 *
 * Timestamps are ISO-8601 UTC text on both dialects: one value shape everywhere, no driver
 * date conversion, and they sort correctly as strings. JSON columns are text.
 */
import type { Generated } from 'kysely';
import type { AddonStartTables } from './schema/addon-starts.js';
import type { AddonTables } from './schema/addons.js';
import type { AuthorizationTables } from './schema/authorization.js';
import type { DataTables } from './schema/data.js';
import type { IdentityTables } from './schema/identity.js';
import type { TaskDraftTables } from './schema/task-drafts.js';
import type { WebhookTables } from './schema/webhooks.js';

export interface InstallationTable {
  /** Random UUID made by migration 0001: identifies this installation. */
  id: string;
  created_at: string;
}

export interface WorkspaceTable {
  id: string;
  name: string;
  time_zone: string;
  created_at: string;
}

export interface AppTable {
  id: string;
  workspace_id: string;
  name: string;
  released_version_id: string | null;
  created_at: string;
}

export interface AppVersionTable {
  id: string;
  workspace_id: string;
  app_id: string;
  version: number;
  status: 'draft' | 'released' | 'retired';
  /** What the release changed (migration 0008). */
  note: string | null;
  process_id: string;
  bpmn: string;
  created_at: string;
  released_at: string | null;
}

export interface IssueTable {
  id: string;
  workspace_id: string;
  app_id: string;
  app_version_id: string;
  status: string;
  mode: string;
  state: string;
  version: number;
  events: number;
  started_at: string;
  ended_at: string | null;
  updated_at: string;
}

/** One command's history events (migration 0003): `ordinal` = its first event's, `events` = JSON array. */
export interface HistoryTable {
  issue_id: string;
  ordinal: number;
  count: number;
  workspace_id: string;
  events: string;
  at: string;
}

export interface TaskTable {
  id: string;
  workspace_id: string;
  issue_id: string;
  seq: number;
  app_id: string;
  node: string;
  name: string | null;
  lane: string | null;
  status: 'offered' | 'allocated' | 'done' | 'cancelled';
  assignee: string | null;
  candidates: string | null;
  team: string | null;
  buttons: string | null;
  due_at: string | null;
  deadline: string | null;
  created_at: string;
  ended_at: string | null;
  completed_by: string | null;
}

export interface JobTable {
  issue_id: string;
  seq: number;
  workspace_id: string;
  kind: 'job' | 'timer';
  node: string;
  payload: string | null;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  idempotency_key: string;
  created_at: string;
}

export interface IncidentTable {
  issue_id: string;
  seq: number;
  workspace_id: string;
  app_id: string;
  node: string;
  code: string;
  message: string;
  status: 'open' | 'resolved';
  created_at: string;
  resolved_at: string | null;
}

export interface MessageSubscriptionTable {
  issue_id: string;
  seq: number;
  workspace_id: string;
  app_id: string;
  node: string;
  key: string | null;
  created_at: string;
}

export interface TimerStartTable {
  app_id: string;
  node: string;
  workspace_id: string;
  app_version_id: string;
  spec: string;
  time_zone: string;
  armed_at: string;
  next_at: string | null;
  last_fired_at: string | null;
  fired: Generated<number>;
  locked_by: string | null;
  locked_until: string | null;
  /** Why the last round of the start event's add-on failed; null after one that succeeded (0012). */
  last_error: Generated<string | null>;
}

/** One candidate of an offered task (migration 0008). */
export interface TaskCandidateTable {
  task_id: string;
  user_id: string;
  workspace_id: string;
}

/** A user's star and read marks on a task (migration 0008). */
export interface TaskFlagTable {
  task_id: string;
  user_id: string;
  workspace_id: string;
  starred: number;
  read: number;
  updated_at: string;
}

/** One allocation move of a task: accepted, declined, reassigned (migration 0010, append-only). */
export interface TaskEventTable {
  id: string;
  workspace_id: string;
  issue_id: string;
  task_id: string;
  node: string;
  kind: 'accepted' | 'declined' | 'reassigned';
  /** Who made the move (absent when not known, e.g. a reassignment through an internal call). */
  by: string | null;
  /** Who held the task before the move (none while it was offered). */
  previous: string | null;
  /** Who holds the task after it (none after a decline). */
  assignee: string | null;
  at: string;
}

export interface Database
  extends AddonStartTables,
    AddonTables,
    AuthorizationTables,
    DataTables,
    IdentityTables,
    TaskDraftTables,
    WebhookTables {
  installation: InstallationTable;
  workspace: WorkspaceTable;
  app: AppTable;
  app_version: AppVersionTable;
  issue: IssueTable;
  history: HistoryTable;
  task: TaskTable;
  task_candidate: TaskCandidateTable;
  task_flag: TaskFlagTable;
  task_event: TaskEventTable;
  job: JobTable;
  incident: IncidentTable;
  message_subscription: MessageSubscriptionTable;
  timer_start: TimerStartTable;
}
