/**
 * One command batch as a program of database steps, written once and run by either dialect:
 * SQLite runs it synchronously inside one BEGIN IMMEDIATE transaction (no await between
 * BEGIN and COMMIT, so nothing else in the process interleaves), PostgreSQL runs it on one
 * pooled connection, awaiting each step (store/sqlite/sqlite-batch.ts,
 * store/postgres/postgres-batch.ts). The program yields `BatchOp`s; the driver answers each.
 *
 * Fast path: load every issue the batch touches in one query, `decide` each command in order
 * (commands on the same issue chain in memory), then write every row of the batch with one
 * statement per table under a savepoint. If that write fails (an optimistic version
 * conflict with another transaction, a lost job lease, a duplicate issue id, a deadlock), the
 * savepoint is rolled back and the batch falls back to one savepoint per command: each
 * command reloads its issue, decides again and writes alone, so a conflict costs only its
 * own command a retry and never sinks the others.
 */
import type {
  Command,
  CompiledApp,
  DecideResult,
  Effect,
  HistoryEvent,
  IssueState,
  LaneSpec,
} from '@nagare/engine';
import { decide } from '@nagare/engine';
import type { EagerLease } from './eager-jobs.js';
import { RuntimeError } from './errors.js';
import type { CachedIssue } from './issue-cache.js';
import {
  type AddonStartItemInsert,
  type JobFence,
  type TaskInsert,
  type TimerStartAdvance,
  WriteSet,
} from './write-set.js';

/** The issue row as a batch loads it. */
export interface LoadedIssue {
  id: string;
  workspace_id: string;
  app_id: string;
  app_version_id: string;
  state: string;
  version: number;
  events: number;
}

export interface CommandItem {
  readonly kind: 'command';
  readonly issueId: string;
  readonly command: Command;
  /** The workspace the caller acts in: an issue of another workspace is unknown to it. */
  readonly workspace?: string;
  /** StartIssue: the app version the issue runs on. */
  readonly start?: { readonly appId: string; readonly appVersionId: string; readonly workspaceId: string };
  /** A worker's result: committed only while the worker still holds the job's lease. */
  readonly fence?: { readonly lockedBy: string; readonly attempts: number };
  /** CompleteTask: the task row it completes; `team` = count the seq's open team tasks. */
  readonly task?: { readonly id: string; readonly team: boolean };
}

/** One Timer Start round: its issues and the advance of the timer_start row, all or nothing. */
export interface TimerRoundItem {
  readonly kind: 'timerRound';
  readonly starts: readonly CommandItem[];
  readonly advance: TimerStartAdvance;
  /** A polling add-on's round: the item of each start (same index), written with its issue. */
  readonly items?: readonly AddonStartItemInsert[];
}

export type BatchItem = CommandItem | TimerRoundItem;

export interface CommandOutcome {
  readonly issueId: string;
  readonly state: IssueState;
  readonly events: readonly HistoryEvent[];
  readonly effects: readonly Effect[];
}

export type ItemResult =
  | { readonly ok: true; readonly outcome: CommandOutcome | null; readonly started?: readonly string[] }
  | { readonly ok: false; readonly error: RuntimeError };

export type WriteResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** `forbidden`: a task completed by someone who is neither its assignee nor a candidate. */
      readonly reason: 'conflict' | 'lease' | 'duplicate' | 'forbidden' | 'error';
      readonly error?: unknown;
    };

export type BatchOp =
  | { readonly op: 'load'; readonly ids: readonly string[] }
  | { readonly op: 'countTasks'; readonly issueId: string; readonly seq: number }
  | { readonly op: 'write'; readonly writes: WriteSet }
  | { readonly op: 'savepoint' | 'release' | 'rollbackTo'; readonly name: string };

