import { type Static, Type } from '@sinclair/typebox';

/**
 * Every error the API sends has this shape and one of the codes below. Codes are stable: a
 * client may switch on them; messages are for people and may change. docs/api.md lists them.
 */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code, e.g. NAGARE_NOT_FOUND' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { title: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** The codes, their HTTP status, and what they mean (the source of docs/api.md's table). */
export const errorCodes = {
  NAGARE_INVALID_REQUEST: {
    status: 400,
    meaning: 'A parameter, query field or body field failed its schema.',
  },
  NAGARE_INVALID_JSON: { status: 400, meaning: 'The request body is not valid JSON.' },
  NAGARE_NOT_FOUND: { status: 404, meaning: 'No such route or resource.' },
  NAGARE_METHOD_NOT_ALLOWED: { status: 405, meaning: 'The path exists but not with this HTTP method.' },
  NAGARE_PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The request body is over the size limit.' },
  NAGARE_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    meaning: 'The request body has a content type the route does not accept.',
  },
  NAGARE_BAD_REQUEST: { status: 400, meaning: 'The request was refused for another client-side reason.' },
  NAGARE_UNAUTHORIZED: { status: 401, meaning: 'No valid credentials: sign in (session, Basic or Bearer).' },
  NAGARE_FORBIDDEN: { status: 403, meaning: 'Signed in, but without the authority this needs.' },
  NAGARE_INSUFFICIENT_SCOPE: { status: 403, meaning: 'The OAuth token lacks the scope (read = GET only).' },
  NAGARE_CSRF: { status: 403, meaning: 'A cookie-session request that changes state lacks its CSRF token.' },
  NAGARE_CONFLICT: {
    status: 409,
    meaning: 'The change conflicts with existing data (duplicate, still in use).',
  },
  NAGARE_RATE_LIMITED: { status: 429, meaning: 'Too many requests for this user or client; retry later.' },
  NAGARE_INVALID_OPTIONS_XML: {
    status: 400,
    meaning: 'The options XML has problems; `details` lists each with its line. Nothing was changed.',
  },
  NAGARE_INVALID_CURSOR: {
    status: 400,
    meaning: 'A paging cursor that this server did not give out, or from an older version of the data.',
  },
  NAGARE_INVALID_BPMN: {
    status: 400,
    meaning:
      'The BPMN does not compile; `details` lists each problem with the element it names. Nothing was stored.',
  },
  NAGARE_INVALID_DATA: {
    status: 400,
    meaning:
      'Data item values were refused; `details` lists each `{ code, fieldName, message }`. Nothing was changed.',
  },
  NAGARE_QUOTA_EXCEEDED: {
    status: 507,
    meaning: 'Storing the file would take the workspace over its storage quota; nothing was kept.',
  },
  NAGARE_INTERNAL: { status: 500, meaning: 'An unexpected server error; the log has the details.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** An error the API answers with as is: its code, the code's status, its message and details. */
export class NagareError extends Error {
  override readonly name = 'NagareError';
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.statusCode = errorCodes[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/**
 * A constructor per code with its message template, like Fastify's createError table: routes
 * throw `new NotFound('issue', id)` and the error handler does the rest.
 */
function createError<Args extends unknown[]>(code: ErrorCode, template: (...args: Args) => string) {
  return class extends NagareError {
    constructor(...args: Args) {
      super(code, template(...args));
    }
  };
}

export const RouteNotFound = createError(
  'NAGARE_NOT_FOUND',
  (method: string, url: string) => `Route ${method} ${url} not found`,
);
export const NotFound = createError(
  'NAGARE_NOT_FOUND',
  (what: string, id: string) => `No ${what} with id "${id}"`,
);
export const MethodNotAllowed = createError(
  'NAGARE_METHOD_NOT_ALLOWED',
  (method: string, url: string, allowed: readonly string[]) =>
    `Method ${method} is not allowed on ${url} (allowed: ${allowed.join(', ')})`,
);
export const InvalidJson = createError(
  'NAGARE_INVALID_JSON',
  (reason: string) => `The request body is not valid JSON: ${reason}`,
);
export const PayloadTooLarge = createError('NAGARE_PAYLOAD_TOO_LARGE', () => 'The request body is too large');
export const UnsupportedMediaType = createError(
  'NAGARE_UNSUPPORTED_MEDIA_TYPE',
  (contentType: string) => `Unsupported content type: ${contentType}`,
);
export const BadRequest = createError('NAGARE_BAD_REQUEST', (reason: string) => reason);
export const Internal = createError('NAGARE_INTERNAL', () => 'Internal server error');

/** One field that failed its schema: where (`querystring.timeoutMs`) and why. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class InvalidRequest extends NagareError {
  constructor(problems: readonly FieldProblem[]) {
    const first = problems[0];
    const summary = first ? `${first.field} ${first.message}` : 'the request does not match its schema';
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super('NAGARE_INVALID_REQUEST', `Invalid request: ${summary}${more}`, problems);
  }
}
