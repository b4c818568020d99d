import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type DataValues, formatCsv, type IssueState } from '@nagare/engine';
import { Type } from '@sinclair/typebox';
import { fileIdsOf } from '../../../runtime/file-refs.js';
import { hasAppAuthority } from '../../auth/authorities.js';
import { Forbidden, type Principal, requirePrincipal } from '../../auth/principal.js';
import { BadRequest, NagareError, NotFound } from '../../errors.js';
import { findApp, findIssue, issueStarter, requireAppAdmin, requireIssueView } from './access.js';
import { accessAt, issueAccess } from './app-model.js';
import type { WorkflowContext } from './context.js';
import { allEditable, checkedWrite, visible } from './data-access.js';
import { searchIssues } from './issue-search.js';
import { currentSteps, issueSummary, logEntries } from './issue-view.js';
import {
  AppIdParams,
  errors,
  FileParams,
  IncidentParams,
  IssueDetail,
  IssueIdParams,
  IssuePage,
  IssueSearchQuery,
  IssueSummary,
  multipartBody,
  RetryBody,
  StartBody,
  Started,
  StopBody,
} from './schemas.js';
import { directoryOnce, mayStartAt } from './start-permission.js';
import { onlyFields, parseDataField, readUpload } from './uploads.js';

const tags = ['issues'];
/** The CSV export's row cap (as the product's list export). */
export const CSV_MAX_ROWS = 10_000;

