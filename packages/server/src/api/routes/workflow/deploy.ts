import type { Deployed, Runtime } from '../../../runtime/runtime.js';
import type { AppVersionTable } from '../../../store/schema.js';

/**
 * Calls into the runtime that gain a `workspaceId` (and a release note) with the runtime's
 * workspace change (issue 6). Until that lands the runtime files every App under the default
 * workspace and ignores the extra fields; the routes check workspaces themselves either way.
 */
export function deployDraft(
  runtime: Runtime,
  input: { bpmn: string; workspaceId: string; appId?: string; name?: string },
): Promise<Deployed> {
  const args = { ...input, release: false };
  return runtime.deploy(args);
}

export async function releaseVersion(
  runtime: Runtime,
  input: { versionId: string; workspaceId: string; note: string | undefined },
): Promise<void> {
  const release = runtime.release.bind(runtime) as (
    versionId: string,
    options?: { workspaceId?: string; note?: string },
  ) => Promise<void>;
  await release(input.versionId, {
    workspaceId: input.workspaceId,
    ...(input.note === undefined ? {} : { note: input.note }),
  });
}

export function versionView(
  row: Pick<AppVersionTable, 'id' | 'app_id' | 'version' | 'status' | 'created_at' | 'released_at'> & {
    note?: string | null;
  },
) {
  return {
    id: row.id,
    appId: row.app_id,
    version: row.version,
    status: row.status,
    note: row.note ?? null,
    createdAt: row.created_at,
    releasedAt: row.released_at,
  };
}
