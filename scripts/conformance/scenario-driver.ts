/**
 * A pure scenario driver: runs one issue of a compiled App to its end by answering the effects
 * `decide` returns, the way the runtime would, with every outside service stubbed.
 *
 * - `OpenTask` → `CompleteTask` (the scenario's data; its button, else the first button, else
 *   no button so the step's conditions choose the flow),
 * - `ScheduleJob` → `JobSucceeded` with the scenario's data (or `JobFailed` when it says so),
 * - `SubscribeMessage` → `MessageReceived` (with the subscription's key),
 * - `ScheduleTimer` → `TimerFired` in due order on a simulated clock that jumps to the due time.
 *
 * Work that is ready now (tasks, jobs, messages at steps) is done before the clock moves; a
 * timer fires only when nothing else is left to do, and a message boundary event only when
 * the scenario asks for it. No I/O: the tests and the conformance report share it.
 */
import {
  type Command,
  type CompiledApp,
  type DecideResult,
  decide,
  type Effect,
  type HistoryEvent,
  type IssueState,
  replay,
} from '../../packages/engine/src/index.js';

/** How to answer the steps of one node; a list answers its visits in turn (the last repeats). */
export interface Answer {
  readonly data?: Record<string, unknown>;
  /** A human step: the flow id of the button (or chosen flow) to press. */
  readonly button?: string;
  /** A job: fail instead of succeeding. */
  readonly fail?: { readonly code?: string; readonly message: string; readonly retryable?: boolean };
}

export interface Scenario {
  /** The start event, when the process has several. */
  readonly startEvent?: string;
  readonly data?: Record<string, unknown>;
  /** Answers per node id (tasks, jobs, message catches). */
  readonly answers?: Readonly<Record<string, Answer | readonly Answer[]>>;
  /** Message boundary events to trigger (by node id) before the step they sit on is done. */
  readonly messageBoundaries?: readonly string[];
  /** Timers (by node id) to fire before the work that is ready now (e.g. a timeout path). */
  readonly timersFirst?: readonly string[];
  /** More commands than this and the run counts as stuck (default 200). */
  readonly maxCommands?: number;
}

export interface ScenarioRun {
  /** How the issue ended, or `stuck` (waits left that the driver will not answer, or an incident) / `rejected`. */
  readonly outcome: 'completed' | 'terminated' | 'cancelled' | 'stuck' | 'rejected';
  /** Every node a token arrived at, in order (FIFO within one decide; repeats for loops). */
  readonly visited: readonly string[];
  /** The incidents raised, as `CODE node`. */
  readonly incidents: readonly string[];
  readonly commands: number;
  readonly state: IssueState | null;
  readonly events: readonly HistoryEvent[];
  /** Why the run stopped early (a rejection, an unanswered wait, effects that disagree with the state). */
  readonly problem?: string;
}

export const DRIVER_T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

type Open = Extract<Effect, { type: 'OpenTask' | 'ScheduleJob' | 'ScheduleTimer' | 'SubscribeMessage' }>;

/** The nodes tokens arrived at, in the order the events record. */
export function visitedNodes(events: readonly HistoryEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'IssueStarted':
      case 'FlowTaken':
      case 'LinkFollowed':
        out.push(e.node);
        break;
      case 'TokenForked':
        for (const b of e.branches) out.push(b.node);
        break;
      case 'ScopeStarted':
        out.push(e.start, ...(e.alsoStart ?? []).map((a) => a.node));
        break;
      case 'BoundaryTriggered':
        out.push(e.boundary);
        break;
      default:
        break;
    }
  }
  return out;
}

