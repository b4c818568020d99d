import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Store } from '../store/database.js';
import type { FileInput, FileStore, StoredFile } from './file-store.js';
import { FileStoreError } from './file-store-error.js';

/** The per-request limit by default: 100 MB. */
export const DEFAULT_MAX_FILE_BYTES = 100 * 1000 * 1000;
/** A Workspace's storage quota when none is set for it: 10 GB. */
export const DEFAULT_QUOTA_BYTES = 10 * 1000 * 1000 * 1000;

export interface LocalFileStoreOptions {
  /** An open, migrated store: the metadata and usage live there. */
  readonly store: Store;
  /** Where the content goes, usually `<data-dir>/files`; created when missing. */
  readonly root: string;
  /** Per-request limit in bytes (default 100 MB). */
  readonly maxFileBytes?: number;
  /** Quota of a Workspace without its own (default 10 GB). */
  readonly defaultQuotaBytes?: number;
  /** For tests: a fixed clock. */
  readonly now?: () => Date;
}

const CONTENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$/;
const MAX_NAME_LENGTH = 255;

/**
 * Files on the local disk under the data directory, metadata in the `file` table.
 *
 * Content goes to `<root>/tmp/<random>` while it streams in (hashed and counted on the way),
 * is flushed, then renamed to `<root>/<id[0..2]>/<id>` before the metadata row commits. So a
 * crash never leaves a half file that any id points to: at worst an orphan in tmp/ or a
 * complete file without a row, which `sweep()` removes. Bytes are counted while streaming and
 * the write stops at the first byte over the per-request limit (or over what the quota leaves),
 * removing the partial file. The usage row is updated in the metadata's transaction, by a
 * conditional update, so concurrent uploads cannot both squeeze under the quota.
 */
export class LocalFileStore implements FileStore {
  readonly maxFileBytes: number;
  readonly defaultQuotaBytes: number;
  readonly #store: Store;
  readonly #root: string;
  readonly #now: () => Date;

