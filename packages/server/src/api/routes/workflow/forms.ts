import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DataValues, IssueState } from '@nagare/engine';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { RuntimeError } from '../../../runtime/errors.js';
import { fileIdsOf } from '../../../runtime/file-refs.js';
import { refuseCompletion } from '../../../runtime/tasks.js';
import type { Database } from '../../../store/schema.js';
import { type Principal, requirePrincipal } from '../../auth/principal.js';
import { NagareError } from '../../errors.js';
import { findIssue, isTaskFor } from './access.js';
import { type AppModel, accessAt } from './app-model.js';
import type { WorkflowContext } from './context.js';
import { checkedWrite } from './data-access.js';
import { toApiError } from './errors.js';
import { errors, Finished, Form, FormBody, multipartBody, TaskIdParams } from './schemas.js';
import { onlyFields, parseDataField, readUpload } from './uploads.js';

const tags = ['tasks'];
const jsonOrMultipart = {
  content: {
    'application/json': { schema: FormBody },
    'multipart/form-data': multipartBody(
      'Parts: "data" (JSON object of values by field name), "button" (a flow id), and files: each file part is appended to the file item named by its field name.',
    ),
  },
} as unknown as typeof FormBody;

/** A task's form: read it (what the step shows, with values), save it (draft), finish it. */
export const formRoutes: FastifyPluginAsyncTypebox<{ ctx: WorkflowContext }> = async (app, { ctx }) => {
  const db = ctx.store.db;

  app.get(
    '/tasks/:taskId/form',
    {
      schema: {
        summary:
          "Read a task's form: the data items this step shows, their values and access (hidden items are left out)",
        tags,
        params: TaskIdParams,
        response: { 200: Form, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const open = await openTaskFor(ctx, p, request.params.taskId);
      return formView(ctx, p, open);
    },
  );

  app.put(
    '/tasks/:taskId/form',
    {
      schema: {
        summary: 'Save a task form without finishing it (JSON, or multipart with a "data" field and files)',
        description:
          'Values are checked against the step (required items are not); saved values are shown the next time the form is read, by me only.',
        tags,
        params: TaskIdParams,
        body: jsonOrMultipart,
        response: { 200: Form, ...errors, 413: errors[400] },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const open = await openTaskFor(ctx, p, request.params.taskId);
      const { data, files, button, discard } = await formInput(p, request, ctx);
      try {
        const model = await ctx.models.load(open.issue.app_version_id);
        const state = JSON.parse(open.issue.state) as IssueState;
        const draft = await readDraft(db, p, open.task.id);
        const merged = appendFiles({ ...(draft?.data ?? {}), ...data }, files, state.data);
        // Files: the issue's, this request's uploads, or ones an earlier save of mine uploaded.
        const allowed = [...fileIdsOf(files), ...fileIdsOf(draft?.data)];
        checkedWrite(model, state.data, merged, accessAt(model, open.task.node), false, allowed);
        const row = {
          workspace_id: p.workspaceId,
          task_id: open.task.id,
          user_id: p.userId,
          data: JSON.stringify(merged),
          button: button ?? draft?.button ?? null,
          updated_at: new Date().toISOString(),
        };
        await db.transaction().execute(async (tx) => {
          await tx
            .deleteFrom('task_draft')
            .where('workspace_id', '=', p.workspaceId)
            .where('task_id', '=', open.task.id)
            .where('user_id', '=', p.userId)
            .execute();
          await tx.insertInto('task_draft').values(row).execute();
        });
        return formView(ctx, p, open);
      } catch (error) {
        await discard();
        throw error;
      }
    },
  );

  app.post(
    '/tasks/:taskId/finish',
    {
      schema: {
        summary: 'Finish a task: data (over what was saved), the chosen button, files (JSON or multipart)',
        tags,
        params: TaskIdParams,
        body: jsonOrMultipart,
        response: { 200: Finished, ...errors, 413: errors[400] },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const taskId = request.params.taskId;
      try {
        // The runtime checks the task (open, the caller's) and the data against the step, in
        // that order, reading the issue and task once. A multipart body is stored while it
        // streams, so someone else's task is refused before that.
        if (request.isMultipart()) {
          refuseCompletion(await ctx.runtime.getTask(taskId, { workspaceId: p.workspaceId }), p.userId);
        }
        const { data, files, button, discard } = await formInput(p, request, ctx);
        try {
          const draft = await readDraft(db, p, taskId);
          const chosen = button ?? draft?.button ?? undefined;
          const outcome = await ctx.runtime.completeTask({
            workspaceId: p.workspaceId,
            taskId,
            operator: p.userId,
            data: { ...(draft?.data ?? {}), ...data },
            ...(Object.keys(files).length > 0 ? { files } : {}),
            allowedFiles: fileIdsOf(draft?.data),
            ...(chosen ? { button: chosen } : {}),
          });
          await db
            .deleteFrom('task_draft')
            .where('workspace_id', '=', p.workspaceId)
            .where('task_id', '=', taskId)
            .execute();
          return { taskId, issueId: outcome.issueId, issueStatus: outcome.state.status };
        } catch (error) {
          await discard();
          throw error;
        }
      } catch (error) {
        throw finishError(error, taskId);
      }
    },
  );
};

/**
 * The finish route's answers to the runtime's refusals, as the route gave them when it checked
 * itself: a task that is not the caller's is not found (404, its form stays unknown to them), a
 * finished or cancelled one a conflict (409); data problems 400 NAGARE_INVALID_DATA naming each
 * item; the rest as every workflow route maps them.
 */
function finishError(error: unknown, taskId: string): unknown {
  if (error instanceof RuntimeError) {
    if (error.code === 'NOT_YOUR_TASK') {
      return new NagareError('NAGARE_NOT_FOUND', `No task with id "${taskId}" for you`);
    }
    if (error.code === 'TASK_NOT_OPEN') {
      const status = (error.details as { status?: string } | undefined)?.status;
      return new NagareError(
        'NAGARE_CONFLICT',
        `Task "${taskId}" is ${status === 'done' ? 'finished' : (status ?? 'not open')}`,
      );
    }
  }
  return toApiError(error);
}

/**
 * The task, open and allocated to the caller or offered to them (a candidate, or anyone when
 * its step has no swimlane rules); 404 for an unknown id or one of another workspace.
 */
async function openTaskFor(ctx: WorkflowContext, p: Principal, taskId: string) {
  const task = await ctx.runtime.getTask(taskId, { workspaceId: p.workspaceId, userId: p.userId });
  if (task.status === 'done' || task.status === 'cancelled') {
    throw new NagareError(
      'NAGARE_CONFLICT',
      `Task "${taskId}" is ${task.status === 'done' ? 'finished' : 'cancelled'}`,
    );
  }
  if (!isTaskFor(task, p.userId))
    throw new NagareError('NAGARE_NOT_FOUND', `No task with id "${taskId}" for you`);
  const issue = await findIssue(ctx.store.db, p.workspaceId, task.issueId);
  return { task: { id: task.id, node: task.node, name: task.name }, issue };
}

async function readDraft(db: Kysely<Database>, p: Principal, taskId: string) {
  const row = await db
    .selectFrom('task_draft')
    .selectAll()
    .where('workspace_id', '=', p.workspaceId)
    .where('task_id', '=', taskId)
    .where('user_id', '=', p.userId)
    .executeTakeFirst();
  return row ? { data: JSON.parse(row.data) as DataValues, button: row.button } : undefined;
}

/** The form's data, files (stored as they streamed) and button, from JSON or multipart. */
async function formInput(
  p: Principal,
  req: FastifyRequest,
  ctx: WorkflowContext,
): Promise<{
  data: DataValues;
  files: Readonly<Record<string, readonly unknown[]>>;
  button: string | undefined;
  discard: () => Promise<void>;
}> {
  if (!req.isMultipart()) {
    const body = (req.body ?? {}) as { data?: DataValues; button?: string };
    return { data: body.data ?? {}, files: {}, button: body.button, discard: async () => {} };
  }
  const upload = await readUpload(req, ctx.files, p.workspaceId);
  try {
    onlyFields(upload, ['data', 'button']);
    const data = parseDataField(upload.fields.data, 'body');
    const button = upload.fields.button;
    return { data, files: upload.files, button: button === '' ? undefined : button, discard: upload.discard };
  } catch (error) {
    await upload.discard();
    throw error;
  }
}

/** Files appended to their file items: after the value the form gives, else the issue's. */
function appendFiles(
  data: Record<string, unknown>,
  files: Readonly<Record<string, readonly unknown[]>>,
  current: DataValues,
): Record<string, unknown> {
  for (const [field, refs] of Object.entries(files)) {
    const base = Object.hasOwn(data, field) ? data[field] : current[field];
    data[field] = [...(Array.isArray(base) ? base : []), ...refs];
  }
  return data;
}

async function formView(
  ctx: WorkflowContext,
  p: Principal,
  open: {
    task: { id: string; node: string; name: string | null };
    issue: { id: string; app_version_id: string; state: string };
  },
) {
  const model: AppModel = await ctx.models.load(open.issue.app_version_id);
  const access = accessAt(model, open.task.node);
  const state = JSON.parse(open.issue.state) as IssueState;
  const draft = await readDraft(ctx.store.db, p, open.task.id);
  const values = { ...state.data, ...(draft?.data ?? {}) };
  const node = model.app.nodes[open.task.node];
  const items = model.items.flatMap((item) => {
    const a = access[item.fieldName];
    if (!a || a.mode === 'hidden') return [];
    return [
      {
        fieldName: item.fieldName,
        label: item.label,
        type: item.type,
        mode: a.mode,
        required: a.required,
        value: item.type === 'guide' ? null : (values[item.fieldName] ?? null),
      },
    ];
  });
  return {
    taskId: open.task.id,
    issueId: open.issue.id,
    node: open.task.node,
    name: open.task.name,
    buttons: node?.kind === 'userTask' ? [...(node.buttons ?? [])] : [],
    items,
    saved: draft !== undefined,
  };
}