export function runScenario(app: CompiledApp, scenario: Scenario = {}): ScenarioRun {
  let state: IssueState | null = null;
  let now = DRIVER_T0;
  const events: HistoryEvent[] = [];
  const incidents: string[] = [];
  const open = new Map<number, Open>();
  const visits = new Map<string, number>();
  const max = scenario.maxCommands ?? 200;
  let commands = 0;

  const finish = (outcome: ScenarioRun['outcome'], problem?: string): ScenarioRun => ({
    outcome,
    visited: visitedNodes(events),
    incidents,
    commands,
    state,
    events,
    ...(problem !== undefined ? { problem } : {}),
  });

  const apply = (command: Command): DecideResult => {
    commands++;
    const r = decide(app, state, command, { now });
    if (r.rejection) return r;
    state = r.state;
    events.push(...r.events);
    for (const e of r.effects) {
      switch (e.type) {
        case 'OpenTask':
        case 'ScheduleJob':
        case 'ScheduleTimer':
        case 'SubscribeMessage':
          open.set(e.seq, e);
          break;
        case 'CloseTask':
        case 'CancelJob':
        case 'CancelTimer':
        case 'UnsubscribeMessage':
          open.delete(e.seq);
          break;
        case 'IncidentRaised':
          incidents.push(`${e.code} ${e.node}`);
          break;
        case 'EndIssue':
          break;
      }
    }
    return r;
  };

  const answerFor = (node: string): Answer => {
    const a = scenario.answers?.[node];
    const n = visits.get(node) ?? 0;
    visits.set(node, n + 1);
    if (a === undefined) return {};
    if (Array.isArray(a)) return (a as readonly Answer[])[Math.min(n, a.length - 1)] ?? {};
    return a as Answer;
  };

  const first = apply({
    type: 'StartIssue',
    issueId: 'scenario',
    ...(scenario.startEvent !== undefined ? { startEvent: scenario.startEvent } : {}),
    ...(scenario.data !== undefined ? { data: scenario.data } : {}),
  });
  if (first.rejection) return finish('rejected', `${first.rejection.code}: ${first.rejection.message}`);

  for (;;) {
    const s = state as IssueState | null;
    if (!s) return finish('rejected', 'no state');
    // What the effects announced must be exactly what the state waits for.
    const waits = Object.keys(s.waits)
      .map(Number)
      .sort((a, b) => a - b);
    const announced = [...open.keys()].sort((a, b) => a - b);
    if (waits.join() !== announced.join())
      return finish(
        'stuck',
        `effects announce waits ${announced.join(',')} but the state has ${waits.join(',')}`,
      );
    if (s.status !== 'active') return finish(s.status);
    if (commands >= max) return finish('stuck', `more than ${max} commands`);
    const next = pick(app, [...open.values()], scenario);
    if (!next) {
      const why = Object.keys(s.incidents).length > 0 ? 'an incident stops it' : 'nothing left to answer';
      return finish('stuck', why);
    }
    let command: Command;
    switch (next.type) {
      case 'OpenTask': {
        const a = answerFor(next.node);
        const button = a.button ?? next.buttons?.[0]?.flow;
        command = {
          type: 'CompleteTask',
          seq: next.seq,
          operator: 'driver',
          ...(a.data ? { data: a.data } : {}),
          ...(button !== undefined ? { button } : {}),
        };
        break;
      }
      case 'ScheduleJob': {
        const a = answerFor(next.node);
        command = a.fail
          ? {
              type: 'JobFailed',
              seq: next.seq,
              error: { message: a.fail.message, ...(a.fail.code ? { code: a.fail.code } : {}) },
              ...(a.fail.retryable !== undefined ? { retryable: a.fail.retryable } : {}),
            }
          : { type: 'JobSucceeded', seq: next.seq, ...(a.data ? { data: a.data } : {}) };
        open.delete(next.seq);
        break;
      }
      case 'ScheduleTimer':
        now = Math.max(now, Date.parse(next.dueAt));
        command = { type: 'TimerFired', seq: next.seq };
        open.delete(next.seq);
        break;
      case 'SubscribeMessage': {
        const a = answerFor(next.node);
        command = {
          type: 'MessageReceived',
          node: next.node,
          ...(next.key !== undefined ? { key: next.key } : {}),
          ...(a.data ? { data: a.data } : {}),
        };
        open.delete(next.seq);
        break;
      }
    }
    const r = apply(command);
    if (r.rejection)
      return finish(
        'rejected',
        `${command.type} at ${next.node}: ${r.rejection.code} ${r.rejection.message}`,
      );
    if (next.type === 'OpenTask') open.delete(next.seq);
  }
  // replay must rebuild what decide returned (checked by the tests through `events`)
}

/** The next effect to answer: ready work first (in seq order), then the earliest timer. */
function pick(app: CompiledApp, open: readonly Open[], scenario: Scenario): Open | undefined {
  const bySeq = [...open].sort((a, b) => a.seq - b.seq);
  const boundary = (e: Open): boolean => app.nodes[e.node]?.kind === 'boundary';
  const early = bySeq.find((e) => e.type === 'ScheduleTimer' && scenario.timersFirst?.includes(e.node));
  if (early) return early;
  const msgBoundary = bySeq.find(
    (e) => e.type === 'SubscribeMessage' && boundary(e) && scenario.messageBoundaries?.includes(e.node),
  );
  if (msgBoundary) return msgBoundary;
  const ready = bySeq.find(
    (e) =>
      e.type === 'OpenTask' || e.type === 'ScheduleJob' || (e.type === 'SubscribeMessage' && !boundary(e)),
  );
  if (ready) return ready;
  const timers = bySeq.filter(
    (e): e is Extract<Open, { type: 'ScheduleTimer' }> => e.type === 'ScheduleTimer',
  );
  timers.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.seq - b.seq);
  return timers[0];
}

/** True when folding the run's events rebuilds its final state. */
export function replays(run: ScenarioRun): boolean {
  return JSON.stringify(replay(run.events)) === JSON.stringify(run.state);
}
