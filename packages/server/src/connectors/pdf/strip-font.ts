/**
 * A TrueType font with only the outlines a document uses. Glyph ids and metrics stay as they
 * are; the outlines of every other glyph are emptied, the cmap keeps only the characters used,
 * and the layout tables (GSUB, GPOS, ...) are dropped, so text maps to glyphs by cmap alone.
 * pdf-lib then embeds this font whole.
 *
 * Why not pdf-lib's own `subset: true`: @pdf-lib/fontkit's subsetter writes a short `loca`
 * and so truncates every odd-length glyph by one byte (measured: 4 of 7 glyphs of "見積書 abc"
 * no longer decoded); a stripped font keeps every used outline byte for byte.
 */

/** Tables pdf-lib and viewers do not need for drawing cmap-mapped horizontal text. */
const DROPPED = new Set([
  'GSUB',
  'GPOS',
  'GDEF',
  'BASE',
  'JSTF',
  'DSIG',
  'vhea',
  'vmtx',
  'VORG',
  'hdmx',
  'LTSH',
  'kern',
]);

interface Table {
  tag: string;
  data: Buffer;
}

export interface ParsedTrueType {
  readonly tables: readonly Table[];
  readonly glyphCount: number;
  /** Start and end offset of each glyph in `glyf`. */
  readonly loca: readonly number[];
  readonly glyf: Buffer;
  /** Code point → glyph id, from the cmap (format 4 and 12 subtables). */
  glyphFor(codePoint: number): number;
}

export function parseTrueType(font: Buffer): ParsedTrueType {
  const numTables = font.readUInt16BE(4);
  const tables: Table[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    const tag = font.toString('latin1', at, at + 4);
    const offset = font.readUInt32BE(at + 8);
    const length = font.readUInt32BE(at + 12);
    tables.push({ tag, data: font.subarray(offset, offset + length) });
  }
  const get = (tag: string): Buffer => {
    const t = tables.find((x) => x.tag === tag);
    if (!t) throw new Error(`the font has no ${tag} table`);
    return t.data;
  };
  const head = get('head');
  const longLoca = head.readInt16BE(50) === 1;
  const glyphCount = get('maxp').readUInt16BE(4);
  const locaData = get('loca');
  const loca: number[] = [];
  for (let i = 0; i <= glyphCount; i++) {
    loca.push(longLoca ? locaData.readUInt32BE(i * 4) : locaData.readUInt16BE(i * 2) * 2);
  }
  const cmap = readCmap(get('cmap'));
  return { tables, glyphCount, loca, glyf: get('glyf'), glyphFor: (cp) => cmap.get(cp) ?? 0 };
}

function readCmap(cmap: Buffer): Map<number, number> {
  const map = new Map<number, number>();
  const count = cmap.readUInt16BE(2);
  let best: { offset: number; format: number } | undefined;
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const offset = cmap.readUInt32BE(8 + i * 8);
    const format = cmap.readUInt16BE(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode || (format !== 4 && format !== 12)) continue;
    if (!best || (format === 12 && best.format !== 12)) best = { offset, format };
  }
  if (!best) throw new Error('the font has no Unicode cmap');
  const t = cmap.subarray(best.offset);
  if (best.format === 12) {
    const groups = t.readUInt32BE(12);
    for (let g = 0; g < groups; g++) {
      const start = t.readUInt32BE(16 + g * 12);
      const end = t.readUInt32BE(20 + g * 12);
      const glyph = t.readUInt32BE(24 + g * 12);
      for (let cp = start; cp <= end; cp++) map.set(cp, glyph + cp - start);
    }
    return map;
  }
  const segs = t.readUInt16BE(6) / 2;
  const ends = 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const ranges = deltas + segs * 2;
  for (let s = 0; s < segs; s++) {
    const end = t.readUInt16BE(ends + s * 2);
    const start = t.readUInt16BE(starts + s * 2);
    const delta = t.readInt16BE(deltas + s * 2);
    const rangeOffset = t.readUInt16BE(ranges + s * 2);
    for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (cp + delta) & 0xffff;
      else {
        const at = ranges + s * 2 + rangeOffset + (cp - start) * 2;
        glyph = t.readUInt16BE(at);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) map.set(cp, glyph);
    }
  }
  return map;
}

