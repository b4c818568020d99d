import type { Deployed, Runtime } from '../../../runtime/runtime.js';
import type { AppVersionTable } from '../../../store/schema.js';

/** Stores BPMN as a draft version in the caller's workspace (a new App without `appId`). */
export function deployDraft(
  runtime: Runtime,
  input: { bpmn: string; workspaceId: string; appId?: string; name?: string },
): Promise<Deployed> {
  return runtime.deploy({ ...input, release: false });
}

export function releaseVersion(
  runtime: Runtime,
  input: { versionId: string; workspaceId: string; note: string | undefined },
): Promise<void> {
  return runtime.release(input.versionId, {
    workspaceId: input.workspaceId,
    ...(input.note === undefined ? {} : { note: input.note }),
  });
}

export function versionView(
  row: Pick<AppVersionTable, 'id' | 'app_id' | 'version' | 'status' | 'note' | 'created_at' | 'released_at'>,
) {
  return {
    id: row.id,
    appId: row.app_id,
    version: row.version,
    status: row.status,
    note: row.note,
    createdAt: row.created_at,
    releasedAt: row.released_at,
  };
}
