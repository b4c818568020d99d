import type { HistoryEvent } from '@nagare/engine';
import type { DataChange, ProcessLogEntry, ProcessLogKind } from './process-log-entry.js';

/** One stored history row: a command's events, numbered from `ordinal`, committed `at`. */
export interface HistoryRow {
  readonly ordinal: number;
  readonly at: string;
  readonly events: readonly HistoryEvent[];
}

/** A task row's allocation as the runtime keeps it (current, not historical). */
export interface TaskAllocation {
  readonly seq: number;
  readonly node: string;
  readonly assignee: string | null;
  readonly candidates: readonly string[] | null;
  readonly createdAt: string;
}

/**
 * The log lines of one Issue, from its whole history in ordinal order. The whole history is
 * needed even for a date window: before-values of a data edit are the values the earlier events
 * left, and the Step of a completed task or job is named by the earlier event that opened it.
 */
export function deriveEntries(
  issue: { readonly id: string; readonly appId: string },
  rows: readonly HistoryRow[],
  tasks: readonly TaskAllocation[] = [],
): ProcessLogEntry[] {
  const out: ProcessLogEntry[] = [];
  const data: Record<string, unknown> = {};
  const waitNode = new Map<number, string>();
  const allocation = new Map(tasks.map((t) => [t.seq, t]));

  for (const row of rows) {
    row.events.forEach((event, i) => {
      const ordinal = row.ordinal + i;
      const push = (
        kind: ProcessLogKind,
        extra: Omit<ProcessLogEntry, 'at' | 'issueId' | 'appId' | 'ordinal' | 'kind'> = {},
        at = row.at,
      ) => {
        out.push({ at, issueId: issue.id, appId: issue.appId, ordinal, kind, ...dropUndefined(extra) });
      };
      const edit = (
        values: Readonly<Record<string, unknown>> | undefined,
        step: string | undefined,
        actor: string | undefined,
        at = row.at,
      ) => {
        const changes = applyChanges(data, values);
        if (changes.length > 0) push('data-edited', { step, actor, changes }, at);
      };
      switch (event.type) {
        case 'IssueStarted':
          push('issue-started', { step: event.node, actor: event.by }, event.at);
          edit(event.data, event.node, event.by, event.at);
          return;
        case 'FlowTaken':
        case 'LinkFollowed':
          push('arrived', { step: event.node });
          return;
        case 'TokenForked':
          for (const branch of event.branches) push('arrived', { step: branch.node });
          return;
        case 'BoundaryTriggered':
          push('arrived', { step: event.boundary });
          return;
        case 'ScopeStarted':
          push('arrived', { step: event.start });
          return;
        case 'DataUpdated':
          edit(event.values, event.node, undefined);
          return;
        case 'TaskOpened': {
          waitNode.set(event.seq, event.node);
          push('task-opened', { step: event.node, detail: event.dueAt ? `due ${event.dueAt}` : undefined });
          const task = allocation.get(event.seq);
          if (task && (task.assignee || task.candidates?.length)) {
            const candidates = task.candidates?.length
              ? `candidates: ${task.candidates.join(', ')}`
              : undefined;
            push(
              'task-allocated',
              { step: task.node, actor: task.assignee ?? undefined, detail: candidates },
              task.createdAt,
            );
          }
          return;
        }
        case 'JobScheduled':
        case 'TimerScheduled':
        case 'MessageSubscribed':
          waitNode.set(event.seq, event.node);
          if (event.type === 'JobScheduled') push('job-scheduled', { step: event.node });
          return;
        case 'TaskCompleted':
        case 'TeamTaskCompleted': {
          const step = waitNode.get(event.seq);
          const button =
            event.type === 'TaskCompleted' && event.button ? `button ${event.button}` : undefined;
          push('task-completed', { step, actor: event.operator, detail: button });
          edit(event.data, step, event.operator);
          return;
        }
        case 'JobSucceeded': {
          const step = waitNode.get(event.seq);
          push('job-succeeded', { step });
          edit(event.data, step, undefined);
          return;
        }
        case 'JobFailed':
          push('job-failed', {
            step: waitNode.get(event.seq),
            detail: event.code ? `${event.code}: ${event.message}` : event.message,
          });
          return;
        case 'TimerFired':
          push('timer-fired', { step: waitNode.get(event.seq) });
          return;
        case 'MessageReceived': {
          const step = waitNode.get(event.seq);
          push('message-received', {
            step,
            actor: event.by,
            detail: event.client === undefined ? undefined : `client ${event.client}`,
          });
          edit(event.data, step, event.by);
          return;
        }
        case 'IncidentRaised':
          waitNode.set(event.seq, event.node);
          push('incident-raised', { step: event.node, detail: `${event.code}: ${event.message}` });
          return;
        case 'IncidentResolved': {
          const step = waitNode.get(event.seq);
          push('incident-resolved', { step, actor: event.by });
          edit(event.data, step, event.by);
          return;
        }
        case 'IssueEnded':
          push(
            'issue-ended',
            { actor: event.by, detail: event.reason ? `${event.status}: ${event.reason}` : event.status },
            event.at,
          );
          return;
        default:
          // JoinFired, TokenEnded, TokensRemoved, WaitCancelled, ScopeEnded, MultiInstanceStarted:
          // token bookkeeping, not something a person did or waits on.
          return;
      }
    });
  }
  return out;
}

/** Applies the written values, returning the ones that changed (JSON-equal values are no edit). */
function applyChanges(
  data: Record<string, unknown>,
  values: Readonly<Record<string, unknown>> | undefined,
): DataChange[] {
  const changes: DataChange[] = [];
  for (const field of Object.keys(values ?? {})) {
    const after = values![field] ?? null;
    const before = data[field] ?? null;
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ field, before, after });
    data[field] = after;
  }
  return changes;
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
