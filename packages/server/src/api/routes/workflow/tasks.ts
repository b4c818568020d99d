import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type SqlBool, sql } from 'kysely';
import { requirePrincipal } from '../../auth/principal.js';
import { NagareError } from '../../errors.js';
import { candidatesOf } from './access.js';
import type { WorkflowContext } from './context.js';
import { errors, TaskListQuery, TaskPage } from './schemas.js';

const tags = ['tasks'];

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as [string, string];
    }
  } catch {
    // fall through
  }
  throw new NagareError(
    'NAGARE_INVALID_CURSOR',
    'The cursor was not given out by this task list: start again without it',
  );
}

/** My tasks and the tasks offered to me, filtered, sorted, in cursor pages. */
export const taskRoutes: FastifyPluginAsyncTypebox<{ ctx: WorkflowContext }> = async (app, { ctx }) => {
  const db = ctx.store.db;

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
      const query = request.query;
      const limit = query.limit ?? 50;
      const sort = query.sort ?? 'created';
      const byDue = sort === 'due' || sort === '-due';
      const desc = sort.startsWith('-');
      // Tasks without a deadline sort after those with one ('~' is after every digit).
      const key = byDue ? sql<string>`coalesce(task.due_at, '~')` : sql<string>`task.created_at`;
      let q = db
        .selectFrom('task')
        .leftJoin('task_flag', (join) =>
          join
            .onRef('task_flag.task_id', '=', 'task.id')
            .on('task_flag.user_id', '=', p.userId)
            .on('task_flag.workspace_id', '=', p.workspaceId),
        )
        .select([
          'task.id',
          'task.issue_id',
          'task.app_id',
          'task.node',
          'task.name',
          'task.status',
          'task.assignee',
          'task.candidates',
          'task.due_at',
          'task.created_at',
          'task_flag.starred',
          key.as('sort_key'),
        ])
        .where('task.workspace_id', '=', p.workspaceId);
      q =
        query.view === 'offered'
          ? q
              .where('task.status', '=', 'offered')
              .where('task.candidates', 'like', `%${JSON.stringify(p.userId)}%`)
          : q.where('task.status', '=', 'allocated').where('task.assignee', '=', p.userId);
      if (query.appId !== undefined) q = q.where('task.app_id', '=', query.appId);
      if (query.dueBefore !== undefined) q = q.where('task.due_at', '<', query.dueBefore);
      if (query.starred === true) q = q.where('task_flag.starred', '=', 1);
      if (query.starred === false)
        q = q.where((eb) => eb.or([eb('task_flag.starred', 'is', null), eb('task_flag.starred', '=', 0)]));
      if (query.cursor !== undefined) {
        const [at, id] = decodeCursor(query.cursor);
        q = q.where(
          desc
            ? sql<SqlBool>`(${key} < ${at} or (${key} = ${at} and task.id < ${id}))`
            : sql<SqlBool>`(${key} > ${at} or (${key} = ${at} and task.id > ${id}))`,
        );
      }
      const direction = desc ? 'desc' : 'asc';
      const rows = await q
        .orderBy(key, direction)
        .orderBy('task.id', direction)
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page
          // The LIKE above is a coarse filter on the JSON text; this is the exact check.
          .filter((r) => query.view !== 'offered' || candidatesOf(r.candidates).includes(p.userId))
          .map((r) => ({
            id: r.id,
            issueId: r.issue_id,
            appId: r.app_id,
            node: r.node,
            name: r.name,
            status: r.status,
            assignee: r.assignee,
            candidates: candidatesOf(r.candidates),
            dueAt: r.due_at,
            createdAt: r.created_at,
            starred: r.starred === 1,
          })),
        ...(rows.length > limit && last
          ? { nextCursor: Buffer.from(JSON.stringify([last.sort_key, last.id])).toString('base64url') }
          : {}),
      };
    },
  );
};
