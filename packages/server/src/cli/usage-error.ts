/** Bad command line or unreadable input: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes, the same for every command. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 });
