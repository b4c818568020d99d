import { OptionsError } from './options-error.js';

/**
 * A paging cursor: the master's version and how many matches came before the page, as
 * base64url JSON. Opaque to clients; one from an earlier version of the master is refused,
 * since the matches after it may have moved.
 */
export interface ChoicesCursor {
  readonly version: number;
  readonly offset: number;
}

export function encodeCursor(cursor: ChoicesCursor): string {
  return Buffer.from(JSON.stringify({ v: cursor.version, o: cursor.offset })).toString('base64url');
}

export function decodeCursor(text: string, master: string, version: number): ChoicesCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { v, o } = (parsed ?? {}) as { v?: unknown; o?: unknown };
  if (!Number.isSafeInteger(v) || !Number.isSafeInteger(o) || (o as number) < 0) {
    throw new OptionsError('BAD_CURSOR', `the cursor "${text.slice(0, 40)}" is not one this server gave out`);
  }
  if (v !== version) {
    throw new OptionsError(
      'BAD_CURSOR',
      `the cursor is from version ${v} of options master "${master}", which is now at version ${version}: start again without a cursor`,
    );
  }
  return { version, offset: o as number };
}
