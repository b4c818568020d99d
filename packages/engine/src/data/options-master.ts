/**
 * Options masters: the product's options XML (`<items><item value="..." display="..."/></items>`,
 * the same format an HTTP choice source answers with), read strictly with clear errors, and
 * an in-memory index for search select boxes and dependent selects.
 *
 * Reading: size limit first (one linear count), then any `<!DOCTYPE>`/`<!ENTITY>` is refused
 * (entity-expansion and external-entity attacks) before the XML reader (saxen, the reader under
 * bpmn-moddle) sees the text. Errors carry 1-based line numbers.
 *
 * The index answers the HTTP choice protocol's three questions, each in master order:
 * - `query`: the label contains the text, or the id starts with it (case-insensitive, NFKC:
 *   full-width `１２３` finds `123`). Labels are indexed by character (1-character queries)
 *   and by bigram; a longer query intersects its bigrams' posting lists, shortest first, and
 *   verifies the few candidates left. Ids are kept sorted for prefix ranges.
 * - `parent`: ids starting with the parent's id (a dependent select's choices).
 * - `values`: exact lookup of selected ids.
 */
import { Parser, type SaxenContext } from 'saxen';

export interface OptionItem {
  readonly value: string;
  readonly display: string;
}

export const OptionsCodes = {
  TooLarge: 'OPTIONS_TOO_LARGE',
  DoctypeForbidden: 'OPTIONS_DOCTYPE_FORBIDDEN',
  MalformedXml: 'OPTIONS_MALFORMED_XML',
  /** The root is not `<items>`, or an element other than `<item>` inside it, or text. */
  UnexpectedContent: 'OPTIONS_UNEXPECTED_CONTENT',
  MissingAttribute: 'OPTIONS_MISSING_ATTRIBUTE',
  DuplicateValue: 'OPTIONS_DUPLICATE_VALUE',
  TooManyItems: 'OPTIONS_TOO_MANY_ITEMS',
} as const;
export type OptionsCode = (typeof OptionsCodes)[keyof typeof OptionsCodes];

export interface OptionsProblem {
  readonly code: OptionsCode;
  readonly message: string;
  /** 1-based. */
  readonly line?: number;
}

export interface OptionsXmlLimits {
  /** Refuse texts above this many UTF-8 bytes (default 32 MiB; the 142,871-row postal master is 11.6 MB). */
  readonly maxBytes?: number;
  /** Refuse masters with more items (default 1,000,000). */
  readonly maxItems?: number;
  /** Stop after this many problems (default 50). */
  readonly maxProblems?: number;
}

export const DEFAULT_MAX_OPTIONS_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_OPTIONS_ITEMS = 1_000_000;

export type OptionsParse =
  | { readonly ok: true; readonly items: readonly OptionItem[] }
  | { readonly ok: false; readonly problems: readonly OptionsProblem[] };

