/**
 * Where attachments (file data items, files made by auto-steps) live. The default keeps them on
 * the local disk under the data directory; an S3-compatible store can implement the same
 * interface later. Every file belongs to one workspace: an id from another workspace does not
 * resolve, and every byte stored counts against the workspace's storage quota.
 */

/** A file data item's value is a list of these (what the data holds). */
export interface FileRef {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
}

export interface StoredFile extends FileRef {
  readonly workspaceId: string;
  /** Hex SHA-256 of the content. */
  readonly sha256: string;
  readonly createdAt: string;
}

export interface FileInput {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array | AsyncIterable<Uint8Array>;
}

export interface FileStore {
  /**
   * Stores a file. Refuses (a `FileStoreError`, nothing kept) a file over the per-request limit
   * (100 MB by default) or one that would take the workspace over its quota.
   */
  put(workspaceId: string, input: FileInput): Promise<StoredFile>;
  /** The file's metadata, or undefined when the id is unknown in that workspace. */
  stat(workspaceId: string, id: string): Promise<StoredFile | undefined>;
  /** The file's content; a `FileStoreError` (code `UNKNOWN_FILE`) when the id is unknown there. */
  read(workspaceId: string, id: string): Promise<Uint8Array>;
  delete(workspaceId: string, id: string): Promise<void>;
  /** Bytes stored for the workspace, as counted against its quota. */
  usage(workspaceId: string): Promise<number>;
}
