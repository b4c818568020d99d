/**
 * The state of one issue: plain JSON, small, rebuilt exactly by folding its history events
 * with `evolve`. `decide` never mutates a state it was given; it returns a new one.
 *
 * Numbers are per-issue counters, so two runs of the same commands give byte-identical JSON:
 * `seq` numbers every wait (task, job, timer, message subscription) and incident; `next`
 * numbers tokens and scope instances.
 */
export type DataValues = Record<string, unknown>;

export interface Token {
  readonly id: number;
  /** The node the token is at. */
  readonly node: string;
  /** The flow it arrived by (joins count arrivals per incoming flow). */
  readonly via?: string;
  /** The scope instance (sub-process run) it belongs to; absent at process level. */
  readonly scope?: number;
  /** Set while the token is stuck in an incident (the incident's seq). */
  readonly incident?: number;
  /** Multi-instance bookkeeping while the token waits at a multi-instance sub-process. */
  readonly mi?: MultiInstanceProgress;
}

export interface MultiInstanceProgress {
  readonly total: number;
  /** Instances started so far. */
  readonly started: number;
  readonly completed: number;
  /** For a sequential run over a list: the elements, so later instances see the list as it was at the start. */
  readonly items?: readonly unknown[];
}

export interface ScopeInstance {
  readonly id: number;
  /** The sub-process node. */
  readonly node: string;
  /** The token waiting at the sub-process in the enclosing scope. */
  readonly token: number;
  /** Local variables (`loopCounter`, `item`) of one multi-instance run. */
  readonly vars?: Readonly<Record<string, unknown>>;
}

export type WaitKind = 'task' | 'job' | 'timer' | 'message';

export interface Wait {
  readonly seq: number;
  readonly kind: WaitKind;
  readonly token: number;
  /** The node the wait belongs to: the step, a boundary event, or an event-gateway target. */
  readonly node: string;
  readonly dueAt?: string;
  /** A repeating (cycle) timer: how many times it has fired before this arming. */
  readonly round?: number;
  readonly key?: string;
  /** Team step (completion = all): operators who have already completed their task. */
  readonly done?: readonly string[];
}

export interface Incident {
  readonly seq: number;
  readonly token: number;
  readonly node: string;
  readonly code: string;
  readonly message: string;
  /** false: the failure was reported as permanent; RetryIncident is refused. */
  readonly retryable?: false;
}

export type IssueStatus = 'active' | 'completed' | 'terminated' | 'cancelled';

export interface IssueState {
  readonly v: 1;
  readonly issueId: string;
  readonly status: IssueStatus;
  readonly mode: 'normal' | 'test';
  readonly startedAt: string;
  readonly endedAt?: string;
  /** The last seq handed out. */
  readonly seq: number;
  /** The last token / scope id handed out. */
  readonly next: number;
  readonly data: Readonly<DataValues>;
  readonly tokens: Readonly<Record<string, Token>>;
  readonly scopes: Readonly<Record<string, ScopeInstance>>;
  readonly waits: Readonly<Record<string, Wait>>;
  readonly incidents: Readonly<Record<string, Incident>>;
  /** The passed route: each flow taken and how many times. */
  readonly route: Readonly<Record<string, number>>;
  /** Who started the issue (`StartIssue.by`), when known: swimlane rules relative to the starter. */
  readonly starter?: string;
  /**
   * Completed human tasks as [step, operator], oldest first (absent until one is done): swimlane
   * rules relative to another lane's latest operator, exclusions and one-user allocation read it.
   */
  readonly doneBy?: readonly (readonly [step: string, operator: string])[];
}
