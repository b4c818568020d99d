/** Commands: what a caller (the runtime, a user, a worker) asks of one issue. */
import type { DataValues } from './state.js';

export interface StartIssue {
  readonly type: 'StartIssue';
  readonly issueId: string;
  /** A process-level start event; default: the one plain start event. Timer and message starts name theirs. */
  readonly startEvent?: string;
  readonly data?: DataValues;
  readonly mode?: 'normal' | 'test';
  readonly by?: string;
}

export interface CompleteTask {
  readonly type: 'CompleteTask';
  readonly seq: number;
  readonly operator: string;
  readonly data?: DataValues;
  /** The pressed button: the id of the outgoing flow it is bound to. */
  readonly button?: string;
  /**
   * Team step only: how many of the step's team tasks are still open after this one, as the
   * runtime knows it. With completion `all` the step is done when this is 0.
   */
  readonly openTeamTasks?: number;
}

export interface JobSucceeded {
  readonly type: 'JobSucceeded';
  readonly seq: number;
  readonly data?: DataValues;
}

export interface JobFailed {
  readonly type: 'JobFailed';
  readonly seq: number;
  readonly error: { readonly code?: string; readonly message: string };
  /** false: do not offer a retry (still an incident unless an error boundary catches it). */
  readonly retryable?: boolean;
}

export interface TimerFired {
  readonly type: 'TimerFired';
  readonly seq: number;
}

export interface MessageReceived {
  readonly type: 'MessageReceived';
  /** The catching node (intermediate message event or receive task). */
  readonly node: string;
  readonly key?: string;
  readonly data?: DataValues;
  /** Who delivered it (a user, or an API client's user), for the process log; absent: a key alone. */
  readonly by?: string;
  /** The OAuth client it came through, when it came with a token. */
  readonly client?: string;
}

export interface CancelIssue {
  readonly type: 'CancelIssue';
  readonly reason?: string;
  readonly by?: string;
}

export interface RetryIncident {
  readonly type: 'RetryIncident';
  readonly incident: number;
  /** Data to fix before retrying (e.g. the value an expression choked on). */
  readonly data?: DataValues;
  /** Who retried it, for the process log. */
  readonly by?: string;
}

export type Command =
  | StartIssue
  | CompleteTask
  | JobSucceeded
  | JobFailed
  | TimerFired
  | MessageReceived
  | CancelIssue
  | RetryIncident;