/** The font with only the outlines of `text`'s characters (and their composite parts). */
export function stripFont(font: ParsedTrueType, text: string): Buffer {
  const used = new Set<number>([0]);
  const add = (gid: number): void => {
    if (used.has(gid) || gid >= font.glyphCount) return;
    used.add(gid);
    const glyph = font.glyf.subarray(font.loca[gid]!, font.loca[gid + 1]!);
    if (glyph.length < 10 || glyph.readInt16BE(0) >= 0) return;
    // a composite glyph: keep its components too
    let at = 10;
    for (;;) {
      const flags = glyph.readUInt16BE(at);
      add(glyph.readUInt16BE(at + 2));
      at += 4 + (flags & 0x1 ? 4 : 2) + (flags & 0x8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
      if (!(flags & 0x20)) break;
    }
  };
  const chars = new Map<number, number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const gid = font.glyphFor(cp);
    if (gid !== 0) chars.set(cp, gid);
    add(gid);
  }
  const parts: Buffer[] = [];
  const loca = Buffer.alloc((font.glyphCount + 1) * 4);
  let offset = 0;
  for (let gid = 0; gid < font.glyphCount; gid++) {
    loca.writeUInt32BE(offset, gid * 4);
    if (!used.has(gid)) continue;
    const glyph = font.glyf.subarray(font.loca[gid]!, font.loca[gid + 1]!);
    const padded = Buffer.alloc((glyph.length + 3) & ~3);
    glyph.copy(padded);
    parts.push(padded);
    offset += padded.length;
  }
  loca.writeUInt32BE(offset, font.glyphCount * 4);
  const tables: Table[] = [];
  for (const table of font.tables) {
    if (DROPPED.has(table.tag)) continue;
    if (table.tag === 'glyf') tables.push({ tag: 'glyf', data: Buffer.concat(parts) });
    else if (table.tag === 'loca') tables.push({ tag: 'loca', data: loca });
    else if (table.tag === 'cmap') tables.push({ tag: 'cmap', data: writeCmap(chars) });
    else if (table.tag === 'head') {
      const head = Buffer.from(table.data);
      head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
      head.writeInt16BE(1, 50); // long loca
      tables.push({ tag: 'head', data: head });
    } else if (table.tag === 'post' && table.data.readUInt32BE(0) === 0x00020000) {
      const post = Buffer.from(table.data.subarray(0, 32));
      post.writeUInt32BE(0x00030000, 0); // no glyph names
      tables.push({ tag: 'post', data: post });
    } else tables.push(table);
  }
  return writeFont(tables);
}

/** A cmap with the used characters only (one format 12 subtable, Windows Unicode full). */
function writeCmap(chars: Map<number, number>): Buffer {
  const entries = [...chars].sort((a, b) => a[0] - b[0]);
  const sub = Buffer.alloc(16 + entries.length * 12);
  sub.writeUInt16BE(12, 0);
  sub.writeUInt32BE(sub.length, 4);
  sub.writeUInt32BE(entries.length, 12);
  entries.forEach(([cp, gid], i) => {
    sub.writeUInt32BE(cp, 16 + i * 12);
    sub.writeUInt32BE(cp, 20 + i * 12);
    sub.writeUInt32BE(gid, 24 + i * 12);
  });
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt16BE(3, 4); // Windows
  head.writeUInt16BE(10, 6); // Unicode full repertoire
  head.writeUInt32BE(12, 8);
  return Buffer.concat([head, sub]);
}

function checksum(data: Buffer): number {
  let sum = 0;
  const padded = data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function writeFont(tables: Table[]): Buffer {
  tables.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const n = tables.length;
  const header = Buffer.alloc(12 + n * 16);
  const power = 2 ** Math.floor(Math.log2(n));
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(n * 16 - power * 16, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    header.write(t.tag, at, 4, 'latin1');
    header.writeUInt32BE(checksum(t.data), at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(t.data.length, at + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  });
  const font = Buffer.concat([header, ...bodies]);
  const headIndex = tables.findIndex((t) => t.tag === 'head');
  if (headIndex >= 0) {
    const headAt = header.readUInt32BE(12 + headIndex * 16 + 8);
    font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headAt + 8);
  }
  return font;
}
