/**
 * Why a FileStore refused: a stable code for callers (an API route maps it to its HTTP error,
 * a connector to an incident) and a message for people that names the file and the limit.
 *
 * - `FILE_TOO_LARGE`: over the per-request limit; nothing was kept.
 * - `QUOTA_EXCEEDED`: storing it would take the Workspace over its storage quota; nothing was kept.
 * - `UNKNOWN_FILE`: no file with that id in that Workspace (another Workspace's ids do not resolve).
 * - `BAD_FILE_INPUT`: an empty or over-long name, a content type that is not `type/subtype`.
 * - `FILE_MISSING`: the metadata is there but the content is gone from the disk (an operator removed it).
 */
export type FileStoreErrorCode =
  | 'FILE_TOO_LARGE'
  | 'QUOTA_EXCEEDED'
  | 'UNKNOWN_FILE'
  | 'BAD_FILE_INPUT'
  | 'FILE_MISSING';

export class FileStoreError extends Error {
  override readonly name = 'FileStoreError';
  readonly code: FileStoreErrorCode;

  constructor(code: FileStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
