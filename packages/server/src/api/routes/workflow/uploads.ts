import type { FastifyRequest } from 'fastify';
import type { FileRef, FileStore } from '../../../files/file-store.js';
import { BadRequest } from '../../errors.js';

/** The per-request limit for uploaded files: refused while streaming, before anything is kept. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export const MULTIPART_LIMITS = {
  fileSize: MAX_UPLOAD_BYTES,
  files: 50,
  fields: 500,
  fieldSize: 1024 * 1024,
};

/** What a request carries: plain fields (text) and files stored under their field name. */
export interface Upload {
  readonly fields: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, FileRef[]>>;
  /** Removes the stored files again (the request was refused after they were stored). */
  discard(): Promise<void>;
}

export function isMultipart(request: FastifyRequest): boolean {
  return request.isMultipart();
}

/**
 * Reads a multipart request: each file part goes straight into the FileStore (streamed, the
 * limit checked while it streams); each other part is a text field. If anything fails half-way,
 * the files already stored are deleted, so a refused request leaves nothing behind.
 */
export async function readUpload(
  request: FastifyRequest,
  files: FileStore,
  workspaceId: string,
): Promise<Upload> {
  const fields: Record<string, string> = {};
  const stored: Record<string, FileRef[]> = {};
  const all: FileRef[] = [];
  const discard = async () => {
    await Promise.allSettled(all.map((f) => files.delete(workspaceId, f.id)));
  };
  try {
    for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
      if (part.type === 'file') {
        if (!part.filename) {
          part.file.resume();
          throw new BadRequest(`multipart field "${part.fieldname}": a file part needs a filename`);
        }
        const file = await files.put(workspaceId, {
          name: part.filename,
          contentType: part.mimetype || 'application/octet-stream',
          bytes: part.file,
        });
        const ref: FileRef = { id: file.id, name: file.name, contentType: file.contentType, size: file.size };
        all.push(ref);
        const list = stored[part.fieldname] ?? [];
        list.push(ref);
        stored[part.fieldname] = list;
      } else {
        if (Object.hasOwn(fields, part.fieldname)) {
          throw new BadRequest(`multipart field "${part.fieldname}" is given twice`);
        }
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    await discard();
    throw error;
  }
  return { fields, files: stored, discard };
}

/** The `data` field of a form: a JSON object of values by field name. */
export function parseDataField(text: string | undefined, where: string): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`${where}: "data" is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest(`${where}: "data" must be a JSON object of values by field name`);
  }
  return value as Record<string, unknown>;
}

/** Refuses text fields a route does not read (a typo must not be dropped silently). */
export function onlyFields(upload: Upload, allowed: readonly string[]): void {
  const unknown = Object.keys(upload.fields).filter((f) => !allowed.includes(f));
  if (unknown.length > 0) {
    throw new BadRequest(
      `multipart field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')} unknown here: send values in the "data" field (JSON), files as file parts`,
    );
  }
}
