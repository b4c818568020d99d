/**
 * History events: past-tense facts, appended per issue, never edited. Each is self-contained
 * (it names target nodes and carries data), so `evolve` needs no model and `replay` of an
 * issue's events rebuilds its state exactly.
 */
import type { DataValues, IssueStatus, MultiInstanceProgress } from './state.js';

export type HistoryEvent =
  | {
      readonly type: 'IssueStarted';
      readonly issueId: string;
      readonly node: string;
      readonly token: number;
      readonly mode: 'normal' | 'test';
      readonly data: DataValues;
      readonly at: string;
      readonly by?: string;
    }
  /** A token moved along a flow and arrived at `node`. */
  | { readonly type: 'FlowTaken'; readonly token: number; readonly flow: string; readonly node: string }
  /** A token split: it is consumed and each branch token moved along its flow. */
  | {
      readonly type: 'TokenForked';
      readonly token: number;
      readonly branches: readonly { readonly token: number; readonly flow: string; readonly node: string }[];
    }
  /** A join fired: `consumed` tokens are gone, `token` stays at the join and moves on. */
  | {
      readonly type: 'JoinFired';
      readonly node: string;
      readonly token: number;
      readonly consumed: readonly number[];
    }
  | { readonly type: 'TokenEnded'; readonly token: number; readonly node: string }
  | { readonly type: 'TokensRemoved'; readonly tokens: readonly number[]; readonly scopes: readonly number[] }
  | { readonly type: 'DataUpdated'; readonly node: string; readonly values: DataValues }
  | {
      readonly type: 'TaskOpened';
      readonly seq: number;
      readonly token: number;
      readonly node: string;
      readonly dueAt?: string;
    }
  | { readonly type: 'JobScheduled'; readonly seq: number; readonly token: number; readonly node: string }
  | {
      readonly type: 'TimerScheduled';
      readonly seq: number;
      readonly token: number;
      readonly node: string;
      readonly dueAt: string;
      /** A repeating (cycle) timer: how many times it has fired before this arming. */
      readonly round?: number;
    }
  | {
      readonly type: 'MessageSubscribed';
      readonly seq: number;
      readonly token: number;
      readonly node: string;
      readonly key?: string;
    }
  | {
      readonly type: 'TaskCompleted';
      readonly seq: number;
      readonly operator: string;
      readonly data?: DataValues;
      readonly button?: string;
    }
  /** One member of a team step (completion = all) finished; the step still waits for the others. */
  | {
      readonly type: 'TeamTaskCompleted';
      readonly seq: number;
      readonly operator: string;
      readonly data?: DataValues;
    }
  | { readonly type: 'JobSucceeded'; readonly seq: number; readonly data?: DataValues }
  | { readonly type: 'JobFailed'; readonly seq: number; readonly code?: string; readonly message: string }
  | { readonly type: 'TimerFired'; readonly seq: number }
  | {
      readonly type: 'MessageReceived';
      readonly seq: number;
      readonly data?: DataValues;
      /** Who delivered it (MessageReceived.by), and through which OAuth client. */
      readonly by?: string;
      readonly client?: string;
    }
  | { readonly type: 'WaitCancelled'; readonly seq: number; readonly reason: string }
  /** A boundary event triggered: interrupting moves `token` to it; non-interrupting creates `token` there. */
  | {
      readonly type: 'BoundaryTriggered';
      readonly boundary: string;
      readonly token: number;
      readonly interrupting: boolean;
      readonly scope?: number;
    }
  | {
      readonly type: 'ScopeStarted';
      readonly scope: number;
      readonly node: string;
      readonly token: number;
      readonly start: string;
      readonly startToken: number;
      /** A sub-process without a start event: the other steps that start with it (BPMN's implicit start). */
      readonly alsoStart?: readonly { readonly node: string; readonly token: number }[];
      readonly vars?: Readonly<Record<string, unknown>>;
    }
  | {
      /** A link throw event passed its token to the link catch event `node`. */
      readonly type: 'LinkFollowed';
      readonly token: number;
      readonly link: string;
      readonly node: string;
    }
  | { readonly type: 'ScopeEnded'; readonly scope: number }
  | {
      readonly type: 'MultiInstanceStarted';
      readonly token: number;
      readonly node: string;
      readonly mi: MultiInstanceProgress;
    }
  | {
      readonly type: 'IncidentRaised';
      /** false: a RetryIncident is refused (NOT_RETRYABLE); absent: retryable. */
      readonly retryable?: false;
      readonly seq: number;
      readonly token: number;
      readonly node: string;
      readonly code: string;
      readonly message: string;
    }
  | {
      readonly type: 'IncidentResolved';
      readonly seq: number;
      readonly data?: DataValues;
      /** Who retried it (RetryIncident.by); absent when the step was left another way. */
      readonly by?: string;
    }
  | {
      readonly type: 'IssueEnded';
      readonly status: Exclude<IssueStatus, 'active'>;
      readonly at: string;
      readonly reason?: string;
      /** Who cancelled it (CancelIssue.by), for the process log; absent when the process ended itself. */
      readonly by?: string;
    };

export type HistoryEventType = HistoryEvent['type'];
