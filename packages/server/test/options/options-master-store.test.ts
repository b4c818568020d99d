import { afterEach, beforeEach, expect, it } from 'vitest';
import { OptionsError } from '../../src/options/options-error.js';
import { OptionsIndexCache } from '../../src/options/options-index-cache.js';
import { OptionsMasterStore } from '../../src/options/options-master-store.js';
import { OptionsService } from '../../src/options/options-service.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from '../support/dialects.js';
import { optionsXml, sample } from './support.js';

async function refusal(promise: Promise<unknown>): Promise<OptionsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OptionsError);
  return error as OptionsError;
}

describeEachDialect('options masters in the store', ({ config }) => {
  let store: Store;
  let clock: Date;
  let options: OptionsService;

  beforeEach(async () => {
    store = await openStore(config());
    await migrateToLatest(store);
    clock = new Date('2026-04-01T09:00:00.000Z');
    options = new OptionsService(store, { now: () => clock });
  });
  afterEach(async () => {
    await store.close();
  });

  it('imports a sample master, lists it, and replaces it whole with the next version', async () => {
    // when
    const first = await options.import('ws-a', 'jp-postal-areas.xml', sample('jp-postal-areas.xml'));

    // then
    expect(first).toMatchObject({ name: 'jp-postal-areas.xml', version: 1, itemCount: 951 });
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await options.list('ws-a')).toEqual([first]);
    const page = await options.choices('ws-a', 'jp-postal-areas.xml', { q: '札幌市北区' });
    expect(page.choices.map((c) => c.id)).toEqual(['001', '002']);

    // when: replaced by a two-item file
    clock = new Date('2026-04-02T09:00:00.000Z');
    const second = await options.import(
      'ws-a',
      'jp-postal-areas.xml',
      optionsXml([
        ['001', '001 札幌'],
        ['100', '100 千代田区'],
      ]),
    );

    // then
    expect(second).toMatchObject({
      version: 2,
      itemCount: 2,
      createdAt: '2026-04-01T09:00:00.000Z',
      updatedAt: '2026-04-02T09:00:00.000Z',
    });
    expect((await options.choices('ws-a', 'jp-postal-areas.xml', {})).choices).toEqual([
      { id: '001', label: '001 札幌' },
      { id: '100', label: '100 千代田区' },
    ]);
  });

  it('refuses a bad file with its line and keeps the master as it was', async () => {
    await options.import('ws-a', 'prefs', optionsXml([['13', '東京都']]));
    const bad =
      '<?xml version="1.0"?>\n<items>\n<item value="01" display="北海道"/>\n<item value="02"/>\n</items>';

    // when
    const error = await refusal(options.import('ws-a', 'prefs', bad));

    // then
    expect(error.code).toBe('INVALID_OPTIONS_XML');
    expect(error.message).toBe(
      'options master "prefs": line 4: <item> without display (OPTIONS_MISSING_ATTRIBUTE)',
    );
    expect(error.problems).toEqual([
      { code: 'OPTIONS_MISSING_ATTRIBUTE', message: '<item> without display', line: 4 },
    ]);
    const [info] = await options.list('ws-a');
    expect(info).toMatchObject({ name: 'prefs', version: 1, itemCount: 1 });
    expect((await options.choices('ws-a', 'prefs', {})).choices).toEqual([{ id: '13', label: '東京都' }]);
  });

  it('refuses entity declarations, duplicates and a new master from a bad file, creating nothing', async () => {
    const cases: [string, RegExp][] = [
      ['<!DOCTYPE x [<!ENTITY a "b">]><items/>', /line 1: DOCTYPE\/ENTITY declarations are not allowed/],
      [
        '<items>\n<item value="1" display="a"/>\n<item value="1" display="b"/>\n</items>',
        /line 3: the value "1" is used twice/,
      ],
      ['<items><item value="1" display="a">', /malformed XML/],
      ['<choices/>', /the root element is <choices>/],
      ['', /malformed XML|no <items> element/],
    ];
    for (const [xml, message] of cases) {
      const error = await refusal(options.import('ws-a', 'new-master', xml));
      expect(error.code).toBe('INVALID_OPTIONS_XML');
      expect(error.message).toMatch(message);
    }
    expect(await options.list('ws-a')).toEqual([]);
  });

  it('refuses a bad master name', async () => {
    for (const name of ['', '../etc', 'a b', '.hidden', 'x'.repeat(129)]) {
      const error = await refusal(options.import('ws-a', name, optionsXml([['1', 'a']])));
      expect(error.code).toBe('BAD_MASTER_NAME');
    }
    expect((await refusal(options.choices('ws-a', '../x', {}))).code).toBe('BAD_MASTER_NAME');
  });

  it('keeps masters per workspace: a name from another workspace does not resolve', async () => {
    await options.import('ws-a', 'customers', optionsXml([['C1', 'Acme']]));
    await options.import('ws-b', 'customers', optionsXml([['C9', 'Other']]));

    // then
    expect(await options.list('ws-c')).toEqual([]);
    const error = await refusal(options.choices('ws-c', 'customers', {}));
    expect(error.code).toBe('UNKNOWN_MASTER');
    expect(error.message).toBe('no options master "customers" in this workspace');
    expect((await options.choices('ws-a', 'customers', {})).choices).toEqual([{ id: 'C1', label: 'Acme' }]);
    expect((await options.choices('ws-b', 'customers', {})).choices).toEqual([{ id: 'C9', label: 'Other' }]);

    // a delete in one workspace leaves the other's
    expect(await options.delete('ws-a', 'customers')).toBe(true);
    expect((await refusal(options.choices('ws-a', 'customers', {}))).code).toBe('UNKNOWN_MASTER');
    expect((await options.choices('ws-b', 'customers', {})).choices).toHaveLength(1);
    expect(await options.delete('ws-a', 'customers')).toBe(false);
  });

  it('sees a master replaced by another node (revision checked on every lookup)', async () => {
    const other = await openStore(config());
    try {
      const nodeB = new OptionsService(other, { revisionCheckMs: 0 });
      await options.import('ws-a', 'm', optionsXml([['1', 'one']]));
      expect((await nodeB.choices('ws-a', 'm', {})).choices).toEqual([{ id: '1', label: 'one' }]);

      // when: node A replaces it
      await options.import('ws-a', 'm', optionsXml([['2', 'two']]));

      // then: node B answers from the new version, without being told
      const page = await nodeB.choices('ws-a', 'm', {});
      expect(page).toMatchObject({ version: 2, choices: [{ id: '2', label: 'two' }] });

      // removed and imported again, it starts at version 1 again: told apart by its hash
      await options.masters.delete('ws-a', 'm');
      await options.import(
        'ws-a',
        'm',
        optionsXml([
          ['3', 'three'],
          ['4', 'four'],
        ]),
      );
      expect(await nodeB.choices('ws-a', 'm', {})).toMatchObject({
        version: 1,
        choices: [{ id: '3' }, { id: '4' }],
      });
      await options.import(
        'ws-a',
        'm',
        optionsXml([
          ['2', 'two'],
          ['5', 'five'],
        ]),
      );
      await options.masters.delete('ws-a', 'm');
      await options.import('ws-a', 'm', optionsXml([['6', 'six']]));
      expect(await nodeB.choices('ws-a', 'm', {})).toMatchObject({ version: 1, choices: [{ id: '6' }] });

      // and a removed master is gone there too
      await options.masters.delete('ws-a', 'm');
      expect((await refusal(nodeB.choices('ws-a', 'm', {}))).code).toBe('UNKNOWN_MASTER');
      expect(nodeB.indexes.stats).toEqual({ masters: 0, items: 0 });
    } finally {
      await other.close();
    }
  });

  it('answers from memory between revision checks, and sees another node’s import after the interval', async () => {
    const other = await openStore(config());
    try {
      let now = 0;
      const nodeB = new OptionsIndexCache(new OptionsMasterStore(other), {
        revisionCheckMs: 1_000,
        now: () => now,
      });
      await options.import('ws-a', 'm', optionsXml([['1', 'one']]));
      expect((await nodeB.get('ws-a', 'm'))?.version).toBe(1);
      await options.import('ws-a', 'm', optionsXml([['2', 'two']]));

      // within the interval: the cached index, without asking the store
      now = 999;
      expect((await nodeB.get('ws-a', 'm'))?.version).toBe(1);
      // fresh (a page with a cursor) asks at once
      expect((await nodeB.get('ws-a', 'm', { fresh: true }))?.version).toBe(2);
      await options.import('ws-a', 'm', optionsXml([['3', 'three']]));
      now = 1_998;
      expect((await nodeB.get('ws-a', 'm'))?.version).toBe(2);
      // after the interval: the new revision
      now = 2_000;
      const latest = await nodeB.get('ws-a', 'm');
      expect(latest?.version).toBe(3);
      expect(latest?.index.lookup({}).map((i) => i.value)).toEqual(['3']);
    } finally {
      await other.close();
    }
  });

  it('pages on with a cursor from another node’s newer import at once', async () => {
    const other = await openStore(config());
    try {
      const nodeB = new OptionsService(other, { revisionCheckMs: 60_000, clock: () => 0 });
      await options.import('ws-a', 'm', optionsXml([['1', 'one']]));
      expect((await nodeB.choices('ws-a', 'm', {})).version).toBe(1);
      await options.import(
        'ws-a',
        'm',
        optionsXml([
          ['2', 'two'],
          ['3', 'three'],
        ]),
      );
      const first = await options.choices('ws-a', 'm', { limit: 1 });

      // when: node B, still holding version 1, gets the next-page request
      const next = await nodeB.choices('ws-a', 'm', { limit: 1, cursor: first.nextCursor });

      // then
      expect(next).toEqual({ master: 'm', version: 2, choices: [{ id: '3', label: 'three' }] });
    } finally {
      await other.close();
    }
  });

  it('imports the 142,871-row postal-code master and answers from it', async () => {
    // when
    const info = await options.import('ws-a', 'jp-postal-codes', sample('jp-postal-codes.xml'));

    // then
    expect(info.itemCount).toBe(142_871);
    const byLabel = await options.choices('ws-a', 'jp-postal-codes', { q: '千代田', limit: 3 });
    expect(byLabel.choices.map((c) => c.label)).toEqual([
      '010-0914 秋田県秋田市保戸野千代田町',
      '021-0862 岩手県一関市千代田町',
      '033-0043 青森県三沢市千代田町',
    ]);
    const child = await options.choices('ws-a', 'jp-postal-codes', {
      parentId: '100',
      q: '丸の内',
      limit: 5,
    });
    expect(child.choices.every((c) => c.id.startsWith('100') && c.label.includes('丸の内'))).toBe(true);
    expect(child.choices.length).toBeGreaterThan(0);
  });
});