export type BatchResult =
  | {
      readonly kind: 'done';
      readonly results: readonly ItemResult[];
      readonly writes: readonly WriteSet[];
      /** Every issue as these writes leave it (for the issue cache, once committed). */
      readonly issues: readonly CachedIssue[];
      /** The batch write failed and the commands were written one savepoint each. */
      readonly fallback: boolean;
    }
  /**
   * Some issues run on app versions not compiled in this process yet, or open tasks whose
   * candidates need lane rules or people not loaded yet: load them, run again.
   */
  | {
      readonly kind: 'needApps';
      readonly versionIds: readonly string[];
      readonly workspaceIds?: readonly string[];
      /** Workspaces whose time zone is not held (workspace-zones.ts). */
      readonly zones?: readonly string[];
    };

export interface OperatorQuery {
  readonly workspaceId: string;
  readonly appId: string;
  readonly appVersionId: string;
  readonly issueId: string;
  readonly node: string;
  readonly lane: LaneSpec | undefined;
  /** The issue as the command leaves it (its data, who did which step). */
  readonly state: IssueState;
  readonly app: CompiledApp;
}

export interface BatchContext {
  readonly now: number;
  readonly nowIso: string;
  /** The zone commands are decided in when `zoneOf` is not given. */
  readonly timeZone: string;
  /** The issue's workspace's time zone; undefined when not loaded yet (the batch asks for it). */
  readonly zoneOf?: (workspaceId: string) => string | undefined;
  readonly app: (versionId: string) => CompiledApp | undefined;
  readonly defaultMaxAttempts: number;
  /**
   * Who may do a task of this step: null when the step has no swimlane rules (anyone in the
   * workspace), else the resolved users ([] when the rules found nobody); undefined when what
   * it needs is not loaded yet (the batch then asks for it: `needApps` with `workspaceIds`).
   */
  readonly operators: (query: OperatorQuery) => readonly string[] | null | undefined;
  /** Issues this process committed last (issue-cache.ts); a miss loads the row. */
  readonly cache?: { get(id: string): CachedIssue | undefined };
  /** A lease for a job due now when a local worker has room (eager dispatch), else undefined. */
  readonly eagerLease?: () => EagerLease | undefined;
}

export type BatchProgram = Generator<BatchOp, BatchResult, unknown>;

/** How often one command may meet a newer version of its issue before it gives up. */
export const MAX_CONFLICT_RETRIES = 25;

interface Current {
  id: string;
  workspaceId: string;
  appId: string;
  appVersionId: string;
  state: IssueState | null;
  version: number;
  events: number;
  inDb: boolean;
  /** Taken from the issue cache, not read in this transaction. */
  cached?: boolean;
}

type Applied =
  | { readonly kind: 'ok'; readonly result: ItemResult }
  | { readonly kind: 'rejected'; readonly result: ItemResult }
  | { readonly kind: 'needApp'; readonly versionId: string }
  | { readonly kind: 'needZone'; readonly workspaceId: string };

function* load(ids: readonly string[]): Generator<BatchOp, LoadedIssue[], unknown> {
  if (ids.length === 0) return [];
  return (yield { op: 'load', ids }) as LoadedIssue[];
}

function* write(writes: WriteSet): Generator<BatchOp, WriteResult, unknown> {
  return (yield { op: 'write', writes }) as WriteResult;
}

function toCurrent(row: LoadedIssue): Current {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    appId: row.app_id,
    appVersionId: row.app_version_id,
    state: JSON.parse(row.state) as IssueState,
    version: row.version,
    events: row.events,
    inDb: true,
  };
}

/** Every issue a batch may touch. */
export function issueIdsOf(items: readonly BatchItem[]): string[] {
  return items.flatMap((item) => idsOf(item, true));
}

function idsOf(item: BatchItem, withStarts: boolean): string[] {
  if (item.kind === 'timerRound') return withStarts ? item.starts.map((s) => s.issueId) : [];
  if (item.command.type === 'StartIssue' && !withStarts) return [];
  return [item.issueId];
}

function fromCache(issue: CachedIssue): Current {
  const { id, workspaceId, appId, appVersionId, state, version, events } = issue;
  return { id, workspaceId, appId, appVersionId, state, version, events, inDb: true, cached: true };
}

