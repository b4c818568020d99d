/**
 * Tasks as people see them (issue 5): the lists (my tasks, offered to me), and the moves that
 * change who holds a task without moving the issue — accept, decline, reassign — plus each
 * user's star and read marks. Completing a task is a command (runtime.completeTask); who may
 * complete it is checked in the same write (store/<dialect>/*-batch.ts).
 *
 * Who may act: while a task is offered, its candidates (task_candidate), or anyone in the
 * workspace when its step has no swimlane rules (candidates null); once allocated, its assignee.
 * Every query is scoped by workspace: a task of another workspace is unknown.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, TaskTable } from '../store/schema.js';
import { RuntimeError } from './errors.js';

export interface TaskView {
  readonly id: string;
  readonly issueId: string;
  readonly seq: number;
  readonly appId: string;
  readonly node: string;
  readonly name: string | null;
  readonly lane: string | null;
  readonly status: TaskTable['status'];
  readonly assignee: string | null;
  /** null: anyone in the workspace may take it (no swimlane rules); else the resolved users. */
  readonly candidates: readonly string[] | null;
  readonly team: string | null;
  readonly buttons: readonly { readonly flow: string; readonly label: string }[] | null;
  readonly dueAt: string | null;
  readonly createdAt: string;
  readonly endedAt: string | null;
  readonly completedBy: string | null;
  /** The asking user's marks (false when the list was not asked for a user). */
  readonly starred: boolean;
  readonly read: boolean;
}

export interface TaskFilter {
  readonly workspaceId?: string;
  readonly issueId?: string;
  readonly appId?: string;
  readonly node?: string;
  /** Default: open tasks (offered or allocated). */
  readonly status?: TaskTable['status'] | 'open' | 'any';
  readonly assignee?: string;
  /** Whose view: marks are this user's; `view` needs it. */
  readonly userId?: string;
  /** `mine`: allocated to the user; `offered`: offered to the user (a candidate, or open to anyone). */
  readonly view?: 'mine' | 'offered';
  readonly starred?: boolean;
  /** Only tasks due before this instant (ISO). */
  readonly dueBefore?: string;
  /** `created` (default, oldest first) or `due` (soonest first; tasks without a due time last). */
  readonly sort?: 'created' | 'due';
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
  readonly limit?: number;
}

export interface TaskPage {
  readonly tasks: TaskView[];
  readonly nextCursor?: string;
}

const FAR = '9999-12-31T23:59:59.999Z';

type TaskRow = TaskTable & { starred: number | null; read: number | null };

/** The workspace's tasks with one user's marks. */
function taskQuery(db: Kysely<Database>, workspaceId: string, userId: string) {
  return db
    .selectFrom('task')
    .leftJoin('task_flag as f', (join) =>
      join.onRef('f.task_id', '=', 'task.id').on('f.user_id', '=', userId),
    )
    .selectAll('task')
    .select(['f.starred', 'f.read'])
    .where('task.workspace_id', '=', workspaceId);
}

export async function listTasks(
  db: Kysely<Database>,
  workspaceId: string,
  filter: TaskFilter,
): Promise<TaskPage> {
  const limit = Math.min(Math.max(1, filter.limit ?? 1_000), 1_000);
  const user = filter.userId ?? '';
  let q = taskQuery(db, workspaceId, user);
  if (filter.issueId !== undefined) q = q.where('task.issue_id', '=', filter.issueId);
  if (filter.appId !== undefined) q = q.where('task.app_id', '=', filter.appId);
  if (filter.node !== undefined) q = q.where('task.node', '=', filter.node);
  if (filter.assignee !== undefined) q = q.where('task.assignee', '=', filter.assignee);
  const status = filter.status ?? 'open';
  if (status === 'open') q = q.where('task.status', 'in', ['offered', 'allocated']);
  else if (status !== 'any') q = q.where('task.status', '=', status);
  if (filter.view !== undefined) {
    if (filter.userId === undefined)
      throw new RuntimeError('BAD_INPUT', `view "${filter.view}" needs a userId`);
    if (filter.view === 'mine')
      q = q.where('task.assignee', '=', user).where('task.status', '=', 'allocated');
    else {
      q = q
        .where('task.status', '=', 'offered')
        .where((eb) =>
          eb.or([
            eb('task.candidates', 'is', null),
            eb.exists(
              eb
                .selectFrom('task_candidate as c')
                .select(sql`1`.as('one'))
                .whereRef('c.task_id', '=', 'task.id')
                .where('c.user_id', '=', user),
            ),
          ]),
        );
    }
  }
  if (filter.starred !== undefined) {
    q = filter.starred
      ? q.where('f.starred', '=', 1)
      : q.where((eb) => eb.or([eb('f.starred', 'is', null), eb('f.starred', '=', 0)]));
  }
  if (filter.dueBefore !== undefined) q = q.where('task.due_at', '<', filter.dueBefore);
  const byDue = filter.sort === 'due';
  const key = byDue ? sql<string>`coalesce(task.due_at, ${FAR})` : sql<string>`task.created_at`;
  const after = decodeTaskCursor(filter.cursor);
  if (after)
    q = q.where((eb) =>
      eb.or([eb(key, '>', after[0]), eb.and([eb(key, '=', after[0]), eb('task.id', '>', after[1])])]),
    );
  const rows = await q
    .orderBy(key)
    .orderBy('task.id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map(toView);
  if (rows.length <= limit) return { tasks: page };
  const last = rows[limit - 1]!;
  const lastKey = byDue ? (last.due_at ?? FAR) : last.created_at;
  return { tasks: page, nextCursor: Buffer.from(JSON.stringify([lastKey, last.id])).toString('base64url') };
}

function decodeTaskCursor(cursor: string | undefined): [string, string] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const pair: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(pair) && pair.length === 2 && pair.every((x) => typeof x === 'string')) {
      return pair as [string, string];
    }
  } catch {
    // refused below
  }
  throw new RuntimeError('BAD_INPUT', 'cursor is not one this list returned (pass nextCursor as it is)');
}

