/**
 * The file-storage step's configs (`nagare:automation type="fileStorage"`): the files of a
 * file data item written into a folder. Text configs may carry data items.
 *
 * | name       | meaning                                                                         |
 * | ---------- | ------------------------------------------------------------------------------- |
 * | `fileItem` | required: the file data item whose files are written                            |
 * | `folder`   | the folder, `/`-separated, relative to the store's root; default the root       |
 * | `store`    | the folder store by name; default `local` (`<dataDir>/folders/<workspace>/`)    |
 * | `onExists` | `rename` (default: `name (1).ext`; the same content is reused), `overwrite`, `fail` |
 * | `pathItem` | a string data item that receives the written paths, one per line               |
 */
export interface FileStorageConfig {
  readonly fileItem: string;
  readonly folder: string;
  readonly store: string;
  readonly onExists: 'rename' | 'overwrite' | 'fail';
  readonly pathItem: string | undefined;
}

export type FileStorageConfigResult =
  | { readonly ok: true; readonly config: FileStorageConfig }
  | { readonly ok: false; readonly error: string };

export function readFileStorageConfig(configs: Readonly<Record<string, string>>): FileStorageConfigResult {
  const fileItem = configs.fileItem?.trim() ?? '';
  if (fileItem === '') return { ok: false, error: 'config "fileItem" is required' };
  const onExists = (configs.onExists?.trim() || 'rename') as FileStorageConfig['onExists'];
  if (!['rename', 'overwrite', 'fail'].includes(onExists)) {
    return {
      ok: false,
      error: `config "onExists" must be rename, overwrite or fail, got "${configs.onExists}"`,
    };
  }
  return {
    ok: true,
    config: {
      fileItem,
      folder: configs.folder?.trim() ?? '',
      store: configs.store?.trim() || 'local',
      onExists,
      pathItem: configs.pathItem?.trim() || undefined,
    },
  };
}
