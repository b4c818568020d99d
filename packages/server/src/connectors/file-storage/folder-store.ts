/**
 * Where the file-storage step puts files: a `FolderStore`. The built-in one is a local folder
 * under the data directory (`<dataDir>/folders/<workspaceId>/...`); a remote store (S3, a
 * WebDAV share, ...) implements the same interface and is registered under its own name.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

export interface FolderStore {
  /**
   * Writes `bytes` as `name` in `folder` (path segments, already checked). With `onExists`
   * `rename` an existing different file keeps its name and the new one gets ` (n)`; the same
   * content already there is reused (a repeated job writes nothing new).
   */
  write(
    workspaceId: string,
    folder: readonly string[],
    name: string,
    bytes: Uint8Array,
    onExists: 'rename' | 'overwrite' | 'fail',
  ): Promise<{ readonly path: string }>;
}

export class FolderExistsError extends Error {
  override readonly name = 'FolderExistsError';
}

/** Why a folder path or file name cannot be used, or undefined. */
export function pathProblem(segments: readonly string[]): string | undefined {
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') return `"${s}" is not allowed as a folder or file name`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
    if (/[\\/:*?"<>|\x00-\x1f]/.test(s)) return `"${s}" contains a character not allowed in a file name`;
    if (s.length > 255) return `"${s.slice(0, 20)}…" is longer than 255 characters`;
  }
  return undefined;
}

export function localFolderStore(root: string): FolderStore {
  const base = resolve(root);
  return {
    async write(workspaceId, folder, name, bytes, onExists) {
      const problem = pathProblem([workspaceId, ...folder, name]);
      if (problem) throw new TypeError(problem);
      const dir = join(base, workspaceId, ...folder);
      if (!dir.startsWith(base + sep)) throw new TypeError('the folder is outside the storage root');
      await mkdir(dir, { recursive: true });
      const digest = createHash('sha256').update(bytes).digest('hex');
      const dot = name.lastIndexOf('.');
      const stem = dot > 0 ? name.slice(0, dot) : name;
      const ext = dot > 0 ? name.slice(dot) : '';
      for (let n = 0; n < 1000; n++) {
        const candidate = n === 0 ? name : `${stem} (${n})${ext}`;
        const target = join(dir, candidate);
        const existing = await readFile(target).catch(() => undefined);
        if (existing !== undefined && onExists !== 'overwrite') {
          if (createHash('sha256').update(existing).digest('hex') === digest) {
            return { path: [...folder, candidate].join('/') };
          }
          if (onExists === 'fail')
            throw new FolderExistsError(`${[...folder, candidate].join('/')} exists already`);
          continue;
        }
        const temp = join(dir, `.${randomUUID()}.tmp`);
        try {
          await writeFile(temp, bytes);
          await rename(temp, target);
        } catch (error) {
          await rm(temp, { force: true });
          throw error;
        }
        return { path: [...folder, candidate].join('/') };
      }
      throw new FolderExistsError(`${name}: 1000 files of that name exist already`);
    },
  };
}
