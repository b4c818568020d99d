import { OptionsIndex } from '@nagare/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OptionsError } from '../../src/options/options-error.js';
import { OptionsService } from '../../src/options/options-service.js';
import { MAX_PAGED_MATCHES, pageOfChoices } from '../../src/options/search-select.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from '../support/dialects.js';
import { optionsXml } from './support.js';

function refusalOf(fn: () => unknown): OptionsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OptionsError);
    return error as OptionsError;
  }
  throw new Error('expected a refusal');
}

/** A revision of the master: version n of the same import. */
const rev = (version: number, sha256 = 'a'.repeat(64)) => ({ version, sha256 });

// 1,000 items: ids 0000..0999, labels "Item 0000 (even|odd)".
const ITEMS = Array.from({ length: 1_000 }, (_, i) => {
  const id = String(i).padStart(4, '0');
  return [id, `Item ${id} ${i % 2 === 0 ? 'even' : 'odd'}`] as const;
});

describe('a page of choices', () => {
  const index = new OptionsIndex(ITEMS.map(([value, display]) => ({ value, display })));

  it('pages through every match in master order, each once', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = pageOfChoices('m', rev(7), index, { q: 'odd', limit: 64, ...(cursor ? { cursor } : {}) });
      seen.push(...page.choices.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(8); // 500 matches in pages of 64
    expect(seen).toEqual(ITEMS.filter((_, i) => i % 2 === 1).map(([id]) => id));
  });

  it('finds by id prefix and by label substring together, and by parent (forward match of ids)', () => {
    // "Item 0012 even" contains 012; 0120..0129 start with it
    expect(pageOfChoices('m', rev(1), index, { q: '012', limit: 20 }).choices.map((c) => c.id)).toEqual([
      '0012',
      ...ITEMS.slice(120, 130).map(([id]) => id),
    ]);
    const child = pageOfChoices('m', rev(1), index, { parentId: '05', q: 'even', limit: 100 });
    expect(child.choices.map((c) => c.id)).toEqual(
      ITEMS.slice(500, 600)
        .filter((_, i) => i % 2 === 0)
        .map(([id]) => id),
    );
    expect(child.nextCursor).toBeUndefined();
    expect(pageOfChoices('m', rev(1), index, { parentId: '', limit: 2 }).choices.map((c) => c.id)).toEqual([
      '0000',
      '0001',
    ]);
    expect(pageOfChoices('m', rev(1), index, { q: 'no such label' }).choices).toEqual([]);
  });

  it('refuses a cursor from another version of the master, or one it did not give out', () => {
    const first = pageOfChoices('m', rev(1), index, { limit: 10 });
    const stale = refusalOf(() => pageOfChoices('m', rev(2), index, { cursor: first.nextCursor }));
    expect(stale.code).toBe('BAD_CURSOR');
    expect(stale.message).toBe(
      'the cursor is from version 1 of options master "m", which is now at version 2: start again without a cursor',
    );
    const reimported = refusalOf(() =>
      pageOfChoices('m', rev(1, 'b'.repeat(64)), index, { cursor: first.nextCursor }),
    );
    expect(reimported.message).toBe(
      'the cursor is from an earlier import of options master "m": start again without a cursor',
    );
    for (const cursor of [
      'garbage',
      Buffer.from('{"v":1,"h":"aaaaaaaaaaaa","o":-5}').toString('base64url'),
      '',
    ]) {
      expect(refusalOf(() => pageOfChoices('m', rev(1), index, { cursor })).code).toBe('BAD_CURSOR');
    }
    const far = Buffer.from(JSON.stringify({ v: 1, h: 'a'.repeat(12), o: MAX_PAGED_MATCHES })).toString(
      'base64url',
    );
    expect(refusalOf(() => pageOfChoices('m', rev(1), index, { cursor: far })).message).toContain(
      'past the first 10000',
    );
  });

  it('refuses a limit out of range and an over-long query', () => {
    for (const limit of [0, -1, 501, 1.5, Number.NaN]) {
      const error = refusalOf(() => pageOfChoices('m', rev(1), index, { limit }));
      expect(error.code).toBe('BAD_QUERY');
      expect(error.message).toContain('limit must be an integer from 1 to 500');
    }
    expect(refusalOf(() => pageOfChoices('m', rev(1), index, { q: 'x'.repeat(201) })).message).toBe(
      'q is longer than 200 characters',
    );
  });
});

describeEachDialect('search-select through the service', ({ config }) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(config());
    await migrateToLatest(store);
  });
  afterEach(async () => {
    await store.close();
  });

  it('refuses the next page once the master was replaced', async () => {
    const options = new OptionsService(store);
    await options.import('ws-a', 'm', optionsXml(ITEMS));
    const first = await options.choices('ws-a', 'm', { limit: 10 });
    expect(first.nextCursor).toBeDefined();
    await options.import('ws-a', 'm', optionsXml(ITEMS.slice(0, 20)));

    const error = await options.choices('ws-a', 'm', { cursor: first.nextCursor }).catch((e: unknown) => e);
    expect((error as OptionsError).code).toBe('BAD_CURSOR');
  });

  it('builds an index once for concurrent first lookups and drops the least recently used past its budget', async () => {
    const options = new OptionsService(store, { maxCachedItems: 1_500 });
    await options.import('ws-a', 'a', optionsXml(ITEMS));
    await options.import('ws-a', 'b', optionsXml(ITEMS));

    // when
    const [x, y] = await Promise.all([options.index('ws-a', 'a'), options.index('ws-a', 'a')]);

    // then
    expect(x.index).toBe(y.index);
    expect(options.indexes.stats).toEqual({ masters: 1, items: 1_000 });
    await options.index('ws-a', 'b'); // 2,000 > 1,500: 'a' goes
    expect(options.indexes.stats).toEqual({ masters: 1, items: 1_000 });
    const again = await options.index('ws-a', 'a');
    expect(again.index).not.toBe(x.index);
  });
});
