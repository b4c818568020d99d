/**
 * One line of the process log: who did what to which Issue, at which Step, and when. Derived
 * from the append-only history (one row per command, its events as JSON) and, for allocation,
 * from the task rows and the append-only allocation moves (`task_event`); never written on its own, so it cannot disagree with the history.
 */
export type ProcessLogKind =
  | 'issue-started'
  /** A token arrived at a Step (also a boundary event, a link catch, a sub-process's start). */
  | 'arrived'
  | 'task-opened'
  /** From the task row: to whom the Task was offered or allocated when it opened. */
  | 'task-allocated'
  /** Allocation moves, from `task_event` (append-only): a candidate took it, its holder gave it back, a manager gave it to someone. */
  | 'task-accepted'
  | 'task-declined'
  | 'task-reassigned'
  | 'task-completed'
  | 'data-edited'
  | 'job-scheduled'
  | 'job-succeeded'
  | 'job-failed'
  | 'timer-fired'
  | 'message-received'
  | 'incident-raised'
  | 'incident-resolved'
  | 'issue-ended';

/** One data item changed by an edit: its value before and after (null: had none). */
export interface DataChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ProcessLogEntry {
  /** When it happened (the command's commit time; IssueStarted/IssueEnded carry their own). */
  readonly at: string;
  readonly issueId: string;
  readonly appId: string;
  /** The event's ordinal in the Issue's history (1, 2, ...); ties in `at` sort by it. */
  readonly ordinal: number;
  readonly kind: ProcessLogKind;
  /** The Step (BPMN node id), when there is one. */
  readonly step?: string;
  /** The user who acted; absent when the system did (auto-steps, timers) or it is not recorded. */
  readonly actor?: string;
  /** Button pressed, end status and reason, error, candidates. */
  readonly detail?: string;
  /** data-edited: the items whose value changed, with before and after. */
  readonly changes?: readonly DataChange[];
}