/** The committed form of the issues a batch wrote (those that went through `decide`). */
function written(current: ReadonlyMap<string, Current>): CachedIssue[] {
  const issues: CachedIssue[] = [];
  for (const c of current.values()) {
    if (c.state === null || c.cached) continue;
    const { id, workspaceId, appId, appVersionId, state, version, events } = c;
    issues.push({ id, workspaceId, appId, appVersionId, state, version, events });
  }
  return issues;
}

export function* batchProgram(items: readonly BatchItem[], ctx: BatchContext): BatchProgram {
  // Fast path.
  const ids = [...new Set(items.flatMap((item) => idsOf(item, false)))];
  const current = new Map<string, Current>();
  const toLoad: string[] = [];
  for (const id of ids) {
    const hit = ctx.cache?.get(id);
    if (hit) current.set(id, fromCache(hit));
    else toLoad.push(id);
  }
  for (const row of yield* load(toLoad)) current.set(row.id, toCurrent(row));
  const writes = new WriteSet();
  const results: ItemResult[] = [];
  const missing = new Set<string>();
  const zones = new Set<string>();
  for (const item of items) {
    const applied = yield* applyItem(item, current, writes, ctx);
    if (applied.kind === 'needApp') missing.add(applied.versionId);
    else if (applied.kind === 'needZone') zones.add(applied.workspaceId);
    else results.push(applied.result);
  }
  if (missing.size > 0 || zones.size > 0) {
    return { kind: 'needApps', versionIds: [...missing], ...(zones.size > 0 && { zones: [...zones] }) };
  }
  if (writes.needs.length > 0) return needsOf(writes);
  if (writes.commands === 0 && writes.timerStartAdvances.length === 0) {
    return { kind: 'done', results, writes: [], issues: [], fallback: false };
  }
  yield { op: 'savepoint', name: 'batch' };
  const wrote = yield* write(writes);
  if (wrote.ok) {
    yield { op: 'release', name: 'batch' };
    return { kind: 'done', results, writes: [writes], issues: written(current), fallback: false };
  }
  yield { op: 'rollbackTo', name: 'batch' };
  yield { op: 'release', name: 'batch' };

  // Fallback: one savepoint per command.
  const alone: ItemResult[] = [];
  const done: WriteSet[] = [];
  const issues = new Map<string, Current>();
  for (const item of items) {
    let result: ItemResult | undefined;
    for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES && result === undefined; attempt++) {
      const fresh = new Map<string, Current>();
      for (const row of yield* load(idsOf(item, true))) fresh.set(row.id, toCurrent(row));
      const own = new WriteSet();
      const applied = yield* applyItem(item, fresh, own, ctx);
      if (applied.kind === 'needApp') return { kind: 'needApps', versionIds: [applied.versionId] };
      if (applied.kind === 'needZone')
        return { kind: 'needApps', versionIds: [], zones: [applied.workspaceId] };
      if (own.needs.length > 0) return needsOf(own);
      if (applied.kind === 'rejected') {
        result = applied.result;
        break;
      }
      yield { op: 'savepoint', name: 'command' };
      const ownWrite = yield* write(own);
      if (ownWrite.ok) {
        yield { op: 'release', name: 'command' };
        done.push(own);
        for (const [id, c] of fresh) issues.set(id, c);
        result = applied.result;
        break;
      }
      yield { op: 'rollbackTo', name: 'command' };
      yield { op: 'release', name: 'command' };
      if (ownWrite.reason !== 'conflict') result = { ok: false, error: writeError(item, ownWrite) };
    }
    alone.push(
      result ?? {
        ok: false,
        error: new RuntimeError(
          'CONFLICT',
          `issue ${describe(item)} kept changing; the command was not applied`,
        ),
      },
    );
  }
  return { kind: 'done', results: alone, writes: done, issues: written(issues), fallback: true };
}

function needsOf(writes: WriteSet): BatchResult {
  return {
    kind: 'needApps',
    versionIds: [...new Set(writes.needs.map((n) => n.versionId))],
    workspaceIds: [...new Set(writes.needs.map((n) => n.workspaceId))],
  };
}

