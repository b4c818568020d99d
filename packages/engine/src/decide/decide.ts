/**
 * decide(app, state, command, ctx) → { state, events, effects }: the pure core.
 *
 * - Synchronous, no I/O, no clock, no randomness: `ctx.now` is the time; ids are per-issue
 *   counters in the state. Same inputs → byte-identical outputs.
 * - Never throws for bad commands or model/runtime problems: a command that cannot apply is
 *   answered with a typed `rejection` and the state unchanged; a problem while running
 *   (an expression error, no flow to take, an uncaught error, a loop) becomes an incident.
 * - Results (task completed, job succeeded/failed, timer fired) name the `seq` of the effect
 *   they answer; an unknown or already-used seq is refused.
 */

import type {
  CancelIssue,
  Command,
  CompleteTask,
  JobFailed,
  JobSucceeded,
  MessageReceived,
  RetryIncident,
  StartIssue,
  TimerFired,
} from '../model/commands.js';
import type { CompiledApp, CompiledNode } from '../model/compiled-app.js';
import { valueProblem } from '../model/data-values.js';
import type { Effect } from '../model/effects.js';
import type { HistoryEvent } from '../model/events.js';
import type { DataValues, IssueState, Wait, WaitKind } from '../model/state.js';
import { parseInstant } from '../time/instant.js';
import { draftOf, emptyDraft } from './evolve.js';
import { DEFAULT_STEP_BUDGET, Run, retryActionOf } from './run.js';

export interface DecideContext {
  /** The current instant: epoch ms, or ISO-8601 text with an offset. */
  readonly now: number | string;
  /** The workspace time zone for timers and deadlines (default UTC). */
  readonly timeZone?: string;
  /** Node visits allowed in one call before a loop becomes an incident (default 10,000). */
  readonly stepBudget?: number;
}

export const RejectionCodes = {
  AlreadyStarted: 'ALREADY_STARTED',
  NotStarted: 'NOT_STARTED',
  NotActive: 'ISSUE_NOT_ACTIVE',
  UnknownStartEvent: 'UNKNOWN_START_EVENT',
  StartEventRequired: 'START_EVENT_REQUIRED',
  UnknownSeq: 'UNKNOWN_SEQ',
  StaleSeq: 'STALE_SEQ',
  WrongKind: 'WRONG_WAIT_KIND',
  ButtonRequired: 'BUTTON_REQUIRED',
  UnknownButton: 'UNKNOWN_BUTTON',
  AlreadyCompleted: 'ALREADY_COMPLETED',
  UnknownDataItem: 'UNKNOWN_DATA_ITEM',
  BadDataValue: 'BAD_DATA_VALUE',
  NotRetryable: 'NOT_RETRYABLE',
  NoSubscription: 'NO_SUBSCRIPTION',
  UnknownIncident: 'UNKNOWN_INCIDENT',
  BadContext: 'BAD_CONTEXT',
  Internal: 'INTERNAL_ERROR',
} as const;

export type RejectionCode = (typeof RejectionCodes)[keyof typeof RejectionCodes];

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
}

export interface DecideResult {
  /** The new state (the given one, unchanged, when rejected; null when a start was rejected). */
  readonly state: IssueState | null;
  readonly events: readonly HistoryEvent[];
  readonly effects: readonly Effect[];
  readonly rejection?: Rejection;
}

function reject(state: IssueState | null, code: RejectionCode, message: string): DecideResult {
  return { state, events: [], effects: [], rejection: { code, message } };
}

function toNow(now: number | string): number | undefined {
  if (typeof now === 'number') return Number.isFinite(now) ? now : undefined;
  const r = parseInstant(now);
  return r.ok ? r.value : undefined;
}

export function decide(
  app: CompiledApp,
  state: IssueState | null,
  command: Command,
  ctx: DecideContext,
): DecideResult {
  try {
    return decideUnsafe(app, state, command, ctx);
  } catch (e) {
    // A bug, not a model or command problem; still an answer, never a throw.
    return reject(state, RejectionCodes.Internal, e instanceof Error ? e.message : String(e));
  }
}

