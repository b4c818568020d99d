/**
 * The durable runtime: the engine's `decide` driven over the store (docs/runtime.md).
 *
 * Every change to an issue is a command through the group-commit executor: one transaction
 * writes the issue row (optimistic version check), its history events, task, job, incident
 * and subscription rows, all or nothing. Nothing another node would need is kept in memory:
 * the only caches are compiled app versions (immutable) and, for 1 s, which version of an
 * app is released.
 */

import {
  applyWrite,
  BpmnError,
  type Command,
  type CompiledApp,
  CompileError,
  compile,
  type DataValues,
  stepAccess,
  type TimerStartSpec,
} from '@nagare/engine';
import type { Kysely } from 'kysely';
import type { ConnectorRegistry } from '../connectors/connector.js';
import { createConnectorRegistry } from '../connectors/connector.js';
import { workspaceTimeZone } from '../identity/workspaces.js';
import type { Store } from '../store/database.js';
import type { ClaimedJob } from '../store/job-rows.js';
import { createRuntimeStore, type RuntimeStore } from '../store/runtime-store.js';
import type { Database } from '../store/schema.js';
import { AddonRounds } from './addon-starts.js';
import { AppCache } from './app-cache.js';
import { type AppView, armRelease, listApps, listVersions, type VersionView } from './apps.js';
import type { BatchItem, CommandOutcome, ItemResult, OperatorQuery } from './batch-program.js';
import { type Clock, iso, newId, systemClock } from './clock.js';
import { CommandExecutor, type ExecutorStats } from './command-executor.js';
import type { EagerSink } from './eager-jobs.js';
import { RuntimeError } from './errors.js';
import { fileIdsOf, foreignFileRefs } from './file-refs.js';
import { IssueCache } from './issue-cache.js';
import { LaneResolver } from './lane-resolver.js';
import {
  DEFAULT_WORKSPACE,
  getIssue,
  type IncidentFilter,
  type IncidentView,
  type IssueView,
  listIncidents,
  type PurgeResult,
  purge,
} from './reads.js';
import {
  acceptTask,
  declineTask,
  getTask,
  listTasks,
  type MoveContext,
  reassignTask,
  refuseCompletion,
  setTaskFlags,
  type TaskFilter,
  type TaskPage,
  type TaskView,
} from './tasks.js';
import { roundAt } from './timer-starts.js';
import { type VersionModel, VersionModels } from './version-model.js';
import { Worker, type WorkerEvent, type WorkerHost, type WorkerOptions } from './worker.js';
import { WorkspaceZones } from './workspace-zones.js';

export const DEFAULT_MAX_ATTEMPTS = 5;
/** How long this node trusts its memory of which version of an app is released. */
const RELEASED_CACHE_MS = 1_000;

export interface RuntimeOptions {
  readonly clock?: Clock;
  /** Issue and app ids; default time-ordered random ids. */
  readonly newId?: () => string;
  /**
   * The zone of an issue whose workspace has no row; default UTC. Every other issue's timers,
   * deadlines and dates, and an app's Timer Starts, go by its workspace's zone.
   */
  readonly timeZone?: string;
  readonly connectors?: ConnectorRegistry;
  /** Attempts of a job whose step sets no `maxAttempts`. */
  readonly defaultMaxAttempts?: number;
  /**
   * Who may do a task; default: the step's swimlane rules over the workspace's people in the
   * store (lane-resolver.ts). A function here replaces that (tests, embedding).
   */
  readonly operators?: (query: OperatorQuery) => readonly string[] | null;
  /** How long a workspace's people are trusted before they are read again (default 2 s). */
  readonly directoryTtlMs?: number;
  readonly maxBatch?: number;
  readonly maxInFlight?: number;
  /** Active issues kept as last committed, to skip reloading them (issue-cache.ts); 0 turns it off. */
  readonly issueCacheSize?: number;
}

export interface DeployInput {
  readonly workspaceId?: string;
  readonly bpmn: string;
  /** Add a version to this app; default: a new app. */
  readonly appId?: string;
  readonly name?: string;
  /** Release it at once (default true); a draft can be released later. */
  readonly release?: boolean;
  /** What this version changes (shown with the version list). */
  readonly note?: string;
}