function toView(r: TaskRow): TaskView {
  return {
    id: r.id,
    issueId: r.issue_id,
    seq: r.seq,
    appId: r.app_id,
    node: r.node,
    name: r.name,
    lane: r.lane,
    status: r.status,
    assignee: r.assignee,
    candidates: r.candidates === null ? null : (JSON.parse(r.candidates) as string[]),
    team: r.team,
    buttons: r.buttons === null ? null : (JSON.parse(r.buttons) as TaskView['buttons'] & object),
    dueAt: r.due_at,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    completedBy: r.completed_by,
    starred: r.starred === 1,
    read: r.read === 1,
  };
}

/** One task of the workspace, or UNKNOWN_TASK. */
export async function getTask(
  db: Kysely<Database>,
  workspaceId: string,
  taskId: string,
  userId = '',
): Promise<TaskView> {
  const row = await taskQuery(db, workspaceId, userId).where('task.id', '=', taskId).executeTakeFirst();
  if (row === undefined) throw new RuntimeError('UNKNOWN_TASK', `no task ${taskId}`);
  return toView(row);
}

/** May `userId` take or complete this open task (before anyone else holds it)? */
export async function isCandidate(db: Kysely<Database>, task: TaskView, userId: string): Promise<boolean> {
  if (task.candidates === null) return true;
  const row = await db
    .selectFrom('task_candidate')
    .select('user_id')
    .where('task_id', '=', task.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

function openOrRefuse(task: TaskView): void {
  if (task.status !== 'offered' && task.status !== 'allocated') {
    throw new RuntimeError('TASK_NOT_OPEN', `task ${task.id} is ${task.status}`, {
      details: { status: task.status },
    });
  }
}

/**
 * Refuses, before its data is looked at, a completion `userId` cannot make: the task is done or
 * cancelled (TASK_NOT_OPEN, `details.status`), or it is neither allocated to them nor offered to
 * them (NOT_YOUR_TASK). The batch checks the holder again in the completion's own write.
 */
export function refuseCompletion(task: TaskView, userId: string): void {
  openOrRefuse(task);
  const mine =
    task.status === 'allocated'
      ? task.assignee === userId
      : task.candidates === null || task.candidates.includes(userId);
  if (!mine) {
    throw new RuntimeError(
      'NOT_YOUR_TASK',
      `task ${task.id} is not ${userId}'s: only its assignee or, while it is offered, a candidate may complete it`,
    );
  }
}

/** When a move happens and the id of its `task_event` row (the runtime's clock and id source). */
export interface MoveContext {
  readonly at: string;
  readonly eventId: string;
}

/**
 * Changes who holds an open task, if it still is as `expect` says, and appends the move to
 * `task_event` in the same transaction (the process log's allocation history).
 */
async function move(
  db: Kysely<Database>,
  task: TaskView,
  workspaceId: string,
  change: { status: 'offered' | 'allocated'; assignee: string | null },
  expect: { status: readonly TaskTable['status'][]; assignee?: string },
  event: { kind: 'accepted' | 'declined' | 'reassigned'; by: string | null },
  ctx: MoveContext,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    let update = tx
      .updateTable('task')
      .set(change)
      .where('id', '=', task.id)
      .where('workspace_id', '=', workspaceId)
      .where('status', 'in', expect.status);
    if (expect.assignee !== undefined) update = update.where('assignee', '=', expect.assignee);
    const r = await update.executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await tx
      .insertInto('task_event')
      .values({
        id: ctx.eventId,
        workspace_id: workspaceId,
        issue_id: task.issueId,
        task_id: task.id,
        node: task.node,
        kind: event.kind,
        by: event.by,
        previous: task.assignee,
        assignee: change.assignee,
        at: ctx.at,
      })
      .execute();
    return true;
  });
}

