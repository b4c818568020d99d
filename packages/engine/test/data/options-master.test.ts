import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../../../scripts/shared-dir.js';
import { type OptionItem, OptionsIndex, parseOptionsXml, searchForm } from '../../src/index.js';

const dir = join(sharedDir(), 'addon-corpus', 'options-xml');
const samples = readdirSync(dir).filter((f) => f.endsWith('.xml'));

describe('options XML: every sample in the shared corpus', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  it.each(samples)('%s reads without problems, every item with value and display', (file) => {
    const xml = readFileSync(join(dir, file), 'utf8');
    const r = parseOptionsXml(xml);
    expect(r.ok ? [] : r.problems.slice(0, 3)).toEqual([]);
    if (!r.ok) return;
    const expected = (xml.match(/<item\s/g) ?? []).length;
    expect(r.items.length).toBe(expected);
    expect(new Set(r.items.map((i) => i.value)).size).toBe(expected);
    expect(r.items.every((i) => i.value !== '' && i.display !== '')).toBe(true);
  });
  it('the postal-code master has 142,871 rows, and its search answers in master order', () => {
    const r = OptionsIndex.fromXml(readFileSync(join(dir, 'jp-postal-codes.xml'), 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const index = r.index;
    expect(index.size).toBe(142_871);
    expect(index.lookup({ query: '札幌市北区北十', limit: 3 }).map((i) => i.value)).toEqual([
      '0010010',
      '0010011',
      '0010012',
    ]);
    expect(index.lookup({ parent: '001', limit: 2 }).map((i) => i.value)).toEqual(['0010000', '0010010']);
    expect(index.lookup({ values: ['9998531', 'nope', '0010000'] }).map((i) => i.value)).toEqual([
      '9998531',
      '0010000',
    ]);
    // full-width digits find the code
    expect(index.lookup({ query: '００１００１', limit: 1 })[0]!.value).toBe('0010010');
  });
});

const ok = (xml: string): readonly OptionItem[] => {
  const r = parseOptionsXml(xml);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.items;
};
const problems = (xml: string, limits = {}) => {
  const r = parseOptionsXml(xml, limits);
  return r.ok ? [] : r.problems.map((p) => ({ code: p.code, line: p.line, message: p.message }));
};

describe('options XML: errors', () => {
  it('reads entities, comments and the declaration', () => {
    expect(
      ok(
        '<?xml version="1.0"?>\n<!-- c --><items>\n<item value="a&amp;b" display="A &lt; B &#x5317;"/><item value="2" display="two"></item></items>',
      ),
    ).toEqual([
      { value: 'a&b', display: 'A < B 北' },
      { value: '2', display: 'two' },
    ]);
  });
  it.each([
    [
      'duplicate value',
      '<items>\n<item value="1" display="a"/>\n<item value="1" display="b"/>\n</items>',
      'OPTIONS_DUPLICATE_VALUE',
      3,
    ],
    ['missing display', '<items>\n<item value="1"/>\n</items>', 'OPTIONS_MISSING_ATTRIBUTE', 2],
    ['missing value', '<items>\n\n<item display="x"/>\n</items>', 'OPTIONS_MISSING_ATTRIBUTE', 3],
    ['empty value', '<items><item value="" display="x"/></items>', 'OPTIONS_MISSING_ATTRIBUTE', 1],
    ['wrong root', '<options><item value="1" display="a"/></options>', 'OPTIONS_UNEXPECTED_CONTENT', 1],
    [
      'nested element',
      '<items>\n<item value="1" display="a"><x/></item></items>',
      'OPTIONS_UNEXPECTED_CONTENT',
      2,
    ],
    ['text', '<items>hello</items>', 'OPTIONS_UNEXPECTED_CONTENT', 1],
    ['unclosed', '<items>\n<item value="1" display="a">\n', 'OPTIONS_MALFORMED_XML', undefined],
    ['mismatched', '<items>\n<item value="1" display="a"></items>', 'OPTIONS_MALFORMED_XML', 2],
    ['empty input', '', 'OPTIONS_MALFORMED_XML', undefined],
    [
      'DOCTYPE',
      '<?xml version="1.0"?>\n<!DOCTYPE items [<!ENTITY a "aaaa">]>\n<items/>',
      'OPTIONS_DOCTYPE_FORBIDDEN',
      2,
    ],
  ])('%s', (_name, xml, code, line) => {
    const [first] = problems(xml);
    expect(first?.code).toBe(code);
    if (line !== undefined) expect(first?.line).toBe(line);
  });
  it('names both items of a duplicate', () => {
    expect(
      problems('<items><item value="1" display="a"/><item value="1" display="b"/></items>')[0]!.message,
    ).toBe('the value "1" is used twice (first by item 1, "a")');
  });
  it('refuses an entity bomb before parsing', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`,
    ).join('')}]><items><item value="1" display="&lol9;"/></items>`;
    expect(problems(bomb)).toEqual([
      { code: 'OPTIONS_DOCTYPE_FORBIDDEN', line: 1, message: expect.stringContaining('not allowed') },
    ]);
  });
  it('size and item limits', () => {
    const xml = `<items>${'<item value="x" display="y"/>'.replace('x', '1')}<item value="2" display="z"/></items>`;
    expect(problems(xml, { maxBytes: 20 })[0]!.code).toBe('OPTIONS_TOO_LARGE');
    expect(problems(xml, { maxItems: 1 })[0]!.code).toBe('OPTIONS_TOO_MANY_ITEMS');
    expect(problems('<items>你好</items>', { maxBytes: 20 })[0]!.code).toBe('OPTIONS_TOO_LARGE'); // 21 UTF-8 bytes
    expect(problems('<items>你好</items>', { maxBytes: 21 })).toEqual([
      { code: 'OPTIONS_UNEXPECTED_CONTENT', line: 1, message: 'text is not allowed in options XML' },
    ]);
  });
  it('stops after maxProblems', () => {
    const xml = `<items>${'<item value="1" display="a"/>'.repeat(200)}</items>`;
    expect(problems(xml, { maxProblems: 5 }).length).toBe(5);
  });
});

