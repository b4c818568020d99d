/**
 * Effects: what the runtime must do after it has committed the new state and events. Each
 * names the per-issue `seq` the result must come back with; a result for another seq is
 * refused by `decide`. A wait ends either with its result command or with a cancel effect.
 */
import type { AutomationSpec, ButtonSpec, StepDeadline } from './compiled-app.js';

export interface TeamSettings {
  readonly completion: 'all' | 'any';
}

export type Effect =
  | {
      readonly type: 'OpenTask';
      readonly seq: number;
      readonly node: string;
      readonly name?: string;
      readonly lane?: string;
      readonly allocation?: string;
      readonly team?: TeamSettings;
      /** The step's deadline, computed from `nagare:deadline`. */
      readonly dueAt?: string;
      readonly deadline?: StepDeadline;
      readonly buttons?: readonly ButtonSpec[];
    }
  | {
      readonly type: 'CloseTask';
      readonly seq: number;
      readonly node: string;
      readonly reason: 'completed' | 'cancelled' | 'interrupted';
    }
  | {
      readonly type: 'ScheduleJob';
      readonly seq: number;
      readonly node: string;
      readonly automation: AutomationSpec;
      /** issueId + ':' + seq: every outgoing call carries it, so a retried side effect is not done twice. */
      readonly idempotencyKey: string;
    }
  | { readonly type: 'CancelJob'; readonly seq: number; readonly node: string }
  | { readonly type: 'ScheduleTimer'; readonly seq: number; readonly node: string; readonly dueAt: string }
  | { readonly type: 'CancelTimer'; readonly seq: number; readonly node: string }
  | { readonly type: 'SubscribeMessage'; readonly seq: number; readonly node: string; readonly key?: string }
  | { readonly type: 'UnsubscribeMessage'; readonly seq: number; readonly node: string }
  | { readonly type: 'EndIssue'; readonly status: 'completed' | 'terminated' | 'cancelled' }
  | {
      readonly type: 'IncidentRaised';
      /** false: a RetryIncident is refused (NOT_RETRYABLE); absent: retryable. */
      readonly retryable?: false;
      readonly seq: number;
      readonly node: string;
      readonly code: string;
      readonly message: string;
    };

export type EffectType = Effect['type'];
