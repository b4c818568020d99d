import { OptionsError } from './options-error.js';
import type { MasterRevision } from './options-master-store.js';

/**
 * A paging cursor: the master's revision (version and the start of its hash) and how many
 * matches came before the page, as base64url JSON. Opaque to clients; one from another import
 * of the master is refused, since the matches after it may have moved.
 */
export interface ChoicesCursor {
  readonly offset: number;
}

const HASH_CHARS = 12;

export function encodeCursor(revision: MasterRevision, offset: number): string {
  return Buffer.from(
    JSON.stringify({ v: revision.version, h: revision.sha256.slice(0, HASH_CHARS), o: offset }),
  ).toString('base64url');
}

/** Whether the cursor was given out for this revision (no error for a bad one: decodeCursor says why). */
export function cursorMatches(text: string, revision: MasterRevision): boolean {
  try {
    decodeCursor(text, '', revision);
    return true;
  } catch {
    return false;
  }
}

export function decodeCursor(text: string, master: string, revision: MasterRevision): ChoicesCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { v, h, o } = (parsed ?? {}) as { v?: unknown; h?: unknown; o?: unknown };
  if (!Number.isSafeInteger(v) || typeof h !== 'string' || !Number.isSafeInteger(o) || (o as number) < 0) {
    throw new OptionsError('BAD_CURSOR', `the cursor "${text.slice(0, 40)}" is not one this server gave out`);
  }
  if (v !== revision.version) {
    throw new OptionsError(
      'BAD_CURSOR',
      `the cursor is from version ${v} of options master "${master}", which is now at version ${revision.version}: start again without a cursor`,
    );
  }
  if (h !== revision.sha256.slice(0, HASH_CHARS)) {
    throw new OptionsError(
      'BAD_CURSOR',
      `the cursor is from an earlier import of options master "${master}": start again without a cursor`,
    );
  }
  return { offset: o as number };
}
