export type { FileInput, FileRef, FileStore, StoredFile } from './file-store.js';
export { FileStoreError, type FileStoreErrorCode } from './file-store-error.js';
export {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_QUOTA_BYTES,
  LocalFileStore,
  type LocalFileStoreOptions,
} from './local-file-store.js';
