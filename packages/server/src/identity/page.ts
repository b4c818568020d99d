import { IdentityError } from './identity-error.js';

/**
 * Cursor pagination for the identity lists: rows in id order, the cursor is the last id of the
 * page (base64url, opaque to clients), so pages stay stable while rows are added or removed.
 */
export interface PageRequest {
  /** 1..200; default 50. */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** The id after which the page starts, or undefined for the first page. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
}

/** A cursor over a two-column key, as `[a, b]` JSON; anything else is refused, never a 500. */
export function decodePairCursor(cursor: string | undefined): [string, string] | undefined {
  const text = decodeCursor(cursor);
  if (text === undefined) return undefined;
  try {
    const pair: unknown = JSON.parse(text);
    if (Array.isArray(pair) && pair.length === 2 && pair.every((x) => typeof x === 'string')) {
      return pair as [string, string];
    }
  } catch {
    // refused below
  }
  throw new IdentityError('invalid', 'cursor is not one this API returned (use nextCursor as is)');
}

/** Rows fetched with `limit + 1` become a page: the extra row only says there is more. */
export function toPage<R extends { id: string }, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return more && last
    ? { items: kept.map(map), nextCursor: encodeCursor(last.id) }
    : { items: kept.map(map) };
}

export function pageSize(request: PageRequest): number {
  return Math.min(Math.max(request.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
}
