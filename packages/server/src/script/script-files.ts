/**
 * Files scripts make (`engine.createQfile`, `new NewQfile(…)`) reach the FileStore only after
 * the run has succeeded and its writes have been checked: `storeStagedFiles` puts each file a
 * file item names and puts its reference in the item's value. If one cannot be stored (quota,
 * size), the ones stored before it are deleted again, so a failed step leaves no file behind.
 */
import type { DataValues } from '@nagare/engine';
import type { FileRef, FileStore } from '../files/file-store.js';
import type { StagedRef } from './data-bridge.js';
import type { StagedFile } from './run-script.js';

export type StoreFilesResult =
  | { readonly ok: true; readonly data: DataValues; readonly stored: readonly string[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

function isStaged(x: unknown): x is StagedRef {
  return typeof x === 'object' && x !== null && typeof (x as StagedRef).stage === 'number';
}

/** Stores the staged files `data` names (each once) and answers `data` with their references. */
export async function storeStagedFiles(
  data: DataValues,
  staged: readonly StagedFile[],
  store: FileStore | undefined,
  workspaceId: string,
): Promise<StoreFilesResult> {
  const wanted = new Set<number>();
  for (const value of Object.values(data))
    if (Array.isArray(value)) for (const f of value) if (isStaged(f)) wanted.add(f.stage);
  if (wanted.size === 0) return { ok: true, data, stored: [] };
  if (!store)
    return {
      ok: false,
      code: 'BAD_CONFIG',
      message: 'this server has no file store for the files scripts make',
    };
  const refs = new Map<number, FileRef>();
  for (const n of [...wanted].sort((a, b) => a - b)) {
    const file = staged[n]!;
    try {
      const put = await store.put(workspaceId, {
        name: safeName(file.name),
        contentType: file.contentType,
        bytes: file.bytes,
      });
      refs.set(n, { id: put.id, name: put.name, contentType: put.contentType, size: put.size });
    } catch (error) {
      await deleteFiles(
        store,
        workspaceId,
        [...refs.values()].map((r) => r.id),
      );
      const code = (error as { code?: unknown }).code;
      return {
        ok: false,
        code: code === 'QUOTA_EXCEEDED' || code === 'FILE_TOO_LARGE' ? `SCRIPT_${code}` : 'SCRIPT_BAD_VALUE',
        message: `storing file ${file.name}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(data))
    out[k] = Array.isArray(value) ? value.map((f) => (isStaged(f) ? refs.get(f.stage) : f)) : value;
  return {
    ok: true,
    data: out as DataValues,
    stored: [...refs.values()].map((r) => r.id),
  };
}

/** Removes files a failed run stored (best effort: a file that cannot be deleted is left for the operator). */
export async function deleteFiles(store: FileStore | undefined, workspaceId: string, ids: readonly string[]) {
  if (!store) return;
  for (const id of ids) {
    try {
      await store.delete(workspaceId, id);
    } catch {
      // already gone, or the store is failing: nothing references it either way
    }
  }
}

/** The store refuses `/`, `\` and control characters in names; scripts' names keep the rest. */
function safeName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  const clean = name.replace(/[\\/\u0000-\u001f\u007f]/g, '_').slice(0, 255);
  return clean.trim() === '' ? 'file' : clean;
}