function decideUnsafe(
  app: CompiledApp,
  state: IssueState | null,
  command: Command,
  ctx: DecideContext,
): DecideResult {
  const now = toNow(ctx.now);
  if (now === undefined)
    return reject(state, RejectionCodes.BadContext, `ctx.now is not an instant: ${String(ctx.now)}`);
  const tz = ctx.timeZone ?? 'UTC';
  const budget = ctx.stepBudget ?? DEFAULT_STEP_BUDGET;
  if (command.type === 'StartIssue') {
    if (state)
      return reject(state, RejectionCodes.AlreadyStarted, `issue ${state.issueId} has already started`);
    return start(app, command, now, tz, budget);
  }
  if (!state)
    return reject(null, RejectionCodes.NotStarted, `${command.type} for an issue that has not started`);
  if (state.status !== 'active')
    return reject(state, RejectionCodes.NotActive, `issue ${state.issueId} is ${state.status}`);
  const run = new Run(app, draftOf(state), now, tz, budget);
  run.collectWaitingJoins();
  let rejection: DecideResult | undefined;
  switch (command.type) {
    case 'CompleteTask':
      rejection = completeTask(run, state, command);
      break;
    case 'JobSucceeded':
      rejection = jobSucceeded(run, state, command);
      break;
    case 'JobFailed':
      rejection = jobFailed(run, state, command);
      break;
    case 'TimerFired':
      rejection = timerFired(run, state, command);
      break;
    case 'MessageReceived':
      rejection = messageReceived(run, state, command);
      break;
    case 'CancelIssue':
      cancelIssue(run, command);
      break;
    case 'RetryIncident':
      rejection = retryIncident(run, state, command);
      break;
    default:
      return reject(
        state,
        RejectionCodes.Internal,
        `unknown command ${(command as { type?: unknown }).type}`,
      );
  }
  if (rejection) return rejection;
  run.drain();
  return { state: run.d, events: run.events, effects: run.effects };
}

// --- validation helpers ----------------------------------------------------------------------------

/** A rejection for incoming data: a field the App does not declare, or a value that does not fit its item's type. */
function badData(
  app: CompiledApp,
  state: IssueState | null,
  data: DataValues | undefined,
): DecideResult | undefined {
  if (!data) return undefined;
  let any = false;
  for (const _ in app.dataItems) {
    any = true;
    break;
  }
  if (!any) return undefined;
  for (const k in data) {
    const item = app.dataItems[k];
    if (!item) return reject(state, RejectionCodes.UnknownDataItem, `no data item "${k}"`);
    const problem = item.valueType ? valueProblem(item.valueType, data[k]) : undefined;
    if (problem) return reject(state, RejectionCodes.BadDataValue, `data item "${k}" ${problem}`);
  }
  return undefined;
}

/** Initial values of the items the start command does not give. */
function withInitialValues(app: CompiledApp, data: DataValues | undefined): DataValues {
  let out: Record<string, unknown> | undefined;
  for (const k in app.dataItems) {
    const item = app.dataItems[k]!;
    if (item.initialValue === undefined || (data && k in data)) continue;
    out ??= {};
    out[k] = item.initialValue;
  }
  if (!out) return data ?? {};
  return { ...out, ...data };
}

function waitFor(state: IssueState, seq: number, kind: WaitKind): Wait | DecideResult {
  const w = state.waits[seq];
  if (!w) {
    return seq > 0 && seq <= state.seq
      ? reject(state, RejectionCodes.StaleSeq, `seq ${seq} has already been answered or cancelled`)
      : reject(state, RejectionCodes.UnknownSeq, `seq ${seq} was never issued for issue ${state.issueId}`);
  }
  if (w.kind !== kind)
    return reject(state, RejectionCodes.WrongKind, `seq ${seq} is a ${w.kind}, not a ${kind}`);
  return w;
}

function isResult(x: Wait | DecideResult): x is DecideResult {
  return (x as DecideResult).events !== undefined;
}

// --- commands -------------------------------------------------------------------------------------