export interface Deployed {
  readonly appId: string;
  readonly versionId: string;
  readonly version: number;
  readonly released: boolean;
  readonly warnings: CompiledApp['warnings'];
}

export interface StartInput {
  /** The workspace the caller acts in (default the default workspace): the app must be there. */
  readonly workspaceId?: string;
  readonly appId?: string;
  /** A specific version (e.g. a draft for a debug run); default the released one. */
  readonly versionId?: string;
  readonly issueId?: string;
  readonly data?: DataValues;
  readonly mode?: 'normal' | 'test';
  readonly by?: string;
  readonly startEvent?: string;
}

export interface CompleteInput {
  readonly workspaceId?: string;
  readonly taskId: string;
  readonly operator: string;
  /**
   * The form's values: given (even `{}`), they are checked as the step's form submission —
   * access, item rules and required items (INVALID_DATA); absent, nothing is written or checked.
   */
  readonly data?: DataValues;
  readonly button?: string;
  /** Uploaded files (FileStore refs) appended to their file items, after `data`'s value or the issue's. */
  readonly files?: Readonly<Record<string, readonly unknown[]>>;
  /**
   * File ids `data` may name besides the issue's own and `files`: the caller's saved form's
   * (task_draft). Any other file reference is refused (INVALID_DATA, FOREIGN_FILE; file-refs.ts).
   */
  readonly allowedFiles?: readonly string[];
}

/** Who moves which task, in which workspace (default the default one). */
export interface TaskMove {
  readonly workspaceId?: string;
  readonly taskId: string;
  readonly userId: string;
}

export type { AppView, VersionView } from './apps.js';
export type { IncidentView, IssueView, PurgeResult } from './reads.js';
export { DEFAULT_WORKSPACE } from './reads.js';

export class Runtime {
  readonly store: Store;
  readonly clock: Clock;
  readonly connectors: ConnectorRegistry;
  readonly timeZone: string;
  readonly #rs: RuntimeStore;
  readonly #apps: AppCache;
  /** Rounds of start events with an add-on (addon-starts.ts). */
  readonly #addonRounds: AddonRounds;
  readonly #executor: CommandExecutor;
  readonly #newId: () => string;
  readonly #lanes: LaneResolver;
  readonly #zones: WorkspaceZones;
  readonly #models: VersionModels;
  readonly #released = new Map<
    string,
    { entry: Promise<{ versionId: string; workspaceId: string }>; until: number }
  >();
  readonly #wakeListeners = new Set<() => void>();
  readonly #workers = new Set<Worker>();
  /** Local workers taking jobs straight from commits; the first one gets them. */
  readonly #eagerSinks: EagerSink[] = [];
  #listener: { close(): Promise<void> } | undefined;

