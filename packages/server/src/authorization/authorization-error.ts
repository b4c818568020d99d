export type AuthorizationErrorCode =
  /** The input names a bad kind, an empty name, a bad URL or header, ... */
  | 'BAD_INPUT'
  /** NAGARE_SECRET_KEY is not set (or malformed): secrets cannot be stored or read. */
  | 'NO_SECRET_KEY'
  | 'UNKNOWN_SETTING'
  /** An OAuth 2.0 authorization-code setting nobody has connected yet (or whose refresh failed for good). */
  | 'NOT_CONNECTED'
  /** The token endpoint refused or could not be reached. */
  | 'OAUTH_FAILED'
  /** A callback with an unknown, used or expired `state`. */
  | 'UNKNOWN_STATE';

export class AuthorizationError extends Error {
  override readonly name = 'AuthorizationError';
  readonly code: AuthorizationErrorCode;
  /** true when the same call may pass later (token endpoint down, 5xx). */
  readonly retryable: boolean;

  constructor(code: AuthorizationErrorCode, message: string, retryable = false) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }
}
