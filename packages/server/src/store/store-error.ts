/**
 * Why a store could not be opened or migrated. The CLI prints `message` alone (no stack):
 * it is written for the person who set DATABASE_URL or --data-dir, and never holds a password.
 *
 * - `config`: the configuration itself is wrong (malformed DATABASE_URL, data dir is a file);
 *   retrying will not help.
 * - `unavailable`: the database could not be reached or refused us; it may work later.
 * - `migration`: a migration failed; the database is left at the last good migration.
 */
export type StoreErrorKind = 'config' | 'unavailable' | 'migration';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly kind: StoreErrorKind;

  constructor(kind: StoreErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** A one-line reason from whatever a driver threw (pg throws AggregateError with an empty message). */
export function describeCause(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    const reasons = new Set(error.errors.map(describeCause));
    return [...reasons].join('; ');
  }
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    const message = error.message.split('\n')[0]?.trim() ?? '';
    if (message === '') return code ?? error.name;
    return code && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}