/** Issues: start, search (JSON and CSV), view, stop, delete, download an attachment. */
export const issueRoutes: FastifyPluginAsyncTypebox<{ ctx: WorkflowContext }> = async (app, { ctx }) => {
  const db = ctx.store.db;

  app.post(
    '/apps/:appId/issues',
    {
      schema: {
        summary:
          'Start an issue (JSON, or multipart/form-data with a "data" JSON field and files by field name)',
        description:
          'mode "test" starts a debug run of the newest draft version (App administrators). Files: each file part is stored and appended to the file data item named by its field name.',
        tags,
        params: AppIdParams,
        body: {
          content: {
            'application/json': { schema: StartBody },
            'multipart/form-data': multipartBody(
              'Parts: "data" (JSON object of values by field name), "mode" (normal or test), and files: each file part is appended to the file item named by its field name.',
            ),
          },
        } as unknown as typeof StartBody,
        response: { 201: Started, ...errors, 413: errors[400], 415: errors[400] },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const found = await findApp(db, p.workspaceId, request.params.appId);
      let body = (request.body ?? {}) as { data?: DataValues; mode?: 'normal' | 'test' };
      let files: Record<string, unknown[]> = {};
      let discard = async () => {};
      if (request.isMultipart()) {
        const upload = await readUpload(request, ctx.files, p.workspaceId);
        discard = upload.discard;
        try {
          onlyFields(upload, ['data', 'mode']);
          const mode = upload.fields.mode;
          if (mode !== undefined && mode !== 'normal' && mode !== 'test') {
            throw new BadRequest('body.mode must be "normal" or "test"');
          }
          body = { data: parseDataField(upload.fields.data, 'body'), ...(mode ? { mode } : {}) };
          files = upload.files;
        } catch (error) {
          await discard();
          throw error;
        }
      }
      try {
        const started = await startIssue(ctx, p, found, body, files);
        return reply.status(201).send(started);
      } catch (error) {
        await discard();
        throw error;
      }
    },
  );

  app.get(
    '/issues',
    {
      schema: {
        summary: 'Search issues I may see (by App, state, title, starter, dates, data item values)',
        tags,
        querystring: IssueSearchQuery,
        response: { 200: IssuePage, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const { rows, nextCursor } = await searchIssues(
        db,
        ctx.store.dialect,
        p,
        request.query,
        request.query.limit ?? 50,
        ctx.models,
      );
      return {
        items: rows.map((r) =>
          issueSummary(r, { appName: r.app_name, version: r.version, startedBy: r.started_by ?? null }),
        ),
        ...(nextCursor ? { nextCursor } : {}),
      };
    },
  );

  app.get(
    '/issues.csv',
    {
      schema: {
        summary: `The same search as CSV (UTF-8 with BOM, at most ${CSV_MAX_ROWS} rows)`,
        tags,
        querystring: Type.Omit(IssueSearchQuery, ['cursor', 'limit']),
        produces: ['text/csv'],
        response: {
          200: Type.String({
            description: 'CSV: id, app, version, status, mode, title, startedBy, startedAt, endedAt',
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const { rows } = await searchIssues(db, ctx.store.dialect, p, request.query, CSV_MAX_ROWS, ctx.models);
      const header = [
        'id',
        'appId',
        'app',
        'version',
        'status',
        'mode',
        'title',
        'startedBy',
        'startedAt',
        'endedAt',
      ];
      const lines = rows.map((r) => {
        const s = issueSummary(r, {
          appName: r.app_name,
          version: r.version,
          startedBy: r.started_by ?? null,
        });
        return [
          s.id,
          s.appId,
          s.appName,
          String(s.version),
          s.status,
          s.mode,
          s.title ?? '',
          s.startedBy ?? '',
          s.startedAt,
          s.endedAt ?? '',
        ].map(neutralize);
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="issues.csv"')
        .send(formatCsv([header, ...lines], { bom: true }));
    },
  );

  app.get(
    '/issues/:issueId',
    {
      schema: {
        summary: 'View an issue: the data I may see, current steps, the passed route and the log',
        tags,
        params: IssueIdParams,
        response: { 200: IssueDetail, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const row = await findIssue(db, p.workspaceId, request.params.issueId);
      await requireIssueView(db, p, row);
      const view = await ctx.runtime.getIssue(row.id, { workspaceId: p.workspaceId });
      const model = await ctx.models.load(row.app_version_id);
      const appRow = await findApp(db, p.workspaceId, row.app_id);
      const version = await db
        .selectFrom('app_version')
        .select('version')
        .where('id', '=', row.app_version_id)
        .executeTakeFirstOrThrow();
      return {
        issue: issueSummary(row, {
          appName: appRow.name,
          version: version.version,
          startedBy: await issueStarter(db, row.id),
        }),
        data: visible(model, view.state.data, issueAccess(model)),
        currentSteps: currentSteps(view.state, model),
        route: Object.entries(view.state.route).map(([flow, count]) => ({ flow, count: Number(count) })),
        log: logEntries(view.history),
      };
    },
  );

  app.post(
    '/issues/:issueId/stop',
    {
      schema: {
        summary: 'Stop an active issue (process managers, App administrators)',
        tags,
        params: IssueIdParams,
        body: StopBody,
        response: { 200: IssueSummary, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const row = await findIssue(db, p.workspaceId, request.params.issueId);
      await requireManager(p, row.app_id);
      if (row.status !== 'active')
        throw new NagareError('NAGARE_CONFLICT', `Issue "${row.id}" has already ended (${row.status})`);
      await ctx.runtime.cancelIssue(row.id, {
        workspaceId: p.workspaceId,
        by: p.userId,
        ...(request.body?.reason === undefined ? {} : { reason: request.body.reason }),
      });
      return summaryOf(p, row.id);
    },
  );

  app.post(
    '/issues/:issueId/incidents/:seq/retry',
    {
      schema: {
        summary:
          'Retry an incident of an issue, optionally fixing data first (process managers, App administrators)',
        description:
          'The step that failed runs again (an automated step as a new job; a gateway evaluates its conditions again). Who retried is recorded in the process log.',
        tags,
        params: IncidentParams,
        body: RetryBody,
        response: { 200: IssueSummary, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const row = await findIssue(db, p.workspaceId, request.params.issueId);
      await requireManager(p, row.app_id);
      const fix = request.body?.data;
      let data: DataValues | undefined;
      if (fix !== undefined && Object.keys(fix).length > 0) {
        const model = await ctx.models.load(row.app_version_id);
        const state = JSON.parse(row.state) as IssueState;
        data = checkedWrite(model, state.data, fix as DataValues, allEditable(model), false, []);
      }
      await ctx.runtime.retryIncident(row.id, request.params.seq, data, p.workspaceId, p.userId);
      return summaryOf(p, row.id);
    },
  );

  app.delete(
    '/issues/:issueId',
    {
      schema: {
        summary: 'Delete an issue with its log, tasks and attachments (process managers, App administrators)',
        description: 'An active issue is stopped first.',
        tags,
        params: IssueIdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const row = await findIssue(db, p.workspaceId, request.params.issueId);
      await requireManager(p, row.app_id);
      if (row.status === 'active')
        await ctx.runtime.cancelIssue(row.id, {
          workspaceId: p.workspaceId,
          by: p.userId,
          reason: 'deleted',
        });
      const after = await findIssue(db, p.workspaceId, row.id);
      const fileIds = fileIdsIn((JSON.parse(after.state) as IssueState).data);
      await db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom('task_draft')
          .where('workspace_id', '=', p.workspaceId)
          .where('task_id', 'like', `${row.id}:%`)
          .execute();
        const taskIds = tx
          .selectFrom('task')
          .select('id')
          .where('workspace_id', '=', p.workspaceId)
          .where('issue_id', '=', row.id);
        await tx.deleteFrom('task_candidate').where('task_id', 'in', taskIds).execute();
        await tx.deleteFrom('task_flag').where('task_id', 'in', taskIds).execute();
        await tx
          .deleteFrom('webhook_delivery')
          .where('workspace_id', '=', p.workspaceId)
          .where('issue_id', '=', row.id)
          .where('status', '=', 'pending')
          .execute();
        await tx.deleteFrom('history').where('issue_id', '=', row.id).execute();
        await tx
          .deleteFrom('task')
          .where('workspace_id', '=', p.workspaceId)
          .where('issue_id', '=', row.id)
          .execute();
        await tx
          .deleteFrom('incident')
          .where('workspace_id', '=', p.workspaceId)
          .where('issue_id', '=', row.id)
          .execute();
        await tx
          .deleteFrom('issue')
          .where('workspace_id', '=', p.workspaceId)
          .where('id', '=', row.id)
          .execute();
      });
      // After the rows: a file is never referenced by an issue that still exists.
      await Promise.allSettled(fileIds.map((id) => ctx.files.delete(p.workspaceId, id)));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/issues/:issueId/files/:fileId',
    {
      schema: {
        summary: 'Download an attachment: a file in a data item I may see on this issue',
        tags,
        params: FileParams,
        produces: ['application/octet-stream'],
        response: { 200: Type.String({ description: 'The file content' }), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const row = await findIssue(db, p.workspaceId, request.params.issueId);
      await requireIssueView(db, p, row);
      const model = await ctx.models.load(row.app_version_id);
      const data = visible(model, (JSON.parse(row.state) as IssueState).data, issueAccess(model));
      if (!fileIdsIn(data).includes(request.params.fileId)) {
        throw new NotFound(`file on issue "${row.id}"`, request.params.fileId);
      }
      const meta = await ctx.files.stat(p.workspaceId, request.params.fileId);
      if (!meta) throw new NotFound('file', request.params.fileId);
      const bytes = await ctx.files.read(p.workspaceId, meta.id);
      return reply
        .type(meta.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(meta.name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(bytes) as unknown as string);
    },
  );

  async function requireManager(p: Principal, appId: string): Promise<void> {
    if (
      (await hasAppAuthority(db, p, appId, 'processManager')) ||
      (await hasAppAuthority(db, p, appId, 'appAdministrator'))
    ) {
      return;
    }
    throw new Forbidden(`Only a process manager or App administrator of App "${appId}" may do this`);
  }

  async function summaryOf(p: Principal, issueId: string) {
    const row = await findIssue(db, p.workspaceId, issueId);
    const appRow = await findApp(db, p.workspaceId, row.app_id);
    const version = await db
      .selectFrom('app_version')
      .select('version')
      .where('id', '=', row.app_version_id)
      .executeTakeFirstOrThrow();
    return issueSummary(row, {
      appName: appRow.name,
      version: version.version,
      startedBy: await issueStarter(db, row.id),
    });
  }
};

/**
 * Starts an issue for the caller: the released version (or, in test mode, the newest draft,
 * App administrators only), data checked against the start form's access, files appended.
 */
export async function startIssue(
  ctx: WorkflowContext,
  p: Principal | undefined,
  app: { id: string; workspace_id: string; released_version_id: string | null },
  body: { data?: DataValues; mode?: 'normal' | 'test' },
  files: Readonly<Record<string, readonly unknown[]>>,
  startEvent?: string,
): Promise<{ issueId: string; status: string; mode: string }> {
  const db = ctx.store.db;
  const mode = body.mode ?? 'normal';
  let versionId = app.released_version_id;
  if (mode === 'test') {
    // A signed-in caller needs App administration; a message start proved itself with its key.
    if (p) await requireAppAdmin(db, p, app.id);
    const draft = await db
      .selectFrom('app_version')
      .select('id')
      .where('app_id', '=', app.id)
      .where('workspace_id', '=', app.workspace_id)
      .where('status', '=', 'draft')
      .orderBy('version', 'desc')
      .executeTakeFirst();
    versionId = draft?.id ?? app.released_version_id;
  }
  if (versionId === null) throw new NagareError('NAGARE_CONFLICT', `App "${app.id}" has no released version`);
  const model = await ctx.models.load(versionId);
  const node = startEvent ?? model.app.defaultStart;
  // A signed-in starter must be an operator of the start event's swimlane; a message start
  // proved itself with the event's key instead.
  if (p && startEvent === undefined && node !== undefined) {
    if (!(await mayStartAt(p, model, app.id, node, directoryOnce(db, p.workspaceId)))) {
      throw new Forbidden(`You are not an operator of the swimlane of App "${app.id}"'s start event`);
    }
  }
  const access = node !== undefined && model.matrix.access[node] ? accessAt(model, node) : allEditable(model);
  const incoming: Record<string, unknown> = { ...(body.data ?? {}) };
  for (const [field, refs] of Object.entries(files)) {
    const given = incoming[field];
    incoming[field] = [...(Array.isArray(given) ? given : []), ...refs];
  }
  // A new issue has no files yet: only this request's uploads may be named.
  const data = checkedWrite(model, {}, incoming, access, true, fileIdsOf(files));
  const outcome = await ctx.runtime.startIssue({
    workspaceId: app.workspace_id,
    appId: app.id,
    versionId,
    data,
    mode,
    ...(p ? { by: p.userId } : {}),
    ...(startEvent ? { startEvent } : {}),
  });
  return { issueId: outcome.issueId, status: outcome.state?.status ?? 'active', mode };
}

/** File ids in data values (file items hold lists of `{ id, name, contentType, size }`). */
export function fileIdsIn(data: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const value of Object.values(data)) {
    if (!Array.isArray(value)) continue;
    for (const v of value) {
      if (
        v &&
        typeof v === 'object' &&
        typeof (v as { id?: unknown }).id === 'string' &&
        'contentType' in v
      ) {
        out.push((v as { id: string }).id);
      }
    }
  }
  return out;
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection). */
function neutralize(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
