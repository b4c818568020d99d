import type { FastifyInstance } from 'fastify';
import { FileStoreError } from '../../../files/file-store-error.js';
import { RuntimeError } from '../../../runtime/errors.js';
import { BadRequest, NagareError, PayloadTooLarge } from '../../errors.js';

/** Engine rejections that are about the data sent, not the state. */
const DATA_REJECTIONS = new Set(['UNKNOWN_DATA_ITEM', 'BAD_DATA_VALUE']);
/** Engine rejections that mean the request itself was wrong (a button, a start event). */
const REQUEST_REJECTIONS = new Set([
  'BUTTON_REQUIRED',
  'UNKNOWN_BUTTON',
  'UNKNOWN_START_EVENT',
  'START_EVENT_REQUIRED',
]);

/**
 * 400 NAGARE_INVALID_DATA listing every problem (each `{ code, fieldName, message }`), the
 * message naming the first: one shape whether a route or the runtime found them.
 */
export function invalidData(
  problems: readonly { code: string; fieldName: string; message: string }[],
): NagareError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new NagareError(
    'NAGARE_INVALID_DATA',
    `Invalid data: ${first?.message ?? 'refused'}${more}`,
    problems.map((e) => ({ code: e.code, fieldName: e.fieldName, message: e.message })),
  );
}

/**
 * The API error for a runtime or file store refusal, so a route can let them through:
 * unknown things are 404, an issue in the wrong state 409, bad BPMN and bad data 400 with
 * their details. Anything else (STORE, CLOSED, a bug) stays a 500.
 */
export function toApiError(error: unknown): unknown {
  if (error instanceof RuntimeError) {
    switch (error.code) {
      case 'UNKNOWN_APP':
      case 'UNKNOWN_VERSION':
      case 'UNKNOWN_ISSUE':
      case 'UNKNOWN_TASK':
      case 'UNKNOWN_INCIDENT':
        return new NagareError('NAGARE_NOT_FOUND', error.message);
      case 'COMPILE_FAILED':
        return new NagareError('NAGARE_INVALID_BPMN', error.message, error.details ?? []);
      case 'NOT_YOUR_TASK':
        return new NagareError('NAGARE_FORBIDDEN', error.message);
      case 'NOT_RELEASED':
      case 'TASK_NOT_OPEN':
      case 'CONFLICT':
        return new NagareError('NAGARE_CONFLICT', error.message);
      case 'BAD_INPUT':
        return new BadRequest(error.message);
      case 'INVALID_DATA':
        return invalidData(
          Array.isArray(error.details) ? (error.details as Parameters<typeof invalidData>[0]) : [],
        );
      case 'REJECTED':
        if (error.rejection === 'UNKNOWN_INCIDENT') return new NagareError('NAGARE_NOT_FOUND', error.message);
        if (error.rejection && DATA_REJECTIONS.has(error.rejection)) {
          return new NagareError('NAGARE_INVALID_DATA', error.message, [
            { code: error.rejection, fieldName: '', message: error.message },
          ]);
        }
        if (error.rejection && REQUEST_REJECTIONS.has(error.rejection)) return new BadRequest(error.message);
        return new NagareError('NAGARE_CONFLICT', error.message, { rejection: error.rejection });
      default:
        return error;
    }
  }
  if (error instanceof FileStoreError) {
    switch (error.code) {
      case 'FILE_TOO_LARGE': {
        const e = new PayloadTooLarge();
        return new NagareError(e.code, error.message);
      }
      case 'QUOTA_EXCEEDED':
        return new NagareError('NAGARE_QUOTA_EXCEEDED', error.message);
      case 'UNKNOWN_FILE':
      case 'FILE_MISSING':
        return new NagareError('NAGARE_NOT_FOUND', error.message);
      case 'BAD_FILE_INPUT':
        return new BadRequest(error.message);
    }
  }
  return error;
}

/** In the workflow routes, runtime and file refusals become coded API errors (then the app's handler). */
export function mapWorkflowErrors(app: FastifyInstance): void {
  app.setErrorHandler((error) => {
    throw toApiError(error);
  });
}
