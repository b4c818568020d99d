/** Why an outbound request was not made or not finished. */
export type OutboundErrorCode =
  | 'BAD_URL'
  | 'REFUSED_ADDRESS'
  | 'DNS'
  | 'TOO_MANY_REDIRECTS'
  | 'RESPONSE_TOO_LARGE'
  | 'TIMEOUT'
  | 'NETWORK';

export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  readonly code: OutboundErrorCode;

  constructor(code: OutboundErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  /** Refusals and bad URLs fail the same way again; the rest may pass later. */
  get retryable(): boolean {
    return this.code !== 'BAD_URL' && this.code !== 'REFUSED_ADDRESS' && this.code !== 'RESPONSE_TOO_LARGE';
  }
}
