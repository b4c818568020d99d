/**
 * - `BAD_FILTER`: a date that is not ISO 8601, `from` not before `to`, a limit out of range.
 * - `TOO_BROAD`: more Issues in the window than one request reads; narrow the dates or filter by App.
 */
export type ProcessLogErrorCode = 'BAD_FILTER' | 'TOO_BROAD';

export class ProcessLogError extends Error {
  override readonly name = 'ProcessLogError';
  readonly code: ProcessLogErrorCode;

  constructor(code: ProcessLogErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