function utf8Length(text: string, stopAbove: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stopAbove; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Index of the first markup declaration (`<!DOCTYPE`, `<!ENTITY`...) outside comments and CDATA. */
function declarationAt(xml: string): number {
  for (let at = xml.indexOf('<!'); at !== -1; at = xml.indexOf('<!', at + 2)) {
    const close = xml.startsWith('<!--', at) ? '-->' : xml.startsWith('<![CDATA[', at) ? ']]>' : undefined;
    if (close === undefined) return at;
    const end = xml.indexOf(close, at + 4);
    if (end === -1) return -1; // unclosed: the reader reports it
    at = end;
  }
  return -1;
}

/** Reads an options XML document. Never throws. */
export function parseOptionsXml(xml: string, limits: OptionsXmlLimits = {}): OptionsParse {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_OPTIONS_BYTES;
  const maxItems = limits.maxItems ?? DEFAULT_MAX_OPTIONS_ITEMS;
  const maxProblems = limits.maxProblems ?? 50;
  const bytes = utf8Length(xml, maxBytes);
  if (bytes > maxBytes) {
    return {
      ok: false,
      problems: [
        { code: OptionsCodes.TooLarge, message: `the options XML is above the limit of ${maxBytes} bytes` },
      ],
    };
  }
  const decl = declarationAt(xml);
  if (decl !== -1) {
    return {
      ok: false,
      problems: [
        {
          code: OptionsCodes.DoctypeForbidden,
          message: 'DOCTYPE/ENTITY declarations are not allowed in options XML',
          line: lineAt(xml, decl),
        },
      ],
    };
  }
  const problems: OptionsProblem[] = [];
  const items: OptionItem[] = [];
  const firstAt = new Map<string, number>();
  const parser = new Parser();
  let depth = 0;
  let rootSeen = false;
  let stopped = false;
  const report = (code: OptionsCode, message: string, ctx?: () => SaxenContext): void => {
    if (stopped) return;
    const p: { code: OptionsCode; message: string; line?: number } = { code, message };
    if (ctx) p.line = ctx().line + 1;
    problems.push(p);
    if (problems.length >= maxProblems) {
      stopped = true;
      parser.stop();
    }
  };
  parser.on('openTag', (name, getAttrs, decode, selfClosing, ctx) => {
    depth++;
    if (depth === 1) {
      rootSeen = true;
      if (name !== 'items')
        report(OptionsCodes.UnexpectedContent, `the root element is <${name}>, not <items>`, ctx);
    } else if (depth === 2 && name === 'item') {
      const attrs = getAttrs();
      const value = attrs.value?.includes('&') ? decode(attrs.value) : attrs.value;
      const display = attrs.display?.includes('&') ? decode(attrs.display) : attrs.display;
      const missing = [value === undefined ? 'value' : '', display === undefined ? 'display' : ''].filter(
        Boolean,
      );
      if (missing.length > 0) {
        report(OptionsCodes.MissingAttribute, `<item> without ${missing.join(' and ')}`, ctx);
      } else if (value === '') {
        report(OptionsCodes.MissingAttribute, '<item> with an empty value', ctx);
      } else {
        const first = firstAt.get(value!);
        if (first !== undefined) {
          report(
            OptionsCodes.DuplicateValue,
            `the value "${value}" is used twice (first by item ${first + 1}, "${items[first]!.display}")`,
            ctx,
          );
        } else if (items.length >= maxItems) {
          report(OptionsCodes.TooManyItems, `more than ${maxItems} items`, ctx);
          stopped = true;
          parser.stop();
        } else {
          firstAt.set(value!, items.length);
          items.push({ value: value!, display: display! });
        }
      }
    } else {
      report(
        OptionsCodes.UnexpectedContent,
        `<${name}> is not allowed here (only <item> inside <items>)`,
        ctx,
      );
    }
    if (selfClosing) depth--;
  });
  parser.on('closeTag', (_name, _decode, selfClosing) => {
    if (!selfClosing) depth--;
  });
  parser.on('text', (value, _decode, ctx) => {
    if (value.trim() !== '')
      report(OptionsCodes.UnexpectedContent, 'text is not allowed in options XML', ctx);
  });
  parser.on('cdata', (_value, ctx) =>
    report(OptionsCodes.UnexpectedContent, 'CDATA is not allowed in options XML', ctx),
  );
  parser.on('error', (e, ctx) => report(OptionsCodes.MalformedXml, `malformed XML: ${e.message}`, ctx));
  parser.on('warn', (e, ctx) => report(OptionsCodes.MalformedXml, `malformed XML: ${e.message}`, ctx));
  try {
    parser.parse(xml);
  } catch (e) {
    report(OptionsCodes.MalformedXml, `malformed XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!rootSeen && problems.length === 0) {
    report(OptionsCodes.MalformedXml, 'malformed XML: no <items> element');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, items };
}

/** The form a label or query is searched in: NFKC, lower case. */
export function searchForm(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export interface OptionsQuery {
  /** Label contains it, or id starts with it. */
  readonly query?: string;
  /** Ids starting with it (a dependent select's parent choice). */
  readonly parent?: string;
  /** Exact ids (selected values); when given, `query` and `parent` are not used. */
  readonly values?: readonly string[];
  /** At most this many (default 50, at most 10,000). */
  readonly limit?: number;
}

const EMPTY = new Int32Array(0);

/** Sorted positions by key; [lo, hi) of keys starting with prefix. */
function prefixRange(sorted: Int32Array, keys: readonly string[], prefix: string): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[sorted[mid]!]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const start = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[sorted[mid]!]!.startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return [start, lo];
}

function sortedPositions(keys: readonly string[]): { sorted: Int32Array; inOrder: boolean } {
  const sorted = Int32Array.from(keys.keys());
  let ascending = true;
  for (let i = 1; i < keys.length && ascending; i++) ascending = keys[i - 1]! <= keys[i]!;
  if (ascending) return { sorted, inOrder: true }; // masters are often sorted by id
  sorted.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  let inOrder = true;
  for (let i = 0; i < sorted.length && inOrder; i++) inOrder = sorted[i] === i;
  return { sorted, inOrder };
}

/** First position ≥ from in list[at...] (galloping, then binary search). */
function seek(list: Int32Array, at: number, target: number): number {
  let step = 1;
  let hi = at;
  while (hi < list.length && list[hi]! < target) {
    at = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, list.length);
  while (at < hi) {
    const mid = (at + hi) >>> 1;
    if (list[mid]! < target) at = mid + 1;
    else hi = mid;
  }
  return at;
}

type Filter = ((pos: number) => boolean) | undefined;

/** The search-select index over one master. Built once, read only. */
export class OptionsIndex {
  readonly items: readonly OptionItem[];
  private readonly values: readonly string[];
  private readonly labels: readonly string[]; // search form
  private readonly ids: readonly string[]; // search form
  private readonly byValue: Map<string, number>;
  private readonly rawSorted: Int32Array;
  private readonly rawInOrder: boolean;
  private readonly idSorted: Int32Array;
  private readonly idInOrder: boolean;
  private readonly postings: Postings;

  constructor(items: readonly OptionItem[]) {
    this.items = items.map((i) => Object.freeze({ value: i.value, display: i.display }));
    this.values = items.map((i) => i.value);
    this.labels = items.map((i) => searchForm(i.display));
    const ids = items.map((i) => searchForm(i.value));
    this.ids = ids.every((id, i) => id === this.values[i]) ? this.values : ids;
    this.byValue = new Map();
    items.forEach((it, i) => {
      if (!this.byValue.has(it.value)) this.byValue.set(it.value, i);
    });
    const raw = sortedPositions(this.values);
    this.rawSorted = raw.sorted;
    this.rawInOrder = raw.inOrder;
    const norm = this.ids === this.values ? raw : sortedPositions(this.ids);
    this.idSorted = norm.sorted;
    this.idInOrder = norm.inOrder;
    this.postings = new Postings(this.labels);
  }

  /** Parses options XML and builds its index. */
  static fromXml(
    xml: string,
    limits?: OptionsXmlLimits,
  ): { ok: true; index: OptionsIndex } | { ok: false; problems: readonly OptionsProblem[] } {
    const r = parseOptionsXml(xml, limits);
    return r.ok ? { ok: true, index: new OptionsIndex(r.items) } : r;
  }

  get size(): number {
    return this.items.length;
  }

  has(id: string): boolean {
    return this.byValue.has(id);
  }

  get(id: string): OptionItem | undefined {
    const i = this.byValue.get(id);
    return i === undefined ? undefined : this.items[i];
  }

  /** The items of these ids, in the order asked (unknown ids and repeats skipped). */
  byValues(ids: readonly string[]): OptionItem[] {
    const out: OptionItem[] = [];
    const seen = new Set<number>();
    for (const id of ids) {
      const i = this.byValue.get(id);
      if (i !== undefined && !seen.has(i)) {
        seen.add(i);
        out.push(this.items[i]!);
      }
    }
    return out;
  }

  /** The HTTP choice protocol: `values`, else `parent` and `query` together; first `limit` in master order. */
  lookup(q: OptionsQuery): OptionItem[] {
    if (q.values) return this.byValues(q.values);
    const limit = Math.max(0, Math.min(q.limit ?? 50, 10_000));
    if (limit === 0) return [];
    const parent = q.parent;
    const filter: Filter =
      parent !== undefined && parent !== '' ? (pos) => this.values[pos]!.startsWith(parent) : undefined;
    const query = q.query === undefined ? '' : searchForm(q.query.trim());
    let positions: number[];
    if (query === '') {
      positions =
        filter && parent !== undefined
          ? this.prefixMatches(this.rawSorted, this.rawInOrder, this.values, parent, limit, undefined)
          : Array.from({ length: Math.min(limit, this.items.length) }, (_, i) => i);
    } else {
      if (parent !== undefined && parent !== '') {
        const range = this.parentRange(parent);
        if (range) return this.scanRange(range, query, limit).map((p) => this.items[p]!);
      }
      const byLabel = this.labelMatches(query, limit, filter);
      const byId = this.prefixMatches(this.idSorted, this.idInOrder, this.ids, query, limit, filter);
      positions = mergeFirst(byLabel, byId, limit);
    }
    return positions.map((p) => this.items[p]!);
  }

  /**
   * The positions of ids starting with `parent`, in master order, when there are few enough
   * (≤ 16,384) that checking each against the query beats following the query's posting lists.
   */
  private parentRange(parent: string): Int32Array | undefined {
    const [lo, hi] = prefixRange(this.rawSorted, this.values, parent);
    if (hi - lo > 16_384) return undefined;
    const range = this.rawSorted.subarray(lo, hi);
    return this.rawInOrder ? range : Int32Array.from(range).sort();
  }

  private scanRange(range: Int32Array, query: string, limit: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < range.length && out.length < limit; i++) {
      const p = range[i]!;
      if (this.labels[p]!.includes(query) || this.ids[p]!.startsWith(query)) out.push(p);
    }
    return out;
  }

  /** Labels containing `query` (search form), first `limit` positions in master order. */
  private labelMatches(query: string, limit: number, filter: Filter): number[] {
    const out: number[] = [];
    if (query.length === 1) {
      const list = this.postings.get(query) ?? EMPTY;
      for (let i = 0; i < list.length && out.length < limit; i++) {
        const p = list[i]!;
        if (!filter || filter(p)) out.push(p);
      }
      return out;
    }
    const grams = new Set<string>();
    for (let i = 0; i + 1 < query.length; i++) grams.add(query.slice(i, i + 2));
    const lists: Int32Array[] = [];
    for (const g of grams) {
      const list = this.postings.get(g);
      if (!list) return out;
      lists.push(list);
    }
    lists.sort((a, b) => a.length - b.length);
    const first = lists[0]!;
    const at = new Array<number>(lists.length).fill(0);
    const verify = query.length > 2;
    outer: for (let i = 0; i < first.length && out.length < limit; i++) {
      const p = first[i]!;
      for (let k = 1; k < lists.length; k++) {
        const list = lists[k]!;
        const j = seek(list, at[k]!, p);
        at[k] = j;
        if (j >= list.length) break outer;
        if (list[j] !== p) continue outer;
      }
      if (verify && !this.labels[p]!.includes(query)) continue;
      if (filter && !filter(p)) continue;
      out.push(p);
    }
    return out;
  }

  /** Keys starting with `prefix`, first `limit` positions in master order. */
  private prefixMatches(
    sorted: Int32Array,
    inOrder: boolean,
    keys: readonly string[],
    prefix: string,
    limit: number,
    filter: Filter,
  ): number[] {
    const [lo, hi] = prefixRange(sorted, keys, prefix);
    const out: number[] = [];
    if (hi <= lo) return out;
    if (inOrder) {
      for (let i = lo; i < hi && out.length < limit; i++) {
        const p = sorted[i]!;
        if (!filter || filter(p)) out.push(p);
      }
      return out;
    }
    if (hi - lo <= 4096) {
      const ps = Array.from(sorted.subarray(lo, hi)).filter((p) => !filter || filter(p));
      ps.sort((a, b) => a - b);
      return ps.slice(0, limit);
    }
    // A wide range: its items are dense, so a scan in master order finds `limit` quickly.
    for (let p = 0; p < keys.length && out.length < limit; p++) {
      if (keys[p]!.startsWith(prefix) && (!filter || filter(p))) out.push(p);
    }
    return out;
  }
}

function mergeFirst(a: readonly number[], b: readonly number[], limit: number): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Number.POSITIVE_INFINITY;
    const y = j < b.length ? b[j]! : Number.POSITIVE_INFINITY;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** An open-addressing hash table from a bigram (two code units, as one uint32) to a slot number. */
class BigramSlots {
  private keys = new Uint32Array(1 << 16);
  private values = new Int32Array(1 << 16).fill(-1);
  private mask = (1 << 16) - 1;
  private used = 0;

  private find(key: number): number {
    let h = Math.imul(key, 0x9e3779b1) >>> 16;
    for (;;) {
      h &= this.mask;
      if (this.values[h] === -1 || this.keys[h] === key) return h;
      h++;
    }
  }

  get(key: number): number {
    return this.values[this.find(key)]!;
  }

  getOrAdd(key: number, next: () => number): number {
    const h = this.find(key);
    const v = this.values[h]!;
    if (v !== -1) return v;
    const slot = next();
    this.keys[h] = key;
    this.values[h] = slot;
    if (++this.used * 2 > this.mask) this.grow();
    return slot;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2).fill(-1);
    this.mask = keys.length * 2 - 1;
    for (let i = 0; i < keys.length; i++) {
      if (values[i] !== -1) {
        const h = this.find(keys[i]!);
        this.keys[h] = keys[i]!;
        this.values[h] = values[i]!;
      }
    }
  }
}

/**
 * Character and bigram → ascending positions of the labels holding it, as views into one
 * Int32Array: characters are slots 0–65535, bigrams get slots from a hash table. Two counting
 * passes, so no per-gram arrays are grown.
 */
class Postings {
  private readonly bigrams = new BigramSlots();
  private readonly offsets: Int32Array;
  private readonly counts: Int32Array;
  private readonly data: Int32Array;

  constructor(labels: readonly string[]) {
    let slots = 65536;
    const next = (): number => slots++;
    // pass 1: slots and counts (a label counts once per gram)
    let counts = new Int32Array(1 << 18);
    let last = new Int32Array(1 << 18).fill(-1);
    const visit1 = (slot: number, pos: number): void => {
      if (slot >= counts.length) {
        const c = new Int32Array(counts.length * 2);
        c.set(counts);
        counts = c;
        const l = new Int32Array(last.length * 2).fill(-1);
        l.set(last);
        last = l;
      }
      if (last[slot] !== pos) {
        last[slot] = pos;
        counts[slot]!++;
      }
    };
    for (let pos = 0; pos < labels.length; pos++) {
      const label = labels[pos]!;
      for (let i = 0; i < label.length; i++) {
        const c = label.charCodeAt(i);
        visit1(c, pos);
        if (i + 1 < label.length)
          visit1(this.bigrams.getOrAdd(((c << 16) | label.charCodeAt(i + 1)) >>> 0, next), pos);
      }
    }
    this.counts = counts.slice(0, slots);
    this.offsets = new Int32Array(slots);
    let total = 0;
    for (let s = 0; s < slots; s++) {
      this.offsets[s] = total;
      total += this.counts[s]!;
    }
    // pass 2: positions
    this.data = new Int32Array(total);
    const fill = Int32Array.from(this.offsets);
    last.fill(-1);
    for (let pos = 0; pos < labels.length; pos++) {
      const label = labels[pos]!;
      for (let i = 0; i < label.length; i++) {
        const c = label.charCodeAt(i);
        if (last[c] !== pos) {
          last[c] = pos;
          this.data[fill[c]!++] = pos;
        }
        if (i + 1 < label.length) {
          const slot = this.bigrams.get(((c << 16) | label.charCodeAt(i + 1)) >>> 0);
          if (last[slot] !== pos) {
            last[slot] = pos;
            this.data[fill[slot]!++] = pos;
          }
        }
      }
    }
  }

  /** Positions of labels holding `gram` (one or two code units), ascending. */
  get(gram: string): Int32Array | undefined {
    const slot =
      gram.length === 1
        ? gram.charCodeAt(0)
        : this.bigrams.get(((gram.charCodeAt(0) << 16) | gram.charCodeAt(1)) >>> 0);
    if (slot === -1 || this.counts[slot] === 0) return undefined;
    const at = this.offsets[slot]!;
    return this.data.subarray(at, at + this.counts[slot]!);
  }
}
