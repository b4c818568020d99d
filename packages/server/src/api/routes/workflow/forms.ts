import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DataValues, IssueState } from '@nagare/engine';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/schema.js';
import { type Principal, requirePrincipal } from '../../auth/principal.js';
import { NagareError } from '../../errors.js';
import { findIssue, isTaskFor } from './access.js';
import { type AppModel, accessAt } from './app-model.js';
import type { WorkflowContext } from './context.js';
import { checkedWrite } from './data-access.js';
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
      const { data, button, discard } = await formInput(ctx, p, request);
      try {
        const model = await ctx.models.load(open.issue.app_version_id);
        const state = JSON.parse(open.issue.state) as IssueState;
        const draft = await readDraft(db, p, open.task.id);
        const merged = { ...(draft?.data ?? {}), ...data };
        checkedWrite(model, state.data, merged, accessAt(model, open.task.node), false);
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
      const open = await openTaskFor(ctx, p, request.params.taskId);
      const { data, button, discard } = await formInput(ctx, p, request);
      try {
        const model = await ctx.models.load(open.issue.app_version_id);
        const state = JSON.parse(open.issue.state) as IssueState;
        const draft = await readDraft(db, p, open.task.id);
        const merged = { ...(draft?.data ?? {}), ...data };
        const changes = checkedWrite(model, state.data, merged, accessAt(model, open.task.node), true);
        const chosen = button ?? draft?.button ?? undefined;
        const outcome = await ctx.runtime.completeTask({
          workspaceId: p.workspaceId,
          taskId: open.task.id,
          operator: p.userId,
          data: changes,
          ...(chosen ? { button: chosen } : {}),
        });
        await db
          .deleteFrom('task_draft')
          .where('workspace_id', '=', p.workspaceId)
          .where('task_id', '=', open.task.id)
          .execute();
        return { taskId: open.task.id, issueId: open.issue.id, issueStatus: outcome.state.status };
      } catch (error) {
        await discard();
        throw error;
      }
    },
  );
};

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

/** The form's data and button from JSON or multipart (files appended to their file items). */
async function formInput(
  ctx: WorkflowContext,
  p: Principal,
  req: FastifyRequest,
): Promise<{ data: DataValues; button: string | undefined; discard: () => Promise<void> }> {
  if (!req.isMultipart()) {
    const body = (req.body ?? {}) as { data?: DataValues; button?: string };
    return { data: body.data ?? {}, button: body.button, discard: async () => {} };
  }
  const upload = await readUpload(req, ctx.files, p.workspaceId);
  try {
    onlyFields(upload, ['data', 'button']);
    const data: Record<string, unknown> = parseDataField(upload.fields.data, 'body');
    const task = await ctx.runtime.getTask((req.params as { taskId: string }).taskId, {
      workspaceId: p.workspaceId,
    });
    const issue = await findIssue(ctx.store.db, p.workspaceId, task.issueId);
    const current = (JSON.parse(issue.state) as IssueState).data;
    for (const [field, refs] of Object.entries(upload.files)) {
      const base = Object.hasOwn(data, field) ? data[field] : current[field];
      data[field] = [...(Array.isArray(base) ? base : []), ...refs];
    }
    const button = upload.fields.button;
    return { data, button: button === '' ? undefined : button, discard: upload.discard };
  } catch (error) {
    await upload.discard();
    throw error;
  }
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
