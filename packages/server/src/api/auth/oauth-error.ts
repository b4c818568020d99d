/**
 * An OAuth 2.0 error (RFC 6749 §5.2): the token and revocation endpoints answer
 * `{ "error": "invalid_grant", "error_description": "..." }`, the one place the API does not
 * use the NAGARE_* format, because OAuth clients (openid-client and others) parse this one.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type';

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly code: OAuthErrorCode;
  readonly status: number;

  constructor(code: OAuthErrorCode, description: string, status = code === 'invalid_client' ? 401 : 400) {
    super(description);
    this.code = code;
    this.status = status;
  }

  toBody(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}
