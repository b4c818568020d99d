import { randomUUID } from 'node:crypto';
import type { AuthorizationResolver } from '../../authorization/authorization-settings.js';
import type { FileRef, FileStore } from '../../files/file-store.js';
import { createOutboundFetch, type OutboundFetch } from '../../outbound/outbound-fetch.js';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { isFileRef } from '../http/connector.js';
import { badConfig, thrownFailure } from '../http/outcome.js';
import { baseUrlOf, configText, isFailure, stepAuth, vendorCall } from '../http/vendor-call.js';
import { DRIVE_UPLOAD_PATH } from './config.js';

export interface GoogleDriveConnectorOptions {
  readonly fetch?: OutboundFetch;
  readonly authorization?: AuthorizationResolver;
  readonly fileStore?: FileStore;
  readonly baseUrl?: string;
}

/**
 * Uploads files to Google Drive with a multipart upload: one `multipart/related` request per
 * file, metadata (name, parent folder) as the JSON first part and the content as the second,
 * with the OAuth 2.0 access token of the step's setting (refreshed when it is about to expire).
 */
export function googleDriveConnector(options: GoogleDriveConnectorOptions = {}): Connector {
  const fetch = options.fetch ?? createOutboundFetch();
  return {
    type: 'googleDrive',
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const configs = job.automation.configs;
      const base = baseUrlOf(configs, options.baseUrl ?? 'https://www.googleapis.com');
      if (isFailure(base)) return base;
      const fileItem = configs.fileItem?.trim();
      if (!fileItem) return badConfig('config "fileItem" is required');
      if (!options.fileStore) return badConfig('this server has no file store');
      const issue = await job.issue();
      const refs = issue.data[fileItem];
      if (refs !== null && refs !== undefined && (!Array.isArray(refs) || !refs.every(isFileRef))) {
        return badConfig(`config "fileItem": ${fileItem} is not a file data item`);
      }
      const folder = configText(issue, configs, 'folderId', false);
      if (isFailure(folder)) return folder;
      const ids: string[] = [];
      const links: string[] = [];
      for (const ref of (refs ?? []) as FileRef[]) {
        // the token is asked for per file: a long upload run may outlive it
        const auth = await stepAuth(options.authorization, job, issue, configs.auth?.trim(), signal);
        if (isFailure(auth)) return auth;
        let bytes: Uint8Array;
        try {
          bytes = await options.fileStore.read(job.workspaceId, ref.id);
        } catch (error) {
          return thrownFailure(error, `file ${ref.name}`);
        }
        const boundary = `nagare-${randomUUID()}`;
        const metadata = JSON.stringify({
          name: ref.name,
          ...(folder.trim() ? { parents: [folder.trim()] } : {}),
        });
        const body = Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${metadata}\r\n--${boundary}\r\nContent-Type: ${ref.contentType}\r\n\r\n`,
          ),
          Buffer.from(bytes),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const answer = await vendorCall(fetch, job, signal, `Google Drive upload ${ref.name}`, {
          method: 'POST',
          url: `${base}${DRIVE_UPLOAD_PATH}?uploadType=multipart&fields=id,name,webViewLink`,
          headers: { ...auth, 'content-type': `multipart/related; boundary=${boundary}` },
          body,
        });
        if (isFailure(answer)) return answer;
        const json = (answer.json ?? {}) as { id?: unknown; webViewLink?: unknown };
        ids.push(typeof json.id === 'string' ? json.id : '');
        links.push(typeof json.webViewLink === 'string' ? json.webViewLink : '');
      }
      const data: Record<string, string> = {};
      if (configs.fileIdItem?.trim()) data[configs.fileIdItem.trim()] = ids.join('\n');
      if (configs.urlItem?.trim()) data[configs.urlItem.trim()] = links.join('\n');
      return { ok: true, data };
    },
  };
}