  constructor(options: LocalFileStoreOptions) {
    this.#store = options.store;
    this.#root = options.root;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.defaultQuotaBytes = options.defaultQuotaBytes ?? DEFAULT_QUOTA_BYTES;
    this.#now = options.now ?? (() => new Date());
    for (const [name, value] of [
      ['maxFileBytes', this.maxFileBytes],
      ['defaultQuotaBytes', this.defaultQuotaBytes],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`LocalFileStore: ${name} must be a non-negative integer, got ${value}`);
      }
    }
  }

  async put(workspaceId: string, input: FileInput): Promise<StoredFile> {
    checkInput(input);
    const room = (await this.quota(workspaceId)) - (await this.usage(workspaceId));
    const id = randomUUID();
    const tmpDir = join(this.#root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${id}.part`);
    let written: { size: number; sha256: string };
    try {
      written = await writeCounted(tmp, input.bytes, (size) => {
        if (size > this.maxFileBytes) {
          return new FileStoreError(
            'FILE_TOO_LARGE',
            `"${input.name}" is over the per-request limit of ${this.maxFileBytes} bytes`,
          );
        }
        if (size > room) return this.#quotaError(workspaceId, input.name, size, room);
        return undefined;
      });
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const final = this.#pathOf(id);
    try {
      await mkdir(join(this.#root, id.slice(0, 2)), { recursive: true });
      await rename(tmp, final);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const stored: StoredFile = {
      workspaceId,
      id,
      name: input.name,
      contentType: input.contentType,
      size: written.size,
      sha256: written.sha256,
      createdAt: this.#now().toISOString(),
    };
    try {
      await this.#store.db.transaction().execute(async (tx) => {
        await this.#ensureUsageRow(tx, workspaceId);
        const reserved = await tx
          .updateTable('workspace_storage')
          .set({
            used_bytes: sql`used_bytes + ${stored.size}`,
            updated_at: stored.createdAt,
          })
          .where('workspace_id', '=', workspaceId)
          .where(
            sql<boolean>`used_bytes + ${stored.size} <= coalesce(quota_bytes, ${this.defaultQuotaBytes})`,
          )
          .executeTakeFirst();
        if (Number(reserved.numUpdatedRows) !== 1) {
          // Another upload took the room since we looked: nothing is kept.
          const used = await this.usage(workspaceId, tx);
          const quota = await this.quota(workspaceId, tx);
          throw this.#quotaError(workspaceId, input.name, stored.size, quota - used);
        }
        await tx
          .insertInto('file')
          .values({
            workspace_id: workspaceId,
            id,
            name: stored.name,
            content_type: stored.contentType,
            size: stored.size,
            sha256: stored.sha256,
            created_at: stored.createdAt,
          })
          .execute();
      });
    } catch (error) {
      await rm(final, { force: true });
      throw error;
    }
    return stored;
  }

  async stat(workspaceId: string, id: string): Promise<StoredFile | undefined> {
    const row = await this.#store.db
      .selectFrom('file')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      workspaceId: row.workspace_id,
      id: row.id,
      name: row.name,
      contentType: row.content_type,
      size: Number(row.size),
      sha256: row.sha256,
      createdAt: row.created_at,
    };
  }

  async read(workspaceId: string, id: string): Promise<Uint8Array> {
    await this.#require(workspaceId, id);
    try {
      return new Uint8Array(await readFile(this.#pathOf(id)));
    } catch (error) {
      throw this.#missing(id, error);
    }
  }

  /** The content as a stream (for an HTTP download), after the same Workspace check as `read`. */
  async open(workspaceId: string, id: string): Promise<{ file: StoredFile; stream: Readable }> {
    const file = await this.#require(workspaceId, id);
    const handle = await open(this.#pathOf(id), 'r').catch((error: unknown) => {
      throw this.#missing(id, error);
    });
    return { file, stream: handle.createReadStream() };
  }

  /** Removes the file; `UNKNOWN_FILE` when the id is not one of the Workspace's files. */
  async delete(workspaceId: string, id: string): Promise<void> {
    const at = this.#now().toISOString();
    const removed = await this.#store.db.transaction().execute(async (tx) => {
      const row = await tx
        .deleteFrom('file')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returning('size')
        .executeTakeFirst();
      if (!row) return false;
      await tx
        .updateTable('workspace_storage')
        .set({ used_bytes: sql`used_bytes - ${Number(row.size)}`, updated_at: at })
        .where('workspace_id', '=', workspaceId)
        .execute();
      return true;
    });
    if (!removed) throw unknownFile(id);
    // After the commit: a crash here leaves an orphan that sweep() removes, never a dangling row.
    await unlink(this.#pathOf(id)).catch(() => {});
  }

  async usage(workspaceId: string, db = this.#store.db): Promise<number> {
    const row = await db
      .selectFrom('workspace_storage')
      .select('used_bytes')
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return row ? Number(row.used_bytes) : 0;
  }

  /** The Workspace's storage quota in bytes (its own, or the default). */
  async quota(workspaceId: string, db = this.#store.db): Promise<number> {
    const row = await db
      .selectFrom('workspace_storage')
      .select('quota_bytes')
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return row?.quota_bytes == null ? this.defaultQuotaBytes : Number(row.quota_bytes);
  }

  /** Sets the Workspace's quota (null: back to the default). Files already stored stay. */
  async setQuota(workspaceId: string, bytes: number | null): Promise<void> {
    if (bytes !== null && (!Number.isSafeInteger(bytes) || bytes < 0)) {
      throw new RangeError(`a storage quota must be a non-negative integer of bytes or null, got ${bytes}`);
    }
    await this.#store.db.transaction().execute(async (tx) => {
      await this.#ensureUsageRow(tx, workspaceId);
      await tx
        .updateTable('workspace_storage')
        .set({ quota_bytes: bytes, updated_at: this.#now().toISOString() })
        .where('workspace_id', '=', workspaceId)
        .execute();
    });
  }

  /**
   * Removes what a crash can leave behind: partial uploads in tmp/ and content files that no
   * metadata row names (renamed, then the transaction did not commit). Only files older than
   * `olderThanMs` (default an hour), so uploads in flight on this or another node are spared.
   * Returns how many files it removed.
   */
  async sweep(olderThanMs = 60 * 60 * 1000): Promise<number> {
    const cutoff = this.#now().getTime() - olderThanMs;
    let removed = 0;
    const entries = await readdir(this.#root, { withFileTypes: true }).catch(() => []);
    for (const dir of entries) {
      if (!dir.isDirectory()) continue;
      const folder = join(this.#root, dir.name);
      for (const name of await readdir(folder)) {
        const path = join(folder, name);
        const info = await stat(path).catch(() => undefined);
        if (!info || info.mtimeMs > cutoff) continue;
        if (dir.name !== 'tmp') {
          // Maintenance over the whole root: ids are random UUIDs, unique across Workspaces.
          const known = await this.#store.db
            .selectFrom('file')
            .select('id')
            .where('id', '=', name)
            .executeTakeFirst();
          if (known) continue;
        }
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  #pathOf(id: string): string {
    return join(this.#root, id.slice(0, 2), id);
  }

  async #require(workspaceId: string, id: string): Promise<StoredFile> {
    const file = await this.stat(workspaceId, id);
    if (!file) throw unknownFile(id);
    return file;
  }

  #missing(id: string, error: unknown): FileStoreError {
    return new FileStoreError('FILE_MISSING', `the content of file "${id}" is missing from the disk`, {
      cause: error,
    });
  }

  #quotaError(workspaceId: string, name: string, size: number, room: number): FileStoreError {
    return new FileStoreError(
      'QUOTA_EXCEEDED',
      `"${name}" (at least ${size} bytes) does not fit in the storage quota of workspace "${workspaceId}": ${Math.max(0, room)} bytes left`,
    );
  }

  async #ensureUsageRow(tx: Store['db'], workspaceId: string): Promise<void> {
    await tx
      .insertInto('workspace_storage')
      .values({
        workspace_id: workspaceId,
        quota_bytes: null,
        used_bytes: 0,
        updated_at: this.#now().toISOString(),
      })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute();
  }
}

function unknownFile(id: string): FileStoreError {
  return new FileStoreError('UNKNOWN_FILE', `no file with id "${id}" in this workspace`);
}

function checkInput(input: FileInput): void {
  const name = typeof input?.name === 'string' ? input.name : '';
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH || hasForbiddenCharacter(name)) {
    throw new FileStoreError(
      'BAD_FILE_INPUT',
      `a file name must be 1 to ${MAX_NAME_LENGTH} characters without control characters, "/" or "\\"; got ${JSON.stringify(input?.name)}`,
    );
  }
  if (typeof input.contentType !== 'string' || !CONTENT_TYPE.test(input.contentType)) {
    throw new FileStoreError(
      'BAD_FILE_INPUT',
      `the content type of "${name}" must look like type/subtype; got ${JSON.stringify(input.contentType)}`,
    );
  }
  if (!(input.bytes instanceof Uint8Array) && !isAsyncIterable(input.bytes)) {
    throw new FileStoreError(
      'BAD_FILE_INPUT',
      `the content of "${name}" must be bytes or an async iterable of bytes`,
    );
  }
}

/** Control characters and path separators: a name is shown and used in downloads, never as a path. */
function hasForbiddenCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x2f || c === 0x5c) return true;
  }
  return false;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return value != null && typeof (value as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function';
}

/**
 * Writes the chunks to `path`, hashing and counting; `check(sizeSoFar)` may return an error to
 * stop at once (before the chunk that crosses the line is written). Flushed before returning.
 */
async function writeCounted(
  path: string,
  bytes: Uint8Array | AsyncIterable<Uint8Array>,
  check: (size: number) => Error | undefined,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  const handle = await open(path, 'wx');
  let size = 0;
  try {
    const write = async (chunk: Uint8Array): Promise<void> => {
      if (!(chunk instanceof Uint8Array)) {
        throw new FileStoreError('BAD_FILE_INPUT', 'a file stream gave something that is not bytes');
      }
      size += chunk.byteLength;
      const problem = check(size);
      if (problem) throw problem;
      hash.update(chunk);
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
        offset += bytesWritten;
      }
    };
    if (bytes instanceof Uint8Array) await write(bytes);
    else for await (const chunk of bytes) await write(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { size, sha256: hash.digest('hex') };
}