  constructor(store: Store, options: RuntimeOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.connectors = options.connectors ?? createConnectorRegistry([]);
    this.timeZone = options.timeZone ?? 'UTC';
    this.#newId = options.newId ?? (() => newId(this.clock.now()));
    this.#models = new VersionModels(store.db);
    this.#lanes = new LaneResolver({
      db: store.db,
      clock: this.clock,
      models: this.#models,
      ...(options.directoryTtlMs === undefined ? {} : { ttlMs: options.directoryTtlMs }),
    });
    this.#zones = new WorkspaceZones(store.db, this.clock, this.timeZone);
    this.#rs = createRuntimeStore(store);
    this.#apps = new AppCache(store.db);
    this.#addonRounds = new AddonRounds({
      db: store.db,
      connectors: this.connectors,
      now: () => this.clock.now(),
      newId: () => this.#newId(),
      app: (versionId) => this.#loadApp(versionId),
      submit: (item) => this.#executor.submit(item),
    });
    this.#executor = new CommandExecutor({
      runner: this.#rs.runner,
      apps: this.#apps,
      clock: this.clock,
      timeZone: this.timeZone,
      defaultMaxAttempts: options.defaultMaxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      operators: options.operators ?? ((query) => this.#lanes.operators(query)),
      prepare: (versions, workspaces) => this.#lanes.prepare(versions, workspaces),
      maxBatch: options.maxBatch ?? 500,
      maxInFlight: options.maxInFlight ?? this.#rs.maxInFlight,
      onCommit: (writes) => {
        if (writes.some((w) => w.wake)) this.#wakeLocal();
      },
      eager: () => this.#eagerSinks[0],
      zones: this.#zones,
      cache: new IssueCache(options.issueCacheSize ?? 10_000),
    });
  }

  /** Transactions and commands so far (group commit: fewer transactions than commands). */
  get stats(): Readonly<ExecutorStats> {
    return this.#executor.stats;
  }

  // ---------------------------------------------------------------- apps

  /** Compiles and stores a version of an app; refuses BPMN that does not compile (COMPILE_FAILED, nothing stored). */
  async deploy(input: DeployInput): Promise<Deployed> {
    const app = await compileOrRefuse(input.bpmn);
    const db = this.store.db;
    const now = iso(this.clock.now());
    const versionId = this.#newId();
    const release = input.release ?? true;
    const workspaceId = input.workspaceId ?? DEFAULT_WORKSPACE;
    const { appId, version } = await db.transaction().execute(async (tx) => {
      let appId = input.appId;
      let version = 1;
      if (appId !== undefined) {
        const existing = await tx
          .selectFrom('app')
          .select('id')
          .where('id', '=', appId)
          .where('workspace_id', '=', workspaceId)
          .executeTakeFirst();
        if (existing === undefined) throw new RuntimeError('UNKNOWN_APP', `no app ${appId}`);
        const last = await tx
          .selectFrom('app_version')
          .select((eb) => eb.fn.max('version').as('v'))
          .where('app_id', '=', appId)
          .executeTakeFirst();
        version = Number(last?.v ?? 0) + 1;
      } else {
        appId = this.#newId();
        await tx
          .insertInto('app')
          .values({
            id: appId,
            workspace_id: workspaceId,
            name: input.name ?? app.name ?? app.processId,
            released_version_id: null,
            created_at: now,
          })
          .execute();
      }
      await tx
        .insertInto('app_version')
        .values({
          id: versionId,
          workspace_id: workspaceId,
          app_id: appId,
          version,
          status: 'draft',
          process_id: app.processId,
          bpmn: input.bpmn,
          created_at: now,
          released_at: null,
          note: input.note ?? null,
        })
        .execute();
      if (release) await this.#release(tx, appId, versionId, app, now, workspaceId);
      return { appId, version };
    });
    this.#apps.put(versionId, app);
    this.#released.delete(appId);
    return { appId, versionId, version, released: release, warnings: app.warnings };
  }

  /** The workspace's apps, by name. */
  listApps(options: { workspaceId?: string } = {}): Promise<AppView[]> {
    return listApps(this.store.db, options.workspaceId ?? DEFAULT_WORKSPACE);
  }
  listVersions(appId: string, options: { workspaceId?: string } = {}): Promise<VersionView[]> {
    return listVersions(this.store.db, options.workspaceId ?? DEFAULT_WORKSPACE, appId);
  }

  /** Makes a stored version the one new issues start on; re-arms its Timer Starts (never twice). */
  async release(versionId: string, options: { workspaceId?: string; note?: string } = {}): Promise<void> {
    const workspaceId = options.workspaceId ?? DEFAULT_WORKSPACE;
    const known = await this.store.db
      .selectFrom('app_version')
      .select('id')
      .where('id', '=', versionId)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (known === undefined) throw new RuntimeError('UNKNOWN_VERSION', `no app version ${versionId}`);
    const app = await this.#loadApp(versionId);
    const now = iso(this.clock.now());
    const appId = await this.store.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('app_version')
        .select('app_id')
        .where('id', '=', versionId)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      if (row === undefined) throw new RuntimeError('UNKNOWN_VERSION', `no app version ${versionId}`);
      if (options.note !== undefined) {
        await tx.updateTable('app_version').set({ note: options.note }).where('id', '=', versionId).execute();
      }
      await this.#release(tx, row.app_id, versionId, app, now, workspaceId);
      return row.app_id;
    });
    this.#released.delete(appId);
  }

  async #release(
    tx: Kysely<Database>,
    appId: string,
    versionId: string,
    app: CompiledApp,
    now: string,
    workspaceId: string,
  ): Promise<void> {
    const zone = (await workspaceTimeZone(tx, workspaceId)) ?? this.timeZone;
    if (await armRelease(tx, appId, versionId, app, now, workspaceId, zone)) this.#wakeLocal();
  }
  async #loadApp(versionId: string): Promise<CompiledApp> {
    try {
      return await this.#apps.load(versionId);
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError('STORE', `app version ${versionId} cannot be loaded: ${String(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * The app's released version, trusted for RELEASED_CACHE_MS. The lookup in flight is shared:
   * when the entry runs out under load, the callers waiting on it make one query, not one each.
   */
  #releasedVersion(appId: string): Promise<{ versionId: string; workspaceId: string }> {
    const cached = this.#released.get(appId);
    if (cached && cached.until > Date.now()) return cached.entry;
    const entry = this.#lookUpReleased(appId);
    const held = { entry, until: Number.POSITIVE_INFINITY };
    this.#released.set(appId, held);
    entry.then(
      () => {
        held.until = Date.now() + RELEASED_CACHE_MS;
      },
      () => {
        if (this.#released.get(appId) === held) this.#released.delete(appId);
      },
    );
    return entry;
  }

  async #lookUpReleased(appId: string): Promise<{ versionId: string; workspaceId: string }> {
    const row = await this.store.db
      .selectFrom('app')
      .select(['released_version_id', 'workspace_id'])
      .where('id', '=', appId)
      .executeTakeFirst();
    if (row === undefined) throw new RuntimeError('UNKNOWN_APP', `no app ${appId}`);
    if (row.released_version_id === null)
      throw new RuntimeError('NOT_RELEASED', `app ${appId} has no released version`);
    return { versionId: row.released_version_id, workspaceId: row.workspace_id };
  }

  // ---------------------------------------------------------------- commands

  /** Starts an issue; resolves after it is committed, with the engine's answer. */
  async startIssue(input: StartInput): Promise<CommandOutcome> {
    let appId = input.appId;
    let versionId = input.versionId;
    const workspaceId = input.workspaceId ?? DEFAULT_WORKSPACE;
    if (versionId === undefined) {
      if (appId === undefined)
        throw new RuntimeError('BAD_INPUT', 'startIssue needs an appId or a versionId');
      const released = await this.#releasedVersion(appId);
      if (released.workspaceId !== workspaceId) throw new RuntimeError('UNKNOWN_APP', `no app ${appId}`);
      versionId = released.versionId;
    } else {
      const row = await this.store.db
        .selectFrom('app_version')
        .select(['app_id', 'workspace_id'])
        .where('id', '=', versionId)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      if (row === undefined) throw new RuntimeError('UNKNOWN_VERSION', `no app version ${versionId}`);
      if (appId !== undefined && appId !== row.app_id) {
        throw new RuntimeError(
          'BAD_INPUT',
          `version ${versionId} belongs to app ${row.app_id}, not ${appId}`,
        );
      }
      appId = row.app_id;
    }
    if (!this.#apps.get(versionId)) await this.#loadApp(versionId);
    const issueId = input.issueId ?? this.#newId();
    if (issueId.includes(':') || issueId.trim() === '') {
      throw new RuntimeError('BAD_INPUT', `an issue id must be non-empty and without ":" (got "${issueId}")`);
    }
    return this.#command({
      kind: 'command',
      issueId,
      command: {
        type: 'StartIssue',
        issueId,
        ...(input.data ? { data: input.data } : {}),
        ...(input.mode ? { mode: input.mode } : {}),
        ...(input.by ? { by: input.by } : {}),
        ...(input.startEvent ? { startEvent: input.startEvent } : {}),
      },
      start: { appId, appVersionId: versionId, workspaceId },
    });
  }

  /** Completes a task (`issueId:seq`, or `issueId:seq:operator` for a team step's task). */
  async completeTask(input: CompleteInput): Promise<CommandOutcome> {
    const parts = input.taskId.split(':');
    const seq = Number(parts[1]);
    if (parts.length < 2 || parts.length > 3 || parts[0] === '' || !Number.isInteger(seq) || seq < 1) {
      throw new RuntimeError('UNKNOWN_TASK', `no task ${input.taskId}`);
    }
    const workspaceId = input.workspaceId ?? DEFAULT_WORKSPACE;
    const data =
      input.data !== undefined || input.files !== undefined
        ? await this.#taskWrite(input, parts[0]!, workspaceId)
        : undefined;
    return this.#command({
      kind: 'command',
      issueId: parts[0]!,
      workspace: workspaceId,
      command: {
        type: 'CompleteTask',
        seq,
        operator: input.operator,
        ...(data && Object.keys(data).length > 0 ? { data } : {}),
        ...(input.button ? { button: input.button } : {}),
      },
      task: { id: input.taskId, team: parts.length === 3 },
    });
  }

  /**
   * A task's data, as the step's access allows (issue 5), checked here only (the API's finish
   * route leaves it to this): first the task must be open and the operator's (TASK_NOT_OPEN,
   * NOT_YOUR_TASK — so nobody else learns anything about the form), then writes to hidden,
   * read-only, computed or undeclared items are refused (INVALID_DATA, each problem naming its
   * item) and required items must have a value. Read-only and computed values sent back
   * unchanged are not writes (a form posts what it shows); a hidden item is refused whatever
   * its value, so a guess cannot be confirmed. Files are appended to their items; a file
   * reference must be the issue's (same item), uploaded with this request or in
   * `allowedFiles` (file-refs.ts), checked before anything else about the data. An app
   * without numbered data item definitions is checked by the engine against its item types only.
   */
  async #taskWrite(input: CompleteInput, issueId: string, workspaceId: string): Promise<DataValues> {
    const [issueRead, taskRead] = await Promise.allSettled([
      this.getIssue(issueId, { history: false, workspaceId }),
      getTask(this.store.db, workspaceId, input.taskId),
    ]);
    if (issueRead.status === 'rejected') throw issueRead.reason;
    if (taskRead.status === 'rejected') throw taskRead.reason;
    const issue = issueRead.value;
    const task = taskRead.value;
    refuseCompletion(task, input.operator);
    const current = issue.state.data;
    const incoming: Record<string, unknown> = { ...(input.data ?? {}) };
    for (const [field, refs] of Object.entries(input.files ?? {})) {
      const base = Object.hasOwn(incoming, field) ? incoming[field] : current[field];
      incoming[field] = [...(Array.isArray(base) ? base : []), ...refs];
    }
    const model = await this.#models.load(issue.appVersionId);
    const uploaded = Object.values(input.files ?? {}).flatMap((refs) => fileIdsOf({ refs }));
    const foreign = foreignFileRefs(model.items, current, incoming, [
      ...uploaded,
      ...(input.allowedFiles ?? []),
    ]);
    if (foreign.length > 0) {
      const what = foreign.map((e) => e.message).join('; ');
      throw new RuntimeError('INVALID_DATA', `task ${input.taskId}: ${what}`, { details: foreign });
    }
    if (model.items.length === 0) return incoming;
    const written = applyWrite(model.items, current, incoming, stepAccess(model.access, task.node), {
      finish: true,
    });
    if (!written.ok) {
      const what = written.errors.map((e) => e.message).join('; ');
      throw new RuntimeError('INVALID_DATA', `task ${input.taskId}: ${what}`, { details: written.errors });
    }
    return Object.fromEntries(written.changed.map((key) => [key, written.values[key]]));
  }

  /** A version's compiled process (compiled once per process and kept). */
  compiledApp(versionId: string): Promise<CompiledApp> {
    return this.#loadApp(versionId);
  }

  /** What a version's BPMN says besides its process: lanes, data items, access matrix. */
  versionModel(versionId: string): Promise<VersionModel> {
    return this.#models.load(versionId);
  }

  deliverMessage(input: {
    workspaceId?: string;
    issueId: string;
    node: string;
    key?: string;
    data?: DataValues;
    /** Who delivered it (a user, or an API client's user) and through which OAuth client: the history keeps both. */
    by?: string;
    client?: string;
  }): Promise<CommandOutcome> {
    return this.submit(
      input.issueId,
      {
        type: 'MessageReceived',
        node: input.node,
        ...(input.key === undefined ? {} : { key: input.key }),
        ...(input.data ? { data: input.data } : {}),
        ...(input.by === undefined ? {} : { by: input.by }),
        ...(input.client === undefined ? {} : { client: input.client }),
      },
      input.workspaceId,
    );
  }

  cancelIssue(
    issueId: string,
    options: { reason?: string; by?: string; workspaceId?: string } = {},
  ): Promise<CommandOutcome> {
    const { workspaceId, ...cancel } = options;
    return this.submit(issueId, { type: 'CancelIssue', ...cancel }, workspaceId);
  }

  /** An administrator's retry of an incident (by its seq), optionally fixing data first; `by`: who (in the history). */
  retryIncident(
    issueId: string,
    incident: number,
    data?: DataValues,
    workspaceId?: string,
    by?: string,
  ): Promise<CommandOutcome> {
    return this.submit(
      issueId,
      { type: 'RetryIncident', incident, ...(data ? { data } : {}), ...(by === undefined ? {} : { by }) },
      workspaceId,
    );
  }

  /** Any command on an existing issue. Worker results go through workers (they carry the lease). */
  submit(issueId: string, command: Command, workspaceId?: string): Promise<CommandOutcome> {
    if (command.type === 'StartIssue') {
      return Promise.reject(new RuntimeError('BAD_INPUT', 'use startIssue to start an issue'));
    }
    return this.#command({
      kind: 'command',
      issueId,
      command,
      ...(workspaceId === undefined ? {} : { workspace: workspaceId }),
    });
  }

  async #command(item: BatchItem): Promise<CommandOutcome> {
    const result = await this.#executor.submit(item);
    if (!result.ok) throw result.error;
    return result.outcome as CommandOutcome;
  }

  // ---------------------------------------------------------------- reads

  /** An issue; `workspaceId` (default: any) makes an issue of another workspace unknown. */
  getIssue(issueId: string, options: { history?: boolean; workspaceId?: string } = {}): Promise<IssueView> {
    return getIssue(this.store.db, issueId, options);
  }
  /** Tasks of a workspace (default the default one), as one list of up to `limit` (1,000). */
  async listTasks(filter: TaskFilter = {}): Promise<TaskView[]> {
    return (await this.taskPage(filter)).tasks;
  }

  /** A page of tasks: views (mine, offered to me), filters, sort and a cursor for the next page. */
  taskPage(filter: TaskFilter = {}): Promise<TaskPage> {
    return listTasks(this.store.db, filter.workspaceId ?? DEFAULT_WORKSPACE, filter);
  }

  getTask(taskId: string, options: { workspaceId?: string; userId?: string } = {}): Promise<TaskView> {
    return getTask(this.store.db, options.workspaceId ?? DEFAULT_WORKSPACE, taskId, options.userId);
  }

  acceptTask(input: TaskMove): Promise<TaskView> {
    const ws = input.workspaceId ?? DEFAULT_WORKSPACE;
    return acceptTask(this.store.db, ws, input.taskId, input.userId, this.#moveContext());
  }

  /** Accepts each task it can; one refusal does not stop the others. */
  async acceptTasks(
    input: Omit<TaskMove, 'taskId'> & { taskIds: readonly string[] },
  ): Promise<({ ok: true; task: TaskView } | { ok: false; taskId: string; error: RuntimeError })[]> {
    const results = [];
    for (const taskId of input.taskIds) {
      try {
        results.push({ ok: true as const, task: await this.acceptTask({ ...input, taskId }) });
      } catch (error) {
        if (!(error instanceof RuntimeError)) throw error;
        results.push({ ok: false as const, taskId, error });
      }
    }
    return results;
  }

  declineTask(input: TaskMove): Promise<TaskView> {
    const ws = input.workspaceId ?? DEFAULT_WORKSPACE;
    return declineTask(this.store.db, ws, input.taskId, input.userId, this.#moveContext());
  }

  /** Gives an open task to `to`; the caller checks that the actor is an app administrator or process manager. */
  reassignTask(input: { workspaceId?: string; taskId: string; to: string; by?: string }): Promise<TaskView> {
    const ws = input.workspaceId ?? DEFAULT_WORKSPACE;
    return reassignTask(this.store.db, ws, input.taskId, input.to, input.by ?? null, this.#moveContext());
  }

  #moveContext(): MoveContext {
    return { at: iso(this.clock.now()), eventId: this.#newId() };
  }

  setTaskFlags(input: TaskMove & { starred?: boolean; read?: boolean }): Promise<TaskView> {
    const flags = {
      ...(input.starred === undefined ? {} : { starred: input.starred }),
      ...(input.read === undefined ? {} : { read: input.read }),
    };
    const now = iso(this.clock.now());
    return setTaskFlags(
      this.store.db,
      input.workspaceId ?? DEFAULT_WORKSPACE,
      input.taskId,
      input.userId,
      flags,
      now,
    );
  }

  listIncidents(filter: IncidentFilter = {}): Promise<IncidentView[]> {
    return listIncidents(this.store.db, filter);
  }
  // ---------------------------------------------------------------- workers and timers

  /** A worker over this runtime; call `start()` to run it, or `runOnce()` in tests. */
  createWorker(options: WorkerOptions = {}): Worker {
    if (this.#listener === undefined) this.#listener = this.#rs.listen(() => this.#wakeLocal());
    const worker = new Worker(this.#host(), options);
    this.#workers.add(worker);
    return worker;
  }

  /** Fires the Timer Starts that are due (each claimed with a lease); returns the issues started. */
  async runTimerStarts(
    workerId = `timers-${newId()}`,
    leaseMs = 60_000,
    onEvent?: (event: WorkerEvent) => void,
    /** Workers: a start event's add-on runs on while the worker goes on (its row stays leased). */
    detach = false,
  ): Promise<number> {
    const now = this.clock.now();
    const rows = await this.#rs.claimTimerStarts({
      workerId,
      now: iso(now),
      leaseUntil: iso(now + leaseMs),
      limit: 20,
    });
    let started = 0;
    for (const row of rows) {
      const spec = JSON.parse(row.spec) as TimerStartSpec;
      const position = {
        armedAt: Date.parse(row.armed_at),
        lastFiredAt: row.last_fired_at === null ? null : Date.parse(row.last_fired_at),
        fired: row.fired,
      };
      let round: ReturnType<typeof roundAt>;
      try {
        round = roundAt(spec, row.time_zone, position, now, 1);
      } catch (error) {
        onEvent?.({ type: 'error', error });
        continue;
      }
      if (!this.#apps.get(row.app_version_id)) await this.#loadApp(row.app_version_id);
      if (spec.automation && round.dueAt !== null) {
        const args = [row, spec, round, workerId, leaseMs, onEvent] as const;
        if (detach) this.#addonRounds.detach(...args);
        else started += await this.#addonRounds.run(...args);
        continue;
      }
      const starts = Array.from({ length: round.count }, () => {
        const issueId = this.#newId();
        return {
          kind: 'command' as const,
          issueId,
          command: { type: 'StartIssue' as const, issueId, startEvent: row.node },
          start: { appId: row.app_id, appVersionId: row.app_version_id, workspaceId: row.workspace_id },
        };
      });
      const result = await this.#executor.submit({
        kind: 'timerRound',
        starts,
        advance: {
          app_id: row.app_id,
          node: row.node,
          locked_by: workerId,
          last_fired_at: round.dueAt === null ? row.last_fired_at : iso(round.dueAt),
          next_at: round.nextAt === null ? null : iso(round.nextAt),
          fired: row.fired + (round.dueAt === null ? 0 : 1),
        },
      });
      if (result.ok) {
        const n = result.started?.length ?? 0;
        started += n;
        onEvent?.({ type: 'timerStart:round', app: row.app_id, node: row.node, started: n });
      } else onEvent?.({ type: 'error', error: result.error });
    }
    return started;
  }

  #host(): WorkerHost {
    const rs = this.#rs;
    const db = this.store.db;
    return {
      clock: this.clock,
      connectors: this.connectors,
      claimJobs: (workerId, limit, leaseMs, timerLimit) => {
        const now = this.clock.now();
        const args = {
          workerId,
          now: iso(now),
          leaseUntil: iso(now + leaseMs),
          limit,
          ...(timerLimit === undefined ? {} : { timerLimit }),
        };
        return rs.claimJobs(args);
      },
      submit: (job: ClaimedJob, workerId: string, command: Command): Promise<ItemResult> =>
        this.#executor.submit({
          kind: 'command',
          issueId: job.issue_id,
          command,
          fence: { lockedBy: workerId, attempts: job.attempts },
        }),
      retryLater: async (job, workerId, runAt, error) => {
        const r = await db
          .updateTable('job')
          .set({ run_at: runAt, locked_by: null, locked_until: null, last_error: error })
          .where('issue_id', '=', job.issue_id)
          .where('seq', '=', job.seq)
          .where('locked_by', '=', workerId)
          .where('attempts', '=', job.attempts)
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1;
      },
      release: async (job, workerId) => {
        await db
          .updateTable('job')
          .set((eb) => ({ locked_by: null, locked_until: null, attempts: eb('attempts', '-', 1) }))
          .where('issue_id', '=', job.issue_id)
          .where('seq', '=', job.seq)
          .where('locked_by', '=', workerId)
          .where('attempts', '=', job.attempts)
          .execute();
      },
      loadIssue: async (issueId) => {
        const issue = await this.getIssue(issueId, { history: false });
        const starterId = issue.state.starter;
        const [timeZone, starter] = await Promise.all([
          workspaceTimeZone(db, issue.workspaceId),
          starterId === undefined
            ? undefined
            : db
                .selectFrom('workspace_user')
                .select(['name', 'email'])
                .where('workspace_id', '=', issue.workspaceId)
                .where('id', '=', starterId)
                .executeTakeFirst(),
        ]);
        return {
          id: issue.id,
          workspaceId: issue.workspaceId,
          appId: issue.appId,
          appVersionId: issue.appVersionId,
          mode: issue.mode,
          startedAt: issue.startedAt,
          data: issue.state.data,
          app: await this.#apps.load(issue.appVersionId),
          ...(timeZone === undefined ? {} : { timeZone }),
          ...(starterId === undefined
            ? {}
            : { starter: { id: starterId, name: starter?.name ?? null, email: starter?.email ?? null } }),
        };
      },
      attachEager: (sink) => {
        this.#eagerSinks.push(sink);
        return () => {
          const at = this.#eagerSinks.indexOf(sink);
          if (at >= 0) this.#eagerSinks.splice(at, 1);
        };
      },
      runTimerStarts: (workerId, leaseMs, onEvent) => this.runTimerStarts(workerId, leaseMs, onEvent, true),
      onWake: (listener) => {
        this.#wakeListeners.add(listener);
        return () => this.#wakeListeners.delete(listener);
      },
      nextDue: async (kind) => {
        let query = db
          .selectFrom('job')
          .select((eb) => eb.fn.min('run_at').as('next'))
          .where('locked_until', 'is', null);
        if (kind === 'timer') query = query.where('kind', '=', 'timer');
        else if (kind === 'job') query = query.where('kind', '<>', 'timer');
        const row = await query.executeTakeFirst();
        return row?.next == null ? undefined : Date.parse(row.next);
      },
    };
  }

  #wakeLocal(): void {
    for (const listener of this.#wakeListeners) listener();
  }

  // ---------------------------------------------------------------- retention

  /**
   * Deletes the history events and closed tasks of issues that ended before `endedBefore`,
   * at most `limit` issues per call (call again until it returns 0 issues). With
   * `deleteIssues` the issue rows and their incidents go too.
   */
  purge(options: {
    endedBefore: string | number;
    limit?: number;
    deleteIssues?: boolean;
  }): Promise<PurgeResult> {
    return purge(this.store.db, options);
  }
  /** Stops the workers (gracefully), then commits what is queued. Does not close the store. */
  async close(): Promise<void> {
    await Promise.all([...this.#workers].map((w) => w.stop()));
    await this.#addonRounds.close();
    await this.#executor.close();
    await this.#listener?.close();
    this.#listener = undefined;
    await this.#rs.close();
  }
}

export function createRuntime(store: Store, options: RuntimeOptions = {}): Runtime {
  return new Runtime(store, options);
}

async function compileOrRefuse(bpmn: string): Promise<CompiledApp> {
  if (typeof bpmn !== 'string' || bpmn.trim() === '')
    throw new RuntimeError('COMPILE_FAILED', 'the BPMN is empty');
  try {
    return await compile(bpmn);
  } catch (error) {
    if (error instanceof CompileError || error instanceof BpmnError) {
      const problems = (error as { problems?: unknown }).problems;
      throw new RuntimeError('COMPILE_FAILED', `the BPMN does not compile: ${error.message}`, {
        details: problems,
        cause: error,
      });
    }
    throw new RuntimeError('COMPILE_FAILED', `the BPMN does not compile: ${String(error)}`, { cause: error });
  }
}