describe('search-select index vs a linear scan', () => {
  const linear = (items: readonly OptionItem[], q: { query?: string; parent?: string; limit: number }) => {
    const query = searchForm((q.query ?? '').trim());
    return items
      .filter(
        (it) =>
          (q.parent === undefined || q.parent === '' || it.value.startsWith(q.parent)) &&
          (query === '' || searchForm(it.display).includes(query) || searchForm(it.value).startsWith(query)),
      )
      .slice(0, q.limit);
  };
  const alphabet = ['a', 'b', 'A', 'ａ', '1', '１', '北', '海', '道', '区', ' ', '-', '𠮷'];
  const text = (max: number) =>
    fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((cs) => cs.join(''));
  const master = fc
    .uniqueArray(fc.record({ value: text(5).filter((v) => v !== ''), display: text(10) }), {
      selector: (i) => i.value,
      maxLength: 60,
    })
    .filter((xs) => xs.length > 0);

  it('query, parent and both give the first N matches in master order', () => {
    fc.assert(
      fc.property(
        master,
        text(4),
        fc.option(text(2), { nil: undefined }),
        fc.integer({ min: 1, max: 20 }),
        (items, query, parent, limit) => {
          const index = new OptionsIndex(items);
          const q = { query, parent, limit };
          expect(index.lookup(q)).toEqual(linear(items, q));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sorted and unsorted masters, wide prefix ranges', () => {
    const items = Array.from({ length: 6000 }, (_, i) => ({
      value: String((i * 7919) % 6000).padStart(4, '0'),
      display: `Item ${i} 北${i % 13}`,
    }));
    const index = new OptionsIndex(items);
    for (const q of [
      { query: '1', limit: 10 },
      { query: '0', limit: 100 },
      { parent: '1', limit: 30 },
      { parent: '1', query: '北1', limit: 30 },
      { query: '北12', limit: 5 },
      { query: 'item 59', limit: 500 },
    ]) {
      expect(index.lookup(q)).toEqual(linear(items, q));
    }
  });

  it('values: exact ids, in the order asked', () => {
    const index = new OptionsIndex([
      { value: 'a', display: 'A' },
      { value: 'b', display: 'B' },
    ]);
    expect(index.lookup({ values: ['b', 'x', 'a', 'b'] })).toEqual([
      { value: 'b', display: 'B' },
      { value: 'a', display: 'A' },
    ]);
    expect(index.has('a')).toBe(true);
    expect(index.get('z')).toBeUndefined();
  });
});