function describe(item: BatchItem): string {
  return item.kind === 'command' ? item.issueId : `timer start ${item.advance.app_id}/${item.advance.node}`;
}

function writeError(item: BatchItem, failure: Exclude<WriteResult, { ok: true }>): RuntimeError {
  switch (failure.reason) {
    case 'lease':
      return new RuntimeError(
        'LEASE_LOST',
        `the job ${describe(item)} is no longer held by this worker (its lease ran out or the job was cancelled)`,
      );
    case 'forbidden':
      return new RuntimeError(
        'NOT_YOUR_TASK',
        `issue ${describe(item)}: only the task's assignee or, while it is offered, one of its candidates may complete it`,
      );
    case 'duplicate':
      return new RuntimeError('REJECTED', `issue ${describe(item)} already exists`, {
        rejection: 'ALREADY_STARTED',
      });
    default:
      return new RuntimeError('STORE', `writing issue ${describe(item)} failed: ${String(failure.error)}`, {
        cause: failure.error,
      });
  }
}

function* applyItem(
  item: BatchItem,
  current: Map<string, Current>,
  writes: WriteSet,
  ctx: BatchContext,
): Generator<BatchOp, Applied, unknown> {
  if (item.kind === 'command') return yield* applyCommand(item, current, writes, ctx);
  const started: string[] = [];
  for (const [i, start] of item.starts.entries()) {
    const applied = yield* applyCommand(start, current, writes, ctx);
    if (applied.kind === 'needApp' || applied.kind === 'needZone') return applied;
    if (applied.kind === 'ok') {
      started.push(start.issueId);
      const seen = item.items?.[i];
      if (seen) writes.addonStartItems.push(seen);
    }
  }
  writes.timerStartAdvances.push(item.advance);
  return { kind: 'ok', result: { ok: true, outcome: null, started } };
}

function* applyCommand(
  item: CommandItem,
  current: Map<string, Current>,
  writes: WriteSet,
  ctx: BatchContext,
): Generator<BatchOp, Applied, unknown> {
  let cur = current.get(item.issueId);
  if (cur !== undefined && item.workspace !== undefined && cur.workspaceId !== item.workspace) {
    return rejected(new RuntimeError('UNKNOWN_ISSUE', `no issue ${item.issueId}`));
  }
  if (cur === undefined) {
    if (item.start === undefined) {
      return rejected(new RuntimeError('UNKNOWN_ISSUE', `no issue ${item.issueId}`));
    }
    cur = {
      id: item.issueId,
      workspaceId: item.start.workspaceId,
      appId: item.start.appId,
      appVersionId: item.start.appVersionId,
      state: null,
      version: 0,
      events: 0,
      inDb: false,
    };
  }
  const app = ctx.app(cur.appVersionId);
  if (app === undefined) return { kind: 'needApp', versionId: cur.appVersionId };
  const timeZone = ctx.zoneOf === undefined ? ctx.timeZone : ctx.zoneOf(cur.workspaceId);
  if (timeZone === undefined) return { kind: 'needZone', workspaceId: cur.workspaceId };

  let command = item.command;
  if (item.task?.team && command.type === 'CompleteTask') {
    const seq = command.seq;
    const issueId = cur.id;
    const pending = writes.taskInserts.filter((t) => t.issue_id === issueId && t.seq === seq).length;
    const total = ((yield { op: 'countTasks', issueId, seq }) as number) + pending;
    const done = cur.state?.waits[String(seq)]?.done?.length ?? 0;
    command = { ...command, openTeamTasks: Math.max(0, total - done - 1) };
  }

  const result = decide(app, cur.state, command, { now: ctx.now, timeZone });
  if (result.rejection && cur.cached) {
    // The cached state may be behind the stored one (another node moved the issue on).
    current.delete(cur.id);
    const [row] = yield* load([cur.id]);
    if (row) current.set(row.id, toCurrent(row));
    return yield* applyCommand(item, current, writes, ctx);
  }
  if (result.rejection) {
    return rejected(
      new RuntimeError('REJECTED', `issue ${item.issueId}: ${result.rejection.message}`, {
        rejection: result.rejection.code,
      }),
    );
  }
  const before = cur.state;
  // Accepted: decide always returns a state then.
  const after = result.state as IssueState;
  const next: Current = {
    id: cur.id,
    workspaceId: cur.workspaceId,
    appId: cur.appId,
    appVersionId: cur.appVersionId,
    state: after,
    version: cur.version + 1,
    events: cur.events + result.events.length,
    inDb: cur.inDb,
    cached: false,
  };
  current.set(cur.id, next);
  toRows(cur, next, before, result, item, app, writes, ctx);
  return {
    kind: 'ok',
    result: {
      ok: true,
      outcome: { issueId: cur.id, state: after, events: result.events, effects: result.effects },
    },
  };
}

