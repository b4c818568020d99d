import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TaskView } from '../../../runtime/tasks.js';
import { hasAppAuthority } from '../../auth/authorities.js';
import type { Principal } from '../../auth/principal.js';
import { Forbidden, requirePrincipal } from '../../auth/principal.js';
import { NagareError, NotFound } from '../../errors.js';
import type { WorkflowContext } from './context.js';
import {
  BulkAcceptBody,
  BulkAccepted,
  errors,
  FlagsBody,
  ReassignBody,
  Task,
  TaskIdParams,
  TaskListQuery,
  TaskPage,
} from './schemas.js';

const tags = ['tasks'];

/** A cursor this server gave out is base64url JSON of two strings; anything else is refused up front. */
function checkCursor(cursor: string | undefined): void {
  if (cursor === undefined) return;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return;
  } catch {
    // refused below
  }
  throw new NagareError(
    'NAGARE_INVALID_CURSOR',
    'The cursor was not given out by this task list: start again without it',
  );
}

export function taskView(t: TaskView) {
  return {
    id: t.id,
    issueId: t.issueId,
    appId: t.appId,
    node: t.node,
    name: t.name,
    status: t.status,
    assignee: t.assignee,
    candidates: t.candidates === null ? null : [...t.candidates],
    dueAt: t.dueAt,
    createdAt: t.createdAt,
    starred: t.starred,
    read: t.read,
  };
}

/** My tasks and offered tasks (lists, pages), and the moves that change who holds a task. */
export const taskRoutes: FastifyPluginAsyncTypebox<{ ctx: WorkflowContext }> = async (app, { ctx }) => {
  const db = ctx.store.db;
  const runtime = ctx.runtime;
  const one = { params: TaskIdParams, response: { 200: Task, ...errors } };

  app.get(
    '/tasks',
    {
      schema: {
        summary:
          'My tasks (allocated to me) or offered tasks (offered to me): filter by App, deadline, star; sort; pages',
        tags,
        querystring: TaskListQuery,
        response: { 200: TaskPage, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const q = request.query;
      checkCursor(q.cursor);
      const page = await runtime.taskPage({
        workspaceId: p.workspaceId,
        userId: p.userId,
        view: q.view ?? 'mine',
        ...(q.appId === undefined ? {} : { appId: q.appId }),
        ...(q.starred === undefined ? {} : { starred: q.starred }),
        ...(q.dueBefore === undefined ? {} : { dueBefore: q.dueBefore }),
        ...(q.sort === undefined ? {} : { sort: q.sort }),
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
        limit: q.limit ?? 50,
      });
      return { items: page.tasks.map(taskView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  );

  app.post(
    '/tasks/:taskId/accept',
    { schema: { summary: 'Accept an offered task: it becomes mine', tags, ...one } },
    async (request) => {
      const p = requirePrincipal(request);
      return taskView(
        await runtime.acceptTask({
          workspaceId: p.workspaceId,
          userId: p.userId,
          taskId: request.params.taskId,
        }),
      );
    },
  );

  app.post(
    '/tasks/accept',
    {
      schema: {
        summary: 'Accept several offered tasks; each one that cannot be taken is listed with why',
        tags,
        body: BulkAcceptBody,
        response: { 200: BulkAccepted, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const results = await runtime.acceptTasks({
        workspaceId: p.workspaceId,
        userId: p.userId,
        taskIds: request.body.taskIds,
      });
      return {
        accepted: results.flatMap((r) => (r.ok ? [r.task.id] : [])),
        refused: results.flatMap((r) =>
          r.ok ? [] : [{ taskId: r.taskId, code: r.error.code, message: r.error.message }],
        ),
      };
    },
  );

  app.post(
    '/tasks/:taskId/decline',
    {
      schema: { summary: 'Give back a task I accepted: it is offered to its candidates again', tags, ...one },
    },
    async (request) => {
      const p = requirePrincipal(request);
      return taskView(
        await runtime.declineTask({
          workspaceId: p.workspaceId,
          userId: p.userId,
          taskId: request.params.taskId,
        }),
      );
    },
  );

  app.post(
    '/tasks/:taskId/reassign',
    {
      schema: {
        summary: 'Give an open task to a user of the workspace (process managers, App administrators)',
        tags,
        params: TaskIdParams,
        body: ReassignBody,
        response: { 200: Task, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const task = await runtime.getTask(request.params.taskId, { workspaceId: p.workspaceId });
      await requireManager(p, task.appId);
      const user = await db
        .selectFrom('workspace_user')
        .select('id')
        .where('workspace_id', '=', p.workspaceId)
        .where('id', '=', request.body.userId)
        .executeTakeFirst();
      if (!user) throw new NotFound('user', request.body.userId);
      return taskView(
        await runtime.reassignTask({
          workspaceId: p.workspaceId,
          taskId: task.id,
          to: user.id,
          by: p.userId,
        }),
      );
    },
  );

  app.put(
    '/tasks/:taskId/flags',
    {
      schema: {
        summary: 'Set my star and read marks on a task (mine, offered to me, or one I may see)',
        tags,
        params: TaskIdParams,
        body: FlagsBody,
        response: { 200: Task, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const task = await runtime.getTask(request.params.taskId, {
        workspaceId: p.workspaceId,
        userId: p.userId,
      });
      if (!(await concernsMe(p, task))) throw new NotFound('task', task.id);
      return taskView(
        await runtime.setTaskFlags({
          workspaceId: p.workspaceId,
          userId: p.userId,
          taskId: task.id,
          ...(request.body.starred === undefined ? {} : { starred: request.body.starred }),
          ...(request.body.read === undefined ? {} : { read: request.body.read }),
        }),
      );
    },
  );

  /** The task is or was mine, is offered to me, or I manage its App. */
  async function concernsMe(p: Principal, task: TaskView): Promise<boolean> {
    if (task.assignee === p.userId || task.completedBy === p.userId) return true;
    if (task.status === 'offered' && (task.candidates === null || task.candidates.includes(p.userId)))
      return true;
    return (
      (await hasAppAuthority(db, p, task.appId, 'processManager')) ||
      (await hasAppAuthority(db, p, task.appId, 'appAdministrator'))
    );
  }

  async function requireManager(p: Principal, appId: string): Promise<void> {
    if (
      (await hasAppAuthority(db, p, appId, 'processManager')) ||
      (await hasAppAuthority(db, p, appId, 'appAdministrator'))
    ) {
      return;
    }
    throw new Forbidden(
      `Only a process manager or App administrator of App "${appId}" may reassign its tasks`,
    );
  }
};