/** An offered task becomes the user's (a candidate's). */
export async function acceptTask(
  db: Kysely<Database>,
  workspaceId: string,
  taskId: string,
  userId: string,
  ctx: MoveContext,
): Promise<TaskView> {
  const task = await getTask(db, workspaceId, taskId, userId);
  openOrRefuse(task);
  if (task.status === 'allocated') {
    if (task.assignee === userId) return task;
    throw new RuntimeError('TASK_NOT_OPEN', `task ${taskId} has been accepted by someone else`);
  }
  if (!(await isCandidate(db, task, userId))) {
    throw new RuntimeError('NOT_YOUR_TASK', `task ${taskId} is not offered to ${userId}`);
  }
  const moved = await move(
    db,
    task,
    workspaceId,
    { status: 'allocated', assignee: userId },
    { status: ['offered'] },
    { kind: 'accepted', by: userId },
    ctx,
  );
  if (!moved) throw new RuntimeError('TASK_NOT_OPEN', `task ${taskId} was accepted or closed meanwhile`);
  return getTask(db, workspaceId, taskId, userId);
}

/** The assignee gives an accepted task back: it is offered to its candidates again. */
export async function declineTask(
  db: Kysely<Database>,
  workspaceId: string,
  taskId: string,
  userId: string,
  ctx: MoveContext,
): Promise<TaskView> {
  const task = await getTask(db, workspaceId, taskId, userId);
  openOrRefuse(task);
  if (task.status !== 'allocated' || task.assignee !== userId) {
    throw new RuntimeError('NOT_YOUR_TASK', `task ${taskId} is not held by ${userId}`);
  }
  if (task.id.split(':').length === 3) {
    throw new RuntimeError('BAD_INPUT', `task ${taskId} is a team member's own task: it cannot be declined`);
  }
  const moved = await move(
    db,
    task,
    workspaceId,
    { status: 'offered', assignee: null },
    { status: ['allocated'], assignee: userId },
    { kind: 'declined', by: userId },
    ctx,
  );
  if (!moved) throw new RuntimeError('TASK_NOT_OPEN', `task ${taskId} changed meanwhile`);
  return getTask(db, workspaceId, taskId, userId);
}

/** An app administrator or process manager (`by`; checked by the caller) gives an open task to someone. */
export async function reassignTask(
  db: Kysely<Database>,
  workspaceId: string,
  taskId: string,
  to: string,
  by: string | null,
  ctx: MoveContext,
): Promise<TaskView> {
  if (typeof to !== 'string' || to.trim() === '')
    throw new RuntimeError('BAD_INPUT', 'reassign needs the user to give the task to');
  const task = await getTask(db, workspaceId, taskId);
  openOrRefuse(task);
  const moved = await move(
    db,
    task,
    workspaceId,
    { status: 'allocated', assignee: to },
    { status: ['offered', 'allocated'] },
    { kind: 'reassigned', by },
    ctx,
  );
  if (!moved) throw new RuntimeError('TASK_NOT_OPEN', `task ${taskId} closed meanwhile`);
  return getTask(db, workspaceId, taskId, to);
}

/** Sets the user's star and/or read mark on a task of the workspace. */
export async function setTaskFlags(
  db: Kysely<Database>,
  workspaceId: string,
  taskId: string,
  userId: string,
  flags: { readonly starred?: boolean; readonly read?: boolean },
  now: string,
): Promise<TaskView> {
  await getTask(db, workspaceId, taskId);
  const starred = flags.starred === undefined ? undefined : flags.starred ? 1 : 0;
  const read = flags.read === undefined ? undefined : flags.read ? 1 : 0;
  await db
    .insertInto('task_flag')
    .values({
      task_id: taskId,
      user_id: userId,
      workspace_id: workspaceId,
      starred: starred ?? 0,
      read: read ?? 0,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['task_id', 'user_id']).doUpdateSet({
        ...(starred === undefined ? {} : { starred }),
        ...(read === undefined ? {} : { read }),
        updated_at: now,
      }),
    )
    .execute();
  return getTask(db, workspaceId, taskId, userId);
}