function start(app: CompiledApp, c: StartIssue, now: number, tz: string, budget: number): DecideResult {
  const node = c.startEvent ?? app.defaultStart;
  if (!node) {
    return reject(
      null,
      RejectionCodes.StartEventRequired,
      `the App has several start events; name one of ${app.startEvents.join(', ')}`,
    );
  }
  if (!app.startEvents.includes(node))
    return reject(null, RejectionCodes.UnknownStartEvent, `${node} is not a start event of the process`);
  const bad = badData(app, null, c.data);
  if (bad) return bad;
  const run = new Run(app, emptyDraft(), now, tz, budget);
  const started: HistoryEvent = {
    type: 'IssueStarted',
    issueId: c.issueId,
    node,
    token: 1,
    mode: c.mode ?? 'normal',
    data: withInitialValues(app, c.data),
    at: run.nowIso,
    ...(c.by !== undefined ? { by: c.by } : {}),
  };
  run.emit(started);
  run.enqueue(1);
  run.drain();
  return { state: run.d, events: run.events, effects: run.effects };
}

function completeTask(run: Run, state: IssueState, c: CompleteTask): DecideResult | undefined {
  const w = waitFor(state, c.seq, 'task');
  if (isResult(w)) return w;
  const node = run.app.nodes[w.node];
  if (node?.kind !== 'userTask')
    return reject(state, RejectionCodes.WrongKind, `seq ${c.seq} is not a human step`);
  if (w.done?.includes(c.operator)) {
    return reject(state, RejectionCodes.AlreadyCompleted, `${c.operator} has already completed seq ${c.seq}`);
  }
  if (node.buttons) {
    if (c.button === undefined) {
      return reject(
        state,
        RejectionCodes.ButtonRequired,
        `${node.id} is finished by a button: one of ${node.buttons.map((b) => b.flow).join(', ')}`,
      );
    }
    if (!node.buttons.some((b) => b.flow === c.button)) {
      return reject(state, RejectionCodes.UnknownButton, `${c.button} is not a button of ${node.id}`);
    }
  } else if (c.button !== undefined && !node.outgoing.includes(c.button)) {
    return reject(state, RejectionCodes.UnknownButton, `${c.button} is not an outgoing flow of ${node.id}`);
  }
  const bad = badData(run.app, state, c.data);
  if (bad) return bad;
  const lane = node.lane ? run.app.lanes[node.lane] : undefined;
  if (lane?.team && lane.completion === 'all' && (c.openTeamTasks ?? 0) > 0) {
    run.emit(
      c.data
        ? { type: 'TeamTaskCompleted', seq: c.seq, operator: c.operator, data: c.data }
        : { type: 'TeamTaskCompleted', seq: c.seq, operator: c.operator },
    );
    return undefined;
  }
  const ev: {
    -readonly [K in keyof Extract<HistoryEvent, { type: 'TaskCompleted' }>]: Extract<
      HistoryEvent,
      { type: 'TaskCompleted' }
    >[K];
  } = {
    type: 'TaskCompleted',
    seq: c.seq,
    operator: c.operator,
  };
  if (c.data) ev.data = c.data;
  if (c.button !== undefined) ev.button = c.button;
  run.emit(ev);
  run.effect({ type: 'CloseTask', seq: c.seq, node: node.id, reason: 'completed' });
  const t = run.d.tokens[w.token];
  if (t) run.complete(t, c.button !== undefined && node.outgoing.length > 1 ? c.button : undefined);
  return undefined;
}

function jobSucceeded(run: Run, state: IssueState, c: JobSucceeded): DecideResult | undefined {
  const w = waitFor(state, c.seq, 'job');
  if (isResult(w)) return w;
  const bad = badData(run.app, state, c.data);
  if (bad) return bad;
  run.emit(
    c.data ? { type: 'JobSucceeded', seq: c.seq, data: c.data } : { type: 'JobSucceeded', seq: c.seq },
  );
  const t = run.d.tokens[w.token];
  if (t) run.complete(t);
  return undefined;
}

function jobFailed(run: Run, state: IssueState, c: JobFailed): DecideResult | undefined {
  const w = waitFor(state, c.seq, 'job');
  if (isResult(w)) return w;
  const code = c.error.code;
  run.emit(
    code !== undefined
      ? { type: 'JobFailed', seq: c.seq, code, message: c.error.message }
      : { type: 'JobFailed', seq: c.seq, message: c.error.message },
  );
  const t = run.d.tokens[w.token];
  const node = run.app.nodes[w.node];
  if (!t || !node) return undefined;
  const b = run.errorBoundary(node, code);
  if (b) run.triggerBoundary(run.hostOf(t), b);
  else {
    const retry = c.retryable === false ? ' (not retryable)' : '';
    run.raiseIncident(
      t,
      'JOB_FAILED',
      `${node.id} failed${code ? ` with ${code}` : ''}${retry}: ${c.error.message}`,
      c.retryable === false ? false : undefined,
    );
  }
  return undefined;
}

