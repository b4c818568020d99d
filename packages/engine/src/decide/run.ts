/**
 * The straight-through run inside one `decide` call.
 *
 * Every change is an event: `emit` applies it to the draft with `applyEvent` (the same code
 * `replay` uses) and records it; effects are collected beside. Tokens that arrive at a node go
 * on a FIFO queue; executing a node either moves the token on (gateways, pass-through steps,
 * inline update-data) or leaves it waiting (task, job, timer, message, join, sub-process).
 * When the queue is empty, waiting inclusive joins are checked; the run ends when nothing
 * moves. A budget of node visits turns a loop without a wait state into an incident.
 */
import type {
  BoundaryNode,
  CompiledApp,
  CompiledNode,
  ExprEnv,
  UserTaskNode,
} from '../model/compiled-app.js';
import type { Effect } from '../model/effects.js';
import type { HistoryEvent } from '../model/events.js';
import type { Token, Wait } from '../model/state.js';
import { applyEvent, type Draft } from './evolve.js';
import { deadlineDue, nextCycleDue, timerDue } from './timers.js';

export const DEFAULT_STEP_BUDGET = 10_000;

/** Incident codes; the retry of each is documented in docs/engine.md. */
export const IncidentCodes = {
  JobFailed: 'JOB_FAILED',
  ConditionFailed: 'CONDITION_FAILED',
  NoFlow: 'NO_FLOW',
  ExpressionFailed: 'EXPRESSION_FAILED',
  TimerFailed: 'TIMER_FAILED',
  DeadlineFailed: 'DEADLINE_FAILED',
  MultiInstanceFailed: 'MULTI_INSTANCE_FAILED',
  CompletionConditionFailed: 'COMPLETION_CONDITION_FAILED',
  UncaughtError: 'UNCAUGHT_ERROR',
  LoopBudget: 'LOOP_BUDGET',
  UnknownNode: 'UNKNOWN_NODE',
} as const;

export type RetryAction = 'job' | 'leave' | 'arrive' | 'multiInstance';

export function retryActionOf(code: string): RetryAction {
  if (code === IncidentCodes.JobFailed) return 'job';
  if (code === IncidentCodes.ConditionFailed || code === IncidentCodes.NoFlow) return 'leave';
  if (code === IncidentCodes.CompletionConditionFailed) return 'multiInstance';
  return 'arrive';
}

