import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { grantAppAuthority } from '../../../identity/authorities.js';
import { hasAppAuthority, requireSystemAuthority } from '../../auth/authorities.js';
import { Forbidden, requirePrincipal } from '../../auth/principal.js';
import { NotFound } from '../../errors.js';
import { findApp, requireAppAdmin } from './access.js';
import type { WorkflowContext } from './context.js';
import { deployDraft, releaseVersion, versionView } from './deploy.js';
import {
  AppIdParams,
  AppList,
  AppListQuery,
  AppVersion,
  BpmnUpload,
  Deployed,
  errors,
  ReleaseBody,
  VersionList,
  VersionParams,
} from './schemas.js';
import { directoryOnce, mayStartAt } from './start-permission.js';

const tags = ['apps'];

/** Apps: which I can start, uploading BPMN as a draft, releasing a version with a note, versions. */
export const appRoutes: FastifyPluginAsyncTypebox<{ ctx: WorkflowContext }> = async (app, { ctx }) => {
  const db = ctx.store.db;

  app.get(
    '/apps',
    {
      schema: {
        summary: 'List Apps: those I can start (default), or all of the workspace',
        tags,
        querystring: AppListQuery,
        response: { 200: AppList, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const rows = await db
        .selectFrom('app')
        .leftJoin('app_version', 'app_version.id', 'app.released_version_id')
        .select(['app.id', 'app.name', 'app.created_at', 'app.released_version_id', 'app_version.version'])
        .where('app.workspace_id', '=', p.workspaceId)
        .orderBy('app.name')
        .orderBy('app.id')
        .execute();
      const items = [];
      const directory = directoryOnce(db, p.workspaceId);
      for (const row of rows) {
        const model =
          row.released_version_id === null ? undefined : await ctx.models.load(row.released_version_id);
        const startEvents = (model?.app.startEvents ?? []).map((node: string) => {
          const n = model?.app.nodes[node];
          return {
            node,
            name: n?.name ?? null,
            trigger: n?.kind === 'start' ? n.trigger : ('none' as const),
          };
        });
        let startable = false;
        for (const s of startEvents) {
          if (s.trigger !== 'none' || !model) continue;
          if (await mayStartAt(p, model, row.id, s.node, directory)) {
            startable = true;
            break;
          }
        }
        if (request.query.view !== 'all' && !startable) continue;
        if (request.query.view === 'all' && !(await mayManage(p, row.id))) continue;
        items.push({
          id: row.id,
          name: row.name,
          releasedVersion: row.version ?? null,
          createdAt: row.created_at,
          startEvents,
        });
      }
      return { items };
    },
  );

  /** App creators see every App; others the Apps they administer or manage. */
  async function mayManage(p: ReturnType<typeof requirePrincipal>, appId: string): Promise<boolean> {
    return (
      (await hasAppAuthority(db, p, appId, 'appAdministrator')) ||
      (await hasAppAuthority(db, p, appId, 'processManager'))
    );
  }

  app.post(
    '/apps',
    {
      schema: {
        summary: 'Create an App from a BPMN file (its first version, a draft; App creators)',
        tags,
        body: BpmnUpload,
        response: { 201: Deployed, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'appCreator');
      const deployed = await deployDraft(ctx.runtime, {
        bpmn: request.body.bpmn,
        workspaceId: p.workspaceId,
        ...(request.body.name === undefined ? {} : { name: request.body.name }),
      });
      // The creator administers the new App (as in the product).
      await grantAppAuthority(db, p.workspaceId, deployed.appId, 'appAdministrator', {
        kind: 'user',
        user: p.userId,
      });
      return reply.status(201).send(await deployedView(deployed));
    },
  );

  async function deployedView(deployed: Awaited<ReturnType<typeof deployDraft>>) {
    const row = await db
      .selectFrom('app_version')
      .selectAll()
      .where('id', '=', deployed.versionId)
      .executeTakeFirstOrThrow();
    return {
      appId: deployed.appId,
      version: versionView(row),
      warnings: deployed.warnings.map((w) => ({
        severity: w.severity,
        code: w.code,
        message: w.message,
        ...(w.elementId === undefined ? {} : { elementId: w.elementId }),
      })),
    };
  }

  app.post(
    '/apps/:appId/versions',
    {
      schema: {
        summary: 'Upload a BPMN file as a new draft version of the App (App administrators)',
        tags,
        params: AppIdParams,
        body: BpmnUpload,
        response: { 201: Deployed, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const found = await findApp(db, p.workspaceId, request.params.appId);
      await requireAppAdmin(db, p, found.id);
      const deployed = await deployDraft(ctx.runtime, {
        bpmn: request.body.bpmn,
        workspaceId: p.workspaceId,
        appId: found.id,
      });
      return reply.status(201).send(await deployedView(deployed));
    },
  );

  app.get(
    '/apps/:appId/versions',
    {
      schema: {
        summary: 'List the versions of an App, newest first (App administrators, process managers)',
        tags,
        params: AppIdParams,
        response: { 200: VersionList, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const found = await findApp(db, p.workspaceId, request.params.appId);
      if (!(await mayManage(p, found.id))) {
        throw new Forbidden(`Only an App administrator or process manager of App "${found.id}" may do this`);
      }
      const rows = await db
        .selectFrom('app_version')
        .selectAll()
        .where('workspace_id', '=', found.workspace_id)
        .where('app_id', '=', found.id)
        .orderBy('version', 'desc')
        .execute();
      return { items: rows.map(versionView) };
    },
  );

  app.post(
    '/apps/:appId/versions/:version/release',
    {
      schema: {
        summary: 'Release a version: new issues start on it (App administrators)',
        tags,
        params: VersionParams,
        body: ReleaseBody,
        response: { 200: AppVersion, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const found = await findApp(db, p.workspaceId, request.params.appId);
      await requireAppAdmin(db, p, found.id);
      const row = await db
        .selectFrom('app_version')
        .select('id')
        .where('app_id', '=', found.id)
        .where('version', '=', request.params.version)
        .executeTakeFirst();
      if (!row) throw new NotFound(`version of App "${found.id}"`, String(request.params.version));
      await releaseVersion(ctx.runtime, {
        versionId: row.id,
        workspaceId: p.workspaceId,
        note: request.body?.note,
      });
      const after = await db
        .selectFrom('app_version')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      return versionView(after);
    },
  );
};