/** A timer or message arrived for a wait: an event-gateway branch, a boundary event, or the node itself. */
function resume(run: Run, w: Wait): void {
  const t = run.d.tokens[w.token];
  if (!t) return;
  const target = run.app.nodes[w.node];
  if (!target) {
    run.raiseIncident(t, 'UNKNOWN_NODE', `${w.node} is not in this App version`);
    return;
  }
  if (target.kind === 'boundary') {
    run.triggerBoundary(t, target);
    run.rearmCycle(t, target, w);
    run.resubscribe(t, target);
    return;
  }
  const at = run.app.nodes[t.node];
  if (at?.kind === 'eventGateway') {
    run.cancelWaitsOf(t.id, 'completed');
    const flow = at.outgoing.find((f) => run.app.flows[f]?.target === target.id);
    if (!flow) {
      run.raiseIncident(t, 'UNKNOWN_NODE', `${target.id} does not follow ${at.id}`);
      return;
    }
    run.emit({ type: 'FlowTaken', token: t.id, flow, node: target.id });
    run.leave(run.d.tokens[t.id]!, target);
    return;
  }
  run.complete(t);
}

function timerFired(run: Run, state: IssueState, c: TimerFired): DecideResult | undefined {
  const w = waitFor(state, c.seq, 'timer');
  if (isResult(w)) return w;
  run.emit({ type: 'TimerFired', seq: c.seq });
  resume(run, w);
  return undefined;
}

function messageReceived(run: Run, state: IssueState, c: MessageReceived): DecideResult | undefined {
  let found: Wait | undefined;
  for (const k in state.waits) {
    const w = state.waits[k]!;
    if (w.kind === 'message' && w.node === c.node && (w.key === undefined || w.key === c.key)) {
      found = w;
      break;
    }
  }
  if (!found) {
    return reject(
      state,
      RejectionCodes.NoSubscription,
      `issue ${state.issueId} is not waiting for a message at ${c.node}${c.key !== undefined ? ` with key ${c.key}` : ''}`,
    );
  }
  const bad = badData(run.app, state, c.data);
  if (bad) return bad;
  run.emit({
    type: 'MessageReceived',
    seq: found.seq,
    ...(c.data ? { data: c.data } : {}),
    ...(c.by !== undefined ? { by: c.by } : {}),
    ...(c.client !== undefined ? { client: c.client } : {}),
  });
  resume(run, found);
  return undefined;
}

function cancelIssue(run: Run, c: CancelIssue): void {
  run.removeAll(undefined, 'cancelled');
  run.emit({
    type: 'IssueEnded',
    status: 'cancelled',
    at: run.nowIso,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.by !== undefined ? { by: c.by } : {}),
  });
  run.effect({ type: 'EndIssue', status: 'cancelled' });
}

function retryIncident(run: Run, state: IssueState, c: RetryIncident): DecideResult | undefined {
  const inc = state.incidents[c.incident];
  if (!inc)
    return reject(
      state,
      RejectionCodes.UnknownIncident,
      `issue ${state.issueId} has no open incident ${c.incident}`,
    );
  if (inc.retryable === false)
    return reject(
      state,
      RejectionCodes.NotRetryable,
      `incident ${c.incident} at ${inc.node} cannot be retried (${inc.code}: the failure was reported as not retryable); cancel the issue or move it on another way`,
    );
  const bad = badData(run.app, state, c.data);
  if (bad) return bad;
  run.emit({
    type: 'IncidentResolved',
    seq: inc.seq,
    ...(c.data ? { data: c.data } : {}),
    ...(c.by !== undefined ? { by: c.by } : {}),
  });
  const t = run.d.tokens[inc.token];
  const node: CompiledNode | undefined = t ? run.app.nodes[t.node] : undefined;
  if (!t || !node) return undefined;
  switch (retryActionOf(inc.code)) {
    case 'job':
      run.scheduleJob(t, node);
      break;
    case 'leave':
      run.leave(t, node);
      break;
    case 'multiInstance':
      run.afterInstance(t);
      break;
    case 'arrive':
      run.enqueue(t.id);
      break;
  }
  return undefined;
}