function rejected(error: RuntimeError): Applied {
  return { kind: 'rejected', result: { ok: false, error } };
}

/** The effects-to-rows mapping. */
function toRows(
  cur: Current,
  next: Current,
  before: IssueState | null,
  result: DecideResult,
  item: CommandItem,
  app: CompiledApp,
  writes: WriteSet,
  ctx: BatchContext,
): void {
  const now = ctx.nowIso;
  const state = next.state as IssueState;
  writes.putIssue(
    {
      id: cur.id,
      workspace_id: cur.workspaceId,
      app_id: cur.appId,
      app_version_id: cur.appVersionId,
      version: next.version,
      events: next.events,
    },
    state,
    JSON.stringify(state),
    cur.inDb ? cur.version : cur.state === null ? null : cur.version,
    now,
  );
  if (result.events.length > 0) {
    writes.history.push({
      issue_id: cur.id,
      ordinal: cur.events + 1,
      count: result.events.length,
      workspace_id: cur.workspaceId,
      events: JSON.stringify(result.events),
      at: now,
    });
  }

  let fence: JobFence | undefined;
  const command = item.command;
  if (
    item.fence &&
    (command.type === 'JobSucceeded' || command.type === 'JobFailed' || command.type === 'TimerFired')
  ) {
    fence = {
      issue_id: cur.id,
      seq: command.seq,
      locked_by: item.fence.lockedBy,
      attempts: item.fence.attempts,
    };
    writes.jobFences.push(fence);
  }
  if (item.task && item.command.type === 'CompleteTask') {
    writes.taskCompletions.push({ id: item.task.id, operator: item.command.operator, at: now });
  }

  // Waits that ended: their job, timer or subscription rows go.
  if (before) {
    for (const key of Object.keys(before.waits)) {
      if (state.waits[key] !== undefined) continue;
      const wait = before.waits[key]!;
      if (wait.kind === 'job' || wait.kind === 'timer') {
        if (fence?.seq !== wait.seq) writes.jobDeletes.push({ issue_id: cur.id, seq: wait.seq });
      } else if (wait.kind === 'message') {
        writes.subscriptionDeletes.push({ issue_id: cur.id, seq: wait.seq });
      }
    }
    for (const key of Object.keys(before.incidents)) {
      if (state.incidents[key] === undefined) {
        writes.incidentResolves.push({ issue_id: cur.id, seq: before.incidents[key]!.seq, at: now });
      }
    }
  }

  for (const effect of result.effects) {
    switch (effect.type) {
      case 'OpenTask': {
        const lane = effect.lane === undefined ? undefined : app.lanes[effect.lane];
        const resolved = ctx.operators({
          workspaceId: cur.workspaceId,
          appId: cur.appId,
          appVersionId: cur.appVersionId,
          issueId: cur.id,
          node: effect.node,
          lane,
          state,
          app,
        });
        if (resolved === undefined) {
          writes.needs.push({ versionId: cur.appVersionId, workspaceId: cur.workspaceId });
          break;
        }
        const operators = resolved ?? [];
        const task = (
          id: string,
          status: TaskInsert['status'],
          assignee: string | null,
          candidates: string | null,
        ): TaskInsert => ({
          id,
          workspace_id: cur.workspaceId,
          issue_id: cur.id,
          seq: effect.seq,
          app_id: cur.appId,
          node: effect.node,
          name: effect.name ?? null,
          lane: effect.lane ?? null,
          status,
          assignee,
          candidates,
          team: effect.team?.completion ?? null,
          buttons: effect.buttons ? JSON.stringify(effect.buttons) : null,
          due_at: effect.dueAt ?? null,
          deadline: effect.deadline ? JSON.stringify(effect.deadline) : null,
          created_at: now,
        });
        if (effect.team && operators.length > 0) {
          for (const operator of operators) {
            writes.taskInserts.push(task(`${cur.id}:${effect.seq}:${operator}`, 'allocated', operator, null));
          }
        } else {
          const only = operators.length === 1 ? operators[0]! : null;
          const id = `${cur.id}:${effect.seq}`;
          // null: the step has no swimlane rules, anyone in the workspace may take it;
          // []: the rules found nobody, a process manager must reassign it. Kept when one
          // candidate gets the task at once, so declining offers it to the same people.
          const candidates = resolved === null ? null : JSON.stringify(operators);
          writes.taskInserts.push(task(id, only ? 'allocated' : 'offered', only, candidates));
          for (const user of operators) {
            writes.candidateInserts.push({ task_id: id, user_id: user, workspace_id: cur.workspaceId });
          }
        }
        break;
      }
      case 'CloseTask':
        // The one task of a (non-team) seq this command completes is done already: nothing to close.
        if (completesOnly(item, effect.seq)) break;
        writes.taskCloses.push({ issue_id: cur.id, seq: effect.seq, status: 'cancelled', at: now });
        break;
      case 'ScheduleJob': {
        const lease = ctx.eagerLease?.();
        writes.jobInserts.push({
          issue_id: cur.id,
          seq: effect.seq,
          workspace_id: cur.workspaceId,
          kind: 'job',
          node: effect.node,
          payload: JSON.stringify(effect.automation),
          run_at: now,
          attempts: lease ? 1 : 0,
          locked_by: lease?.lockedBy ?? null,
          locked_until: lease?.lockedUntil ?? null,
          max_attempts: Math.max(1, effect.automation.maxAttempts ?? ctx.defaultMaxAttempts),
          idempotency_key: effect.idempotencyKey,
          created_at: now,
        });
        if (!lease) writes.wake = true;
        break;
      }
      case 'ScheduleTimer': {
        const runAt = new Date(effect.dueAt).toISOString();
        writes.jobInserts.push({
          issue_id: cur.id,
          seq: effect.seq,
          workspace_id: cur.workspaceId,
          kind: 'timer',
          node: effect.node,
          payload: null,
          run_at: runAt,
          attempts: 0,
          locked_by: null,
          locked_until: null,
          max_attempts: 1,
          idempotency_key: `${cur.id}:${effect.seq}`,
          created_at: now,
        });
        if (runAt <= now) writes.wake = true;
        break;
      }
      case 'SubscribeMessage':
        writes.subscriptionInserts.push({
          issue_id: cur.id,
          seq: effect.seq,
          workspace_id: cur.workspaceId,
          app_id: cur.appId,
          node: effect.node,
          key: effect.key ?? null,
          created_at: now,
        });
        break;
      case 'IncidentRaised':
        writes.incidentInserts.push({
          issue_id: cur.id,
          seq: effect.seq,
          workspace_id: cur.workspaceId,
          app_id: cur.appId,
          node: effect.node,
          code: effect.code,
          message: effect.message,
          created_at: now,
        });
        break;
      // CancelJob / CancelTimer / UnsubscribeMessage: covered by the ended waits above.
      // EndIssue: the issue row's status and ended_at come from the state.
      default:
        break;
    }
  }
}

/** The command completes the only task of `seq` (a task that is not a team step's). */
function completesOnly(item: CommandItem, seq: number): boolean {
  return (
    item.task !== undefined &&
    !item.task.team &&
    item.command.type === 'CompleteTask' &&
    item.command.seq === seq
  );
}
