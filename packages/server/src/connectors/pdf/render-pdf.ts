/**
 * Lays text out on PDF pages with an embedded CJK font, so Japanese (and Latin) text renders
 * in any viewer. The font is Zen Kaku Gothic New (SIL OFL, a TrueType font from the npm
 * package @expo-google-fonts/zen-kaku-gothic-new); only the outlines used are embedded
 * (strip-font.ts), so a one-page document stays small.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, rgb } from 'pdf-lib';
import { PAGE_SIZES } from './config.js';
import { type ParsedTrueType, parseTrueType, stripFont } from './strip-font.js';

const require = createRequire(import.meta.url);
const FONT_FILE = '@expo-google-fonts/zen-kaku-gothic-new/400Regular/ZenKakuGothicNew_400Regular.ttf';

let parsed: Promise<ParsedTrueType> | undefined;

/** The font file, read and parsed once per process. */
function cjkFont(): Promise<ParsedTrueType> {
  parsed ??= readFile(require.resolve(FONT_FILE)).then(parseTrueType);
  return parsed;
}

const MARGIN = 50;

export async function renderPdf(
  text: string,
  options: { pageSize: keyof typeof PAGE_SIZES; fontSize: number; title?: string },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(stripFont(await cjkFont(), text), { subset: false });
  if (options.title) doc.setTitle(options.title);
  doc.setProducer('Nagare');
  const [width, height] = PAGE_SIZES[options.pageSize];
  const usable = width - 2 * MARGIN;
  let page = doc.addPage([width, height]);
  let y = height - MARGIN;
  for (const source of text.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = source.startsWith('# ');
    const size = heading ? options.fontSize * 1.5 : options.fontSize;
    const lineHeight = size * 1.5;
    for (const line of wrap(heading ? source.slice(2) : source, font, size, usable)) {
      if (y - lineHeight < MARGIN) {
        page = doc.addPage([width, height]);
        y = height - MARGIN;
      }
      y -= lineHeight;
      if (line !== '') page.drawText(line, { x: MARGIN, y, size, font, color: rgb(0, 0, 0) });
    }
  }
  return doc.save();
}

/** Greedy wrapping by width, character by character (Japanese has no spaces to break at). */
function wrap(line: string, font: PDFFont, size: number, width: number): string[] {
  const clean = line.replace(/\t/g, '    ');
  if (font.widthOfTextAtSize(clean, size) <= width) return [clean];
  const out: string[] = [];
  let current = '';
  for (const ch of clean) {
    if (current !== '' && font.widthOfTextAtSize(current + ch, size) > width) {
      const space = current.lastIndexOf(' ');
      if (space > current.length / 2) {
        out.push(current.slice(0, space));
        current = current.slice(space + 1);
      } else {
        out.push(current);
        current = '';
      }
    }
    current += ch;
  }
  out.push(current);
  return out;
}