type Selection =
  | { readonly ok: true; readonly flows: readonly string[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

export class Run {
  readonly events: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  readonly env: ExprEnv;
  private nowText: string | undefined;
  private readonly queue: number[] = [];
  private head = 0;
  private visits = 0;
  /** The last 64 nodes visited (a ring), to name a loop's elements when the budget runs out. */
  private readonly recent: string[] = [];
  private readonly pendingJoins = new Set<number>();

  constructor(
    readonly app: CompiledApp,
    readonly d: Draft,
    now: number,
    timeZone: string,
    private readonly budget: number,
  ) {
    this.env = { now, timeZone };
  }

  /** `now` as ISO-8601 UTC text (computed once, only when an event needs it). */
  get nowIso(): string {
    this.nowText ??= iso(this.env.now);
    return this.nowText;
  }

  emit(e: HistoryEvent): void {
    applyEvent(this.d, e);
    this.events.push(e);
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  enqueue(token: number): void {
    this.queue.push(token);
  }

  /** Data plus the local variables of the token's multi-instance scopes. */
  contextOf(t: Token): Readonly<Record<string, unknown>> {
    if (t.scope === undefined) return this.d.data;
    const chain: Readonly<Record<string, unknown>>[] = [];
    let s = this.d.scopes[t.scope];
    while (s) {
      if (s.vars) chain.push(s.vars);
      const parent = this.d.tokens[s.token];
      s = parent?.scope !== undefined ? this.d.scopes[parent.scope] : undefined;
    }
    if (chain.length === 0) return this.d.data;
    const ctx: Record<string, unknown> = { ...this.d.data };
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(ctx, chain[i]);
    return ctx;
  }

  /** True for a token that runs one instance of a multi-instance task (inside its scope). */
  isInstance(t: Token, node: CompiledNode): boolean {
    return t.scope !== undefined && node.kind !== 'subProcess' && this.d.scopes[t.scope]?.node === node.id;
  }

  /** The token that owns the step's boundary events: the outer token for a multi-instance task's instance. */
  hostOf(t: Token): Token {
    const node = this.app.nodes[t.node];
    if (!node?.mi || !this.isInstance(t, node)) return t;
    const scope = this.d.scopes[t.scope!];
    return (scope && this.d.tokens[scope.token]) ?? t;
  }

  // --- the loop ----------------------------------------------------------------------------------

  /** Runs until every token waits; then ends the issue if no token is left. */
  drain(): void {
    for (;;) {
      while (this.head < this.queue.length) {
        const id = this.queue[this.head++]!;
        const t = this.d.tokens[id];
        if (!t || t.incident !== undefined) continue;
        if (++this.visits > this.budget) {
          this.budgetExhausted(t);
          this.finish();
          return;
        }
        this.recent[this.visits & 63] = t.node;
        this.arrive(t);
      }
      if (!this.checkInclusiveJoins()) break;
    }
    this.finish();
  }

  private budgetExhausted(current: Token): void {
    const elements = [...new Set(this.recent)].sort();
    const message = `more than ${this.budget} steps without a wait state; loop through ${elements.join(', ')}`;
    const stuck = [current.id, ...this.queue.slice(this.head)];
    this.head = this.queue.length;
    for (const id of new Set(stuck)) {
      const t = this.d.tokens[id];
      if (t && t.incident === undefined) this.raiseIncident(t, IncidentCodes.LoopBudget, message);
    }
  }

  finish(): void {
    if (this.d.status !== 'active') return;
    for (const _ in this.d.tokens) return;
    this.emit({ type: 'IssueEnded', status: 'completed', at: this.nowIso });
    this.effect({ type: 'EndIssue', status: 'completed' });
  }

  // --- arriving at a node ------------------------------------------------------------------------

  arrive(t: Token): void {
    const node = this.app.nodes[t.node];
    if (!node) {
      this.raiseIncident(
        t,
        IncidentCodes.UnknownNode,
        `the token is at ${t.node}, which this App version does not have`,
      );
      return;
    }
    // A multi-instance task: the token arriving from outside starts the instances; each
    // instance token runs the task itself inside its scope (boundaries stay on the outer token).
    const instance = node.mi !== undefined && node.kind !== 'subProcess' && this.isInstance(t, node);
    if (node.mi && node.kind !== 'subProcess' && !instance) {
      if (!this.armBoundaries(t, node)) return;
      this.startMultiInstance(t, node);
      return;
    }
    switch (node.kind) {
      case 'start':
      case 'pass':
      case 'boundary': {
        this.leave(t, node);
        return;
      }
      case 'end':
        if (node.automation) {
          this.scheduleJob(t, node);
          return;
        }
        {
          this.endToken(t, node);
          return;
        }
      case 'updateData': {
        this.updateData(t, node);
        return;
      }
      case 'exclusive': {
        this.leave(t, node);
        return;
      }
      case 'parallel':
        if (node.incoming.length > 1) {
          this.parallelJoin(t, node);
          return;
        }
        {
          this.leave(t, node);
          return;
        }
      case 'inclusive':
        if (node.incoming.length > 1) {
          this.pendingJoins.add(t.id);
          return;
        }
        {
          this.leave(t, node);
          return;
        }
      case 'userTask':
        if (!instance && !this.armBoundaries(t, node)) return;
        {
          this.openTask(t, node);
          return;
        }
      case 'job':
        if (!instance && !this.armBoundaries(t, node)) return;
        {
          this.scheduleJob(t, node);
          return;
        }
      case 'timerCatch': {
        const due = timerDue(node.timer, this.contextOf(t), this.env);
        if (!due.ok) {
          this.raiseIncident(t, IncidentCodes.TimerFailed, `timer of ${node.id}: ${due.error}`);
          return;
        }
        this.scheduleTimer(t, node.id, due.at);
        return;
      }
      case 'messageCatch':
        if (!instance && !this.armBoundaries(t, node)) return;
        {
          this.subscribe(t, node.id, node.key);
          return;
        }
      case 'eventGateway': {
        this.armEventGateway(t, node);
        return;
      }
      case 'linkThrow': {
        this.emit({ type: 'LinkFollowed', token: t.id, link: node.id, node: node.target });
        this.enqueue(t.id);
        return;
      }
      case 'subProcess':
        if (!this.armBoundaries(t, node)) return;
        if (node.mi) {
          this.startMultiInstance(t, node);
          return;
        }
        {
          this.startScope(t, node, undefined);
          return;
        }
    }
  }

  private updateData(t: Token, node: Extract<CompiledNode, { kind: 'updateData' }>): void {
    const values: Record<string, unknown> = {};
    let ctx = this.contextOf(t);
    for (const a of node.assignments) {
      const r = a.expr.evaluate(ctx, this.env);
      if (!r.ok) {
        this.raiseIncident(
          t,
          IncidentCodes.ExpressionFailed,
          `${node.id} "${a.item}" := ${a.expr.source}: ${r.error}`,
        );
        return;
      }
      values[a.item] = r.value;
      if (node.assignments.length > 1) ctx = { ...ctx, [a.item]: r.value };
    }
    this.emit({ type: 'DataUpdated', node: node.id, values });
    this.leave(t, node);
  }

  // --- waits -------------------------------------------------------------------------------------

  private nextSeq(): number {
    return this.d.seq + 1;
  }

  private openTask(t: Token, node: UserTaskNode): void {
    let dueAt: string | undefined;
    if (node.deadline) {
      const due = deadlineDue(node.deadline, {
        arrivalAt: this.env.now,
        issueStartedAt: Date.parse(this.d.startedAt),
        data: this.contextOf(t),
        env: this.env,
        ...(node.deadlineExpr ? { expr: node.deadlineExpr } : {}),
      });
      if (due && !due.ok) {
        this.cancelWaitsOf(t.id, 'cancelled');
        this.raiseIncident(t, IncidentCodes.DeadlineFailed, `deadline of ${node.id}: ${due.error}`);
        return;
      }
      if (due) dueAt = iso(due.at);
    }
    const seq = this.nextSeq();
    this.emit(
      dueAt
        ? { type: 'TaskOpened', seq, token: t.id, node: node.id, dueAt }
        : { type: 'TaskOpened', seq, token: t.id, node: node.id },
    );
    const lane = node.lane ? this.app.lanes[node.lane] : undefined;
    const eff: {
      -readonly [K in keyof Extract<Effect, { type: 'OpenTask' }>]: Extract<Effect, { type: 'OpenTask' }>[K];
    } = {
      type: 'OpenTask',
      seq,
      node: node.id,
    };
    if (node.name) eff.name = node.name;
    if (lane) {
      eff.lane = lane.id;
      eff.allocation = lane.allocation;
      if (lane.team) eff.team = { completion: lane.completion };
    }
    if (dueAt) eff.dueAt = dueAt;
    if (node.deadline) eff.deadline = node.deadline;
    if (node.buttons) eff.buttons = node.buttons;
    this.effect(eff);
    // A deadline with action "abort" is due on the step's interrupting timer boundary without a time.
    if (dueAt && node.deadline?.action === 'abort') {
      for (const b of node.boundaries) {
        const bn = this.app.nodes[b];
        if (bn?.kind === 'boundary' && bn.trigger === 'timer' && !bn.timer && bn.interrupting) {
          this.scheduleTimer(t, bn.id, Date.parse(dueAt));
        }
      }
    }
  }

  scheduleJob(t: Token, node: CompiledNode): void {
    const automation =
      node.kind === 'job' ? node.automation : node.kind === 'end' ? node.automation : undefined;
    if (!automation) return;
    const seq = this.nextSeq();
    this.emit({ type: 'JobScheduled', seq, token: t.id, node: node.id });
    this.effect({
      type: 'ScheduleJob',
      seq,
      node: node.id,
      automation,
      idempotencyKey: `${this.d.issueId}:${seq}`,
    });
  }

  private scheduleTimer(t: Token, node: string, at: number, round?: number): void {
    const seq = this.nextSeq();
    const dueAt = iso(at);
    this.emit(
      round === undefined
        ? { type: 'TimerScheduled', seq, token: t.id, node, dueAt }
        : { type: 'TimerScheduled', seq, token: t.id, node, dueAt, round },
    );
    this.effect({ type: 'ScheduleTimer', seq, node, dueAt });
  }

  /**
   * A non-interrupting cycle timer (a reminder, `R3/PT1H`) that fired is armed again for its
   * next firing, until its repetitions are spent or the activity ends.
   */
  /** A non-interrupting message boundary stays subscribed while its step runs (it may fire again). */
  resubscribe(host: Token, b: BoundaryNode): void {
    if (!b.interrupting && b.trigger === 'message' && this.d.tokens[host.id])
      this.subscribe(host, b.id, b.key);
  }

  rearmCycle(host: Token, b: BoundaryNode, fired: Wait): void {
    if (b.interrupting || b.timer?.kind !== 'cycle' || fired.dueAt === undefined) return;
    const round = (fired.round ?? 0) + 1;
    const next = nextCycleDue(b.timer, this.contextOf(host), this.env, Date.parse(fired.dueAt), round);
    if (!next.ok) {
      this.raiseIncident(host, IncidentCodes.TimerFailed, `timer of ${b.id}: ${next.error}`);
      return;
    }
    if (next.at !== null) this.scheduleTimer(host, b.id, next.at, round);
  }

  private subscribe(t: Token, node: string, key: string | undefined): void {
    const seq = this.nextSeq();
    if (key === undefined) {
      this.emit({ type: 'MessageSubscribed', seq, token: t.id, node });
      this.effect({ type: 'SubscribeMessage', seq, node });
    } else {
      this.emit({ type: 'MessageSubscribed', seq, token: t.id, node, key });
      this.effect({ type: 'SubscribeMessage', seq, node, key });
    }
  }

  /** Arms the timer and message boundary events of an activity; false (and an incident) if a time cannot be computed. */
  private armBoundaries(t: Token, node: CompiledNode): boolean {
    for (const b of node.boundaries) {
      const bn = this.app.nodes[b];
      if (bn?.kind === 'boundary' && bn.trigger === 'message') {
        this.subscribe(t, bn.id, bn.key);
        continue;
      }
      if (bn?.kind !== 'boundary' || bn.trigger !== 'timer' || !bn.timer) continue;
      const due = timerDue(bn.timer, this.contextOf(t), this.env);
      if (!due.ok) {
        this.cancelWaitsOf(t.id, 'cancelled');
        this.raiseIncident(t, IncidentCodes.TimerFailed, `timer of ${bn.id}: ${due.error}`);
        return false;
      }
      this.scheduleTimer(t, bn.id, due.at);
    }
    return true;
  }

  private armEventGateway(t: Token, node: CompiledNode): void {
    const planned: { node: string; at?: number; key?: string; timer: boolean }[] = [];
    for (const fid of node.outgoing) {
      const target = this.app.nodes[this.app.flows[fid]?.target ?? ''];
      if (target?.kind === 'timerCatch') {
        const due = timerDue(target.timer, this.contextOf(t), this.env);
        if (!due.ok) {
          this.raiseIncident(t, IncidentCodes.TimerFailed, `timer of ${target.id}: ${due.error}`);
          return;
        }
        planned.push({ node: target.id, at: due.at, timer: true });
      } else if (target?.kind === 'messageCatch') {
        planned.push(
          target.key !== undefined
            ? { node: target.id, key: target.key, timer: false }
            : { node: target.id, timer: false },
        );
      }
    }
    for (const p of planned) {
      if (p.timer) this.scheduleTimer(t, p.node, p.at!);
      else this.subscribe(t, p.node, p.key);
    }
  }

  /** Ends every wait of a token (boundary timers, event-gateway branches, the task or job). */
  cancelWaitsOf(token: number, reason: 'cancelled' | 'interrupted' | 'completed'): void {
    const waits = this.d.waits;
    for (const k in waits) {
      const w = waits[k]!;
      if (w.token === token) this.cancelWait(w, reason);
    }
  }

  cancelWait(w: Wait, reason: 'cancelled' | 'interrupted' | 'completed'): void {
    this.emit({ type: 'WaitCancelled', seq: w.seq, reason });
    switch (w.kind) {
      case 'task':
        this.effect({
          type: 'CloseTask',
          seq: w.seq,
          node: w.node,
          reason: reason === 'interrupted' ? 'interrupted' : 'cancelled',
        });
        break;
      case 'job':
        this.effect({ type: 'CancelJob', seq: w.seq, node: w.node });
        break;
      case 'timer':
        this.effect({ type: 'CancelTimer', seq: w.seq, node: w.node });
        break;
      case 'message':
        this.effect({ type: 'UnsubscribeMessage', seq: w.seq, node: w.node });
        break;
    }
  }

  // --- leaving a node ----------------------------------------------------------------------------

  /** The step is finished: end its other waits and move on (or end, for an end event). */
  complete(t: Token, chosenFlow?: string): void {
    const node = this.app.nodes[t.node];
    if (!node) {
      this.raiseIncident(
        t,
        IncidentCodes.UnknownNode,
        `the token is at ${t.node}, which this App version does not have`,
      );
      return;
    }
    this.cancelWaitsOf(t.id, 'completed');
    if (node.kind === 'end') {
      this.endToken(t, node);
      return;
    }
    this.leave(t, node, chosenFlow);
  }

  selectFlows(t: Token, node: CompiledNode): Selection {
    const out = node.outgoing;
    if (out.length <= 1 || node.kind === 'parallel') return { ok: true, flows: out };
    if (node.kind === 'inclusive') {
      const taken: string[] = [];
      const ctx = this.contextOf(t);
      for (const fid of out) {
        if (fid === node.defaultFlow) continue;
        const f = this.app.flows[fid]!;
        if (!f.condition) {
          taken.push(fid);
          continue;
        }
        const r = f.condition.evaluate(ctx, this.env);
        if (!r.ok)
          return {
            ok: false,
            code: IncidentCodes.ConditionFailed,
            message: `${node.id} → ${fid}: ${r.error}`,
          };
        if (r.value === true) taken.push(fid);
      }
      if (taken.length > 0) return { ok: true, flows: taken };
      if (node.defaultFlow) return { ok: true, flows: [node.defaultFlow] };
      return {
        ok: false,
        code: IncidentCodes.NoFlow,
        message: `no condition of ${node.id} is true and it has no default flow`,
      };
    }
    const exclusive = node.kind === 'exclusive';
    if (!node.conditional && !exclusive)
      return { ok: true, flows: node.defaultFlow ? [node.defaultFlow] : out };
    // Exclusive choice (an exclusive gateway, or a step whose outgoing flows carry conditions):
    // in the modeler's order the first true condition wins; at an exclusive gateway a flow
    // without condition counts as true in its turn (as Camunda 7 does); then the default.
    const ctx = this.contextOf(t);
    for (const fid of out) {
      if (fid === node.defaultFlow) continue;
      const f = this.app.flows[fid]!;
      if (!f.condition) {
        if (exclusive) return { ok: true, flows: [fid] };
        continue;
      }
      const r = f.condition.evaluate(ctx, this.env);
      if (!r.ok)
        return { ok: false, code: IncidentCodes.ConditionFailed, message: `${node.id} → ${fid}: ${r.error}` };
      if (r.value === true) return { ok: true, flows: [fid] };
    }
    if (node.defaultFlow) return { ok: true, flows: [node.defaultFlow] };
    return {
      ok: false,
      code: IncidentCodes.NoFlow,
      message: `no condition of ${node.id} is true and it has no default flow`,
    };
  }

  leave(t: Token, node: CompiledNode, chosenFlow?: string): void {
    if (node.mi && this.isInstance(t, node)) {
      // one instance of a multi-instance task is done; the outer token moves on when all are
      this.emit({ type: 'TokenEnded', token: t.id, node: node.id });
      this.tokenGone(t.scope);
      return;
    }
    let flows: readonly string[];
    if (chosenFlow !== undefined) flows = [chosenFlow];
    else {
      const sel = this.selectFlows(t, node);
      if (!sel.ok) {
        this.raiseIncident(t, sel.code, sel.message);
        return;
      }
      flows = sel.flows;
    }
    if (flows.length === 0) {
      // BPMN: an activity without outgoing flows ends its token (implicit end).
      this.emit({ type: 'TokenEnded', token: t.id, node: node.id });
      this.tokenGone(t.scope);
      return;
    }
    if (flows.length === 1) {
      const fid = flows[0]!;
      const to = this.app.flows[fid]!.target;
      this.emit({ type: 'FlowTaken', token: t.id, flow: fid, node: to });
      this.enqueue(t.id);
      return;
    }
    let id = this.d.next;
    const branches = flows.map((fid) => ({ token: ++id, flow: fid, node: this.app.flows[fid]!.target }));
    this.emit({ type: 'TokenForked', token: t.id, branches });
    for (const b of branches) this.enqueue(b.token);
  }

  // --- joins -------------------------------------------------------------------------------------

  private parallelJoin(t: Token, node: CompiledNode): void {
    const byFlow = new Map<string, number>();
    for (const k in this.d.tokens) {
      const o = this.d.tokens[k]!;
      if (o.node !== node.id || o.scope !== t.scope || o.incident !== undefined || o.via === undefined)
        continue;
      if (!byFlow.has(o.via)) byFlow.set(o.via, o.id);
    }
    if (node.incoming.some((f) => !byFlow.has(f))) return; // wait for the others
    const ids = [...byFlow.values()].sort((a, b) => a - b);
    const survivor = ids[0]!;
    this.emit({ type: 'JoinFired', node: node.id, token: survivor, consumed: ids.slice(1) });
    this.leave(this.d.tokens[survivor]!, node);
  }

  /** Fires every inclusive join that can no longer receive a token on an unsatisfied flow. */
  private checkInclusiveJoins(): boolean {
    let fired = false;
    for (const id of [...this.pendingJoins].sort((a, b) => a - b)) {
      const t = this.d.tokens[id];
      if (!t) {
        this.pendingJoins.delete(id);
        continue;
      }
      if (this.tryInclusiveJoin(t)) fired = true;
    }
    return fired;
  }

  private tryInclusiveJoin(t: Token): boolean {
    const node = this.app.nodes[t.node]!;
    const reach = this.app.inclusiveReach[node.id];
    const arrived = new Map<string, number>();
    const others: Token[] = [];
    for (const k in this.d.tokens) {
      const o = this.d.tokens[k]!;
      if (o.scope !== t.scope) continue;
      if (o.node === node.id && o.via !== undefined) {
        if (!arrived.has(o.via)) arrived.set(o.via, o.id);
      } else others.push(o);
    }
    for (const f of node.incoming) {
      if (arrived.has(f)) continue;
      const from = reach?.[f];
      if (from && others.some((o) => from.has(o.node))) return false;
    }
    const ids = [...arrived.values()].sort((a, b) => a - b);
    const survivor = ids[0]!;
    for (const id of ids) this.pendingJoins.delete(id);
    this.emit({ type: 'JoinFired', node: node.id, token: survivor, consumed: ids.slice(1) });
    this.leave(this.d.tokens[survivor]!, node);
    return true;
  }

  /** Re-registers tokens waiting at inclusive joins (they are not in the queue of a later call). */
  collectWaitingJoins(): void {
    for (const k in this.d.tokens) {
      const t = this.d.tokens[k]!;
      const n = this.app.nodes[t.node];
      if (
        n?.kind === 'inclusive' &&
        n.incoming.length > 1 &&
        t.via !== undefined &&
        t.incident === undefined
      ) {
        this.pendingJoins.add(t.id);
      }
    }
  }

  // --- ends, scopes, sub-processes ----------------------------------------------------------------

  private endToken(t: Token, node: Extract<CompiledNode, { kind: 'end' }>): void {
    if (node.end === 'terminate') {
      if (t.scope === undefined) {
        this.removeAll(undefined);
        this.emit({ type: 'IssueEnded', status: 'terminated', at: this.nowIso });
        this.effect({ type: 'EndIssue', status: 'terminated' });
        return;
      }
      const scope = t.scope;
      this.removeAll(scope);
      this.endScope(scope);
      return;
    }
    if (node.end === 'error') {
      this.throwError(t, node.errorCode, `error end event ${node.id}`);
      return;
    }
    this.emit({ type: 'TokenEnded', token: t.id, node: node.id });
    this.tokenGone(t.scope);
  }

  /** After a token of `scope` is gone: a scope with no tokens left is done. */
  private tokenGone(scope: number | undefined): void {
    if (scope === undefined) return;
    for (const k in this.d.tokens) if (this.d.tokens[k]!.scope === scope) return;
    this.endScope(scope);
  }

  private endScope(scope: number): void {
    const s = this.d.scopes[scope];
    if (!s) return;
    this.emit({ type: 'ScopeEnded', scope });
    const parent = this.d.tokens[s.token];
    if (!parent) return;
    if (parent.mi) {
      this.afterInstance(parent);
      return;
    }
    this.complete(parent);
  }

  /** Tokens and scopes inside `scope` (all of them when undefined), deepest first. */
  private contents(scope: number | undefined): { tokens: number[]; scopes: number[] } {
    const tokens: number[] = [];
    const scopes: number[] = [];
    const visit = (sc: number | undefined): void => {
      for (const k in this.d.tokens) {
        const t = this.d.tokens[k]!;
        if (t.scope !== sc) continue;
        for (const sk in this.d.scopes) {
          const inner = this.d.scopes[sk]!;
          if (inner.token === t.id) {
            visit(inner.id);
            scopes.push(inner.id);
          }
        }
        tokens.push(t.id);
      }
    };
    visit(scope);
    return { tokens, scopes };
  }

  /** Removes every token and scope inside `scope` (the whole issue when undefined), ending their waits. */
  removeAll(scope: number | undefined, reason: 'cancelled' | 'interrupted' = 'cancelled'): void {
    const { tokens, scopes } = this.contents(scope);
    if (tokens.length === 0 && scopes.length === 0) return;
    const set = new Set(tokens);
    for (const k in this.d.waits) {
      const w = this.d.waits[k]!;
      if (set.has(w.token)) this.cancelWait(w, reason);
    }
    for (const id of tokens) this.pendingJoins.delete(id);
    this.emit({ type: 'TokensRemoved', tokens, scopes });
  }

  /** Removes the scopes a token waiting at a sub-process owns (an interrupted sub-process). */
  private removeScopesOf(token: number, reason: 'cancelled' | 'interrupted'): void {
    const owned = Object.values(this.d.scopes)
      .filter((s) => s.token === token)
      .map((s) => s.id);
    if (owned.length === 0) return;
    const tokens: number[] = [];
    const scopes: number[] = [];
    for (const sc of owned) {
      const c = this.contents(sc);
      tokens.push(...c.tokens);
      scopes.push(...c.scopes, sc);
    }
    const set = new Set(tokens);
    for (const k in this.d.waits) {
      const w = this.d.waits[k]!;
      if (set.has(w.token)) this.cancelWait(w, reason);
    }
    for (const id of tokens) this.pendingJoins.delete(id);
    this.emit({ type: 'TokensRemoved', tokens, scopes });
  }

  private startScope(
    t: Token,
    node: CompiledNode,
    vars: Readonly<Record<string, unknown>> | undefined,
  ): void {
    const start = node.kind === 'subProcess' ? node.start : node.id;
    const also = node.kind === 'subProcess' ? node.alsoStart : undefined;
    const scope = this.d.next + 1;
    const startToken = scope + 1;
    const e: {
      -readonly [K in keyof Extract<HistoryEvent, { type: 'ScopeStarted' }>]: Extract<
        HistoryEvent,
        { type: 'ScopeStarted' }
      >[K];
    } = { type: 'ScopeStarted', scope, node: node.id, token: t.id, start, startToken };
    if (also) e.alsoStart = also.map((n, i) => ({ node: n, token: startToken + 1 + i }));
    if (vars) e.vars = vars;
    this.emit(e);
    this.enqueue(startToken);
    if (e.alsoStart) for (const a of e.alsoStart) this.enqueue(a.token);
  }

  private startMultiInstance(t: Token, node: CompiledNode): void {
    const mi = node.mi!;
    const r = mi.cardinality.evaluate(this.contextOf(t), this.env);
    if (!r.ok) {
      this.raiseIncident(t, IncidentCodes.MultiInstanceFailed, `loopCardinality of ${node.id}: ${r.error}`);
      return;
    }
    let total: number;
    let items: unknown[] | undefined;
    if (Array.isArray(r.value)) {
      items = r.value;
      total = items.length;
    } else if (typeof r.value === 'number' && Number.isInteger(r.value) && r.value >= 0) total = r.value;
    else if (r.value === null || r.value === undefined) total = 0;
    else {
      this.raiseIncident(
        t,
        IncidentCodes.MultiInstanceFailed,
        `loopCardinality of ${node.id} must be a whole number or a list, got ${JSON.stringify(r.value)}`,
      );
      return;
    }
    const progress =
      items && mi.sequential
        ? { total, started: 0, completed: 0, items }
        : { total, started: 0, completed: 0 };
    this.emit({ type: 'MultiInstanceStarted', token: t.id, node: node.id, mi: progress });
    if (total === 0) {
      this.complete(this.d.tokens[t.id]!);
      return;
    }
    const count = mi.sequential ? 1 : total;
    for (let i = 0; i < count; i++) this.startScope(t, node, instanceVars(i, items));
  }

  afterInstance(parent: Token): void {
    const node = this.app.nodes[parent.node];
    const mi = parent.mi;
    if (!node?.mi || !mi) return;
    if (node.mi.completionCondition) {
      const active = mi.started - mi.completed;
      const ctx = {
        ...this.contextOf(parent),
        nrOfInstances: mi.total,
        nrOfCompletedInstances: mi.completed,
        nrOfActiveInstances: active,
      };
      const r = node.mi.completionCondition.evaluate(ctx, this.env);
      if (!r.ok) {
        this.raiseIncident(
          parent,
          IncidentCodes.CompletionConditionFailed,
          `completionCondition of ${node.id}: ${r.error}`,
        );
        return;
      }
      if (r.value === true) {
        this.removeScopesOf(parent.id, 'cancelled');
        this.complete(this.d.tokens[parent.id]!);
        return;
      }
    }
    if (mi.completed >= mi.total) {
      this.complete(parent);
      return;
    }
    if (node.mi.sequential && mi.started === mi.completed && mi.started < mi.total) {
      this.startScope(parent, node, instanceVars(mi.started, mi.items));
    }
  }

  // --- errors, boundaries, incidents --------------------------------------------------------------

  /** An error thrown at token `t`: caught by the nearest enclosing sub-process's error boundary, else an incident. */
  throwError(t: Token, code: string | undefined, what: string): void {
    let scope = t.scope;
    while (scope !== undefined) {
      const s = this.d.scopes[scope];
      if (!s) break;
      const host = this.d.tokens[s.token];
      const hostNode = host ? this.app.nodes[host.node] : undefined;
      const b = hostNode ? this.errorBoundary(hostNode, code) : undefined;
      if (host && b) {
        this.triggerBoundary(host, b);
        return;
      }
      scope = host?.scope;
    }
    this.raiseIncident(
      t,
      IncidentCodes.UncaughtError,
      `${what}${code ? ` (error code ${code})` : ''} is not caught by any error boundary event`,
    );
  }

  errorBoundary(node: CompiledNode, code: string | undefined): BoundaryNode | undefined {
    let catchAll: BoundaryNode | undefined;
    for (const b of node.boundaries) {
      const bn = this.app.nodes[b];
      if (bn?.kind !== 'boundary' || bn.trigger !== 'error') continue;
      if (bn.errorCode === undefined) catchAll ??= bn;
      else if (code !== undefined && bn.errorCode === code) return bn;
    }
    return catchAll;
  }

  triggerBoundary(host: Token, b: BoundaryNode): void {
    if (b.interrupting) {
      this.removeScopesOf(host.id, 'interrupted');
      this.cancelWaitsOf(host.id, 'interrupted');
      if (host.incident !== undefined) this.emit({ type: 'IncidentResolved', seq: host.incident });
      this.pendingJoins.delete(host.id);
      this.emit({ type: 'BoundaryTriggered', boundary: b.id, token: host.id, interrupting: true });
      this.enqueue(host.id);
      return;
    }
    const id = this.d.next + 1;
    this.emit(
      host.scope !== undefined
        ? { type: 'BoundaryTriggered', boundary: b.id, token: id, interrupting: false, scope: host.scope }
        : { type: 'BoundaryTriggered', boundary: b.id, token: id, interrupting: false },
    );
    this.enqueue(id);
  }

  /** Stops the token with an incident; `retryable: false` for one RetryIncident must refuse. */
  raiseIncident(t: Token, code: string, message: string, retryable?: false): void {
    const seq = this.nextSeq();
    if (retryable === false) {
      this.emit({ type: 'IncidentRaised', seq, token: t.id, node: t.node, code, message, retryable });
      this.effect({ type: 'IncidentRaised', seq, node: t.node, code, message, retryable });
      return;
    }
    this.emit({ type: 'IncidentRaised', seq, token: t.id, node: t.node, code, message });
    this.effect({ type: 'IncidentRaised', seq, node: t.node, code, message });
  }
}

function instanceVars(i: number, items: readonly unknown[] | undefined): Readonly<Record<string, unknown>> {
  return items ? { loopCounter: i + 1, item: items[i] ?? null } : { loopCounter: i + 1 };
}

/** Instants in events and effects are UTC ISO-8601 text with milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
