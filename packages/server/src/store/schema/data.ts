/**
 * The data tables of migration 0007 (files, storage usage, options masters). Sizes and byte
 * counts are `bigint` columns: PostgreSQL's driver returns them as strings, so they are read
 * as `number | string` and converted where read (`Number(...)`).
 */

/** A stored file's metadata; the content is on disk (files/local-file-store.ts). */
export interface FileTable {
  workspace_id: string;
  id: string;
  name: string;
  content_type: string;
  size: number | string;
  /** Hex SHA-256 of the content. */
  sha256: string;
  created_at: string;
}

/** Per Workspace: bytes stored (exact, kept in the same transaction as the file rows) and its quota. */
export interface WorkspaceStorageTable {
  workspace_id: string;
  /** null: the server's default quota. */
  quota_bytes: number | string | null;
  used_bytes: number | string;
  updated_at: string;
}

/** An options master: the items of one imported options XML, replaced whole on each import. */
export interface OptionsMasterTable {
  workspace_id: string;
  name: string;
  /** 1 on the first import, +1 on each replacement: the in-memory indexes check it. */
  version: number;
  item_count: number;
  /** Hex SHA-256 of the imported XML. */
  sha256: string;
  /** JSON `[[value, display], ...]` in master order. */
  items: string;
  created_at: string;
  updated_at: string;
}

export interface DataTables {
  file: FileTable;
  workspace_storage: WorkspaceStorageTable;
  options_master: OptionsMasterTable;
}
