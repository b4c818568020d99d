import type { OptionsIndex } from '@nagare/engine';
import { decodeCursor, encodeCursor } from './choices-cursor.js';
import { OptionsError } from './options-error.js';
import type { MasterRevision } from './options-master-store.js';

export interface ChoicesQuery {
  /** Label contains it, or id starts with it (case-insensitive, NFKC). */
  readonly q?: string | undefined;
  /** A dependent select: only ids starting with the parent's chosen id (forward match). */
  readonly parentId?: string | undefined;
  /** Page size, 1..MAX_CHOICES_LIMIT (default 50). */
  readonly limit?: number | undefined;
  /** From the previous page's `nextCursor`. */
  readonly cursor?: string | undefined;
}

export interface Choice {
  readonly id: string;
  readonly label: string;
}

export interface ChoicesPage {
  readonly master: string;
  readonly version: number;
  readonly choices: readonly Choice[];
  /** Present when more matches follow (and they are within the first MAX_PAGED_MATCHES). */
  readonly nextCursor?: string;
}

export const DEFAULT_CHOICES_LIMIT = 50;
export const MAX_CHOICES_LIMIT = 500;
/** The index answers at most this many matches per lookup: page further by refining the query. */
export const MAX_PAGED_MATCHES = 10_000;
export const MAX_QUERY_LENGTH = 200;

/**
 * One page of a search-select lookup, in master order. A page at offset o asks the index for
 * the first o + limit + 1 matches (the extra one says whether a next page exists): matches are
 * found in master order, so later pages cost a little more, bounded by MAX_PAGED_MATCHES.
 */
export function pageOfChoices(
  master: string,
  revision: MasterRevision,
  index: OptionsIndex,
  query: ChoicesQuery,
): ChoicesPage {
  const limit = query.limit ?? DEFAULT_CHOICES_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHOICES_LIMIT) {
    throw new OptionsError(
      'BAD_QUERY',
      `limit must be an integer from 1 to ${MAX_CHOICES_LIMIT}; got ${limit}`,
    );
  }
  for (const [field, value] of [
    ['q', query.q],
    ['parentId', query.parentId],
  ] as const) {
    if (value !== undefined && value.length > MAX_QUERY_LENGTH) {
      throw new OptionsError('BAD_QUERY', `${field} is longer than ${MAX_QUERY_LENGTH} characters`);
    }
  }
  const offset = query.cursor === undefined ? 0 : decodeCursor(query.cursor, master, revision).offset;
  if (offset >= MAX_PAGED_MATCHES) {
    throw new OptionsError('BAD_CURSOR', `the cursor points past the first ${MAX_PAGED_MATCHES} matches`);
  }
  const wanted = Math.min(offset + limit + 1, MAX_PAGED_MATCHES);
  const parent = query.parentId === '' ? undefined : query.parentId;
  const found = index.lookup({
    ...(query.q === undefined ? {} : { query: query.q }),
    ...(parent === undefined ? {} : { parent }),
    limit: wanted,
  });
  const end = offset + limit;
  const choices = found.slice(offset, end).map((item) => ({ id: item.value, label: item.display }));
  const more = found.length > end && end < MAX_PAGED_MATCHES;
  const { version } = revision;
  return more
    ? { master, version, choices, nextCursor: encodeCursor(revision, end) }
    : { master, version, choices };
}
