import type { FileStore } from '../../files/file-store.js';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { isFileRef } from '../http/connector.js';
import { badConfig, failure, thrownFailure } from '../http/outcome.js';
import { renderTemplate } from '../http/template.js';
import { readFileStorageConfig } from './config.js';
import { FolderExistsError, type FolderStore, pathProblem } from './folder-store.js';

export interface FileStorageConnectorOptions {
  readonly fileStore?: FileStore;
  /** Folder stores by name; `local` is the data directory's. */
  readonly folders?: Readonly<Record<string, FolderStore>>;
}

/** Writes the files of a file data item into a folder of a folder store. */
export function fileStorageConnector(options: FileStorageConnectorOptions = {}): Connector {
  return {
    type: 'fileStorage',
    async run(job: JobRun): Promise<ConnectorResult> {
      const read = readFileStorageConfig(job.automation.configs);
      if (!read.ok) return badConfig(read.error);
      const config = read.config;
      const folders = options.folders ?? {};
      const store = folders[config.store];
      if (!store) {
        return badConfig(
          `config "store": no folder store "${config.store}" (known: ${Object.keys(folders).join(', ') || 'none'})`,
        );
      }
      if (!options.fileStore) return badConfig('this server has no file store');
      const issue = await job.issue();
      const folderText = renderTemplate(config.folder, issue);
      if (!folderText.ok) return badConfig(`config "folder": ${folderText.error}`);
      const folder = folderText.text
        .split('/')
        .filter((s) => s.trim() !== '')
        .map((s) => s.trim());
      const problem = pathProblem(folder);
      if (problem) return badConfig(`config "folder": ${problem}`);
      const refs = issue.data[config.fileItem];
      if (refs !== null && refs !== undefined && (!Array.isArray(refs) || !refs.every(isFileRef))) {
        return badConfig(`config "fileItem": ${config.fileItem} is not a file data item`);
      }
      const written: string[] = [];
      for (const ref of (refs ?? []) as { id: string; name: string }[]) {
        const nameProblem = pathProblem([ref.name]);
        if (nameProblem) return badConfig(`file ${ref.name}: ${nameProblem}`);
        try {
          const bytes = await options.fileStore.read(job.workspaceId, ref.id);
          written.push((await store.write(job.workspaceId, folder, ref.name, bytes, config.onExists)).path);
        } catch (error) {
          if (error instanceof FolderExistsError) return failure('FILE_EXISTS', error.message, false);
          return thrownFailure(error, `writing ${ref.name}`);
        }
      }
      return { ok: true, data: config.pathItem ? { [config.pathItem]: written.join('\n') } : {} };
    },
  };
}
