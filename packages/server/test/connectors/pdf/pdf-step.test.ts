import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, type PDFRef } from 'pdf-lib';
import { beforeAll, expect, it } from 'vitest';
import { readPdfConfig } from '../../../src/connectors/pdf/config.js';
import { pdfConnector } from '../../../src/connectors/pdf/connector.js';
import type { FileRef } from '../../../src/files/file-store.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { describeEachDialect } from '../../support/dialects.js';
import { runStep, stepApp } from '../http/step-app.js';

/** Code point → glyph id, read from the font's ToUnicode CMap. */
function toUnicode(cmap: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      out.set(Number.parseInt(m[2]!, 16), Number.parseInt(m[1]!, 16));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const lo = Number.parseInt(m[1]!, 16);
      const hi = Number.parseInt(m[2]!, 16);
      const cp = Number.parseInt(m[3]!, 16);
      for (let g = lo; g <= hi; g++) out.set(cp + (g - lo), g);
    }
  }
  return out;
}

function streamText(doc: PDFDocument, ref: unknown): Buffer {
  const stream = doc.context.lookup(ref as PDFRef) as PDFRawStream;
  const raw = Buffer.from(stream.contents);
  return stream.dict.get(PDFName.of('Filter')) ? inflateSync(raw) : raw;
}

describeEachDialect('PDF step through the runtime', ({ config }) => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nagare-pdf-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  it('renders Japanese text with the embedded CJK font into a file item', async () => {
    let store: LocalFileStore | undefined;
    const run = await runStep(
      config(),
      'pdf',
      (t) => {
        store = new LocalFileStore({ store: t.store, root: join(dir, String(Math.random())) });
        return pdfConnector({ fileStore: store });
      },
      stepApp(
        'pdf',
        {
          template:
            '# 見積書\nお客様: #{q_customer}\n金額: {{q_amount}} 円\nTotal with tax: {{= q_amount * 1.1}}',
          fileItem: 'q_pdf',
          fileName: 'quote-{{q_customer}}',
        },
        { q_customer: 'string', q_amount: 'numeric', q_pdf: 'file' },
      ),
      { q_customer: '山田商店', q_amount: 1000 },
    );
    try {
      expect(run.status).toBe('completed');
      const files = run.data.q_pdf as FileRef[];
      expect(files).toHaveLength(1);
      expect(files[0]).toMatchObject({ name: 'quote-山田商店.pdf', contentType: 'application/pdf' });
      const bytes = await store!.read('default', files[0]!.id);
      expect(bytes.length).toBeLessThan(100_000); // the used outlines, not the 2.3 MB font
      const doc = await PDFDocument.load(bytes);
      expect(doc.getPageCount()).toBe(1);
      // the Type0 font: its ToUnicode map, and the TrueType font embedded in its descriptor
      const dicts = doc.context
        .enumerateIndirectObjects()
        .map(([, o]) => o)
        .filter((o) => o instanceof PDFDict);
      const type0 = dicts.find((d) => d.get(PDFName.of('Subtype')) === PDFName.of('Type0'))!;
      const descriptor = dicts.find((d) => d.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'))!;
      const cmap = streamText(doc, type0.get(PDFName.of('ToUnicode'))).toString('latin1');
      const font = fontkit.create(streamText(doc, descriptor.get(PDFName.of('FontFile2'))));
      const glyphs = toUnicode(cmap);
      for (const ch of '見積書山田商店金額円') {
        const gid = glyphs.get(ch.codePointAt(0)!);
        expect(gid, `glyph for ${ch}`).toBeGreaterThan(0);
        expect(
          (font.getGlyph(gid!).path as unknown as { commands: unknown[] }).commands.length,
          `outline of ${ch}`,
        ).toBeGreaterThan(0);
        expect(font.glyphForCodePoint(ch.codePointAt(0)!).id).toBe(gid);
      }
      // the page draws the heading's glyph ids
      const page = doc.getPage(0);
      const contents = page.node.Contents();
      const streams =
        contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of('Contents'))];
      const content = streams.map((r) => streamText(doc, r).toString('latin1')).join('\n');
      const hex = (ch: string) => glyphs.get(ch.codePointAt(0)!)!.toString(16).padStart(4, '0').toUpperCase();
      expect(content.toUpperCase()).toContain(`<${['見', '積', '書'].map(hex).join('')}>`);
    } finally {
      await run.t.close();
    }
  });

  it('long text flows onto more pages; bad configs are refused', async () => {
    let store: LocalFileStore | undefined;
    const run = await runStep(
      config(),
      'pdf',
      (t) => {
        store = new LocalFileStore({ store: t.store, root: join(dir, String(Math.random())) });
        return pdfConnector({ fileStore: store });
      },
      stepApp(
        'pdf',
        { template: '{{q_body}}', fileItem: 'q_pdf', mode: 'replace' },
        { q_body: 'string', q_pdf: 'file' },
      ),
      { q_body: Array.from({ length: 120 }, (_, i) => `${i + 1}行目 ${'あ'.repeat(80)}`).join('\n') },
    );
    try {
      const files = run.data.q_pdf as FileRef[];
      const doc = await PDFDocument.load(await store!.read('default', files[0]!.id));
      expect(doc.getPageCount()).toBeGreaterThan(3);
    } finally {
      await run.t.close();
    }
    expect(readPdfConfig({ fileItem: 'q' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"template"/),
    });
    expect(readPdfConfig({ template: 't' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"fileItem"/),
    });
    expect(readPdfConfig({ template: 't', fileItem: 'q', pageSize: 'B9' })).toMatchObject({ ok: false });
    expect(readPdfConfig({ template: 't', fileItem: 'q', fontSize: '100' })).toMatchObject({ ok: false });
    expect(readPdfConfig({ template: 't', fileItem: 'q', mode: 'merge' })).toMatchObject({ ok: false });
    const wrongItem = await runStep(
      config(),
      'pdf',
      (t) => pdfConnector({ fileStore: new LocalFileStore({ store: t.store, root: join(dir, 'x') }) }),
      stepApp('pdf', { template: 'x', fileItem: 'q_text' }, { q_text: 'string' }),
      {},
    );
    try {
      expect(wrongItem.incidents[0]?.message).toMatch(/BAD_CONFIG: .*q_text is not a file data item/);
    } finally {
      await wrongItem.t.close();
    }
  });
});
