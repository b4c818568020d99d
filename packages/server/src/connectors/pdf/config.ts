/**
 * The PDF step's configs (`nagare:automation type="pdf"`): a text template with data items,
 * laid out as lines on pages, into a file data item. Text configs may carry data items
 * (template.ts).
 *
 * | name       | meaning                                                                     |
 * | ---------- | --------------------------------------------------------------------------- |
 * | `template` | required: the text; a line starting with `# ` is a heading                  |
 * | `fileItem` | required: the file data item that receives the PDF                          |
 * | `fileName` | default `document.pdf`                                                      |
 * | `mode`     | `append` (default: added to the item's files) or `replace`                  |
 * | `pageSize` | `A4` (default), `A3`, `Letter`                                              |
 * | `fontSize` | points, default 11 (6..48)                                                  |
 */
export const PAGE_SIZES = { A4: [595.28, 841.89], A3: [841.89, 1190.55], Letter: [612, 792] } as const;

export interface PdfConfig {
  readonly template: string;
  readonly fileItem: string;
  readonly fileName: string;
  readonly mode: 'append' | 'replace';
  readonly pageSize: keyof typeof PAGE_SIZES;
  readonly fontSize: number;
}

export type PdfConfigResult =
  | { readonly ok: true; readonly config: PdfConfig }
  | { readonly ok: false; readonly error: string };

export function readPdfConfig(configs: Readonly<Record<string, string>>): PdfConfigResult {
  const template = configs.template ?? '';
  if (template.trim() === '')
    return { ok: false, error: 'config "template" is required: the text of the PDF' };
  const fileItem = configs.fileItem?.trim() ?? '';
  if (fileItem === '')
    return { ok: false, error: 'config "fileItem" is required: the file data item for the PDF' };
  const mode = (configs.mode?.trim() || 'append') as PdfConfig['mode'];
  if (mode !== 'append' && mode !== 'replace') {
    return { ok: false, error: `config "mode" must be append or replace, got "${configs.mode}"` };
  }
  const pageSize = (configs.pageSize?.trim() || 'A4') as PdfConfig['pageSize'];
  if (!(pageSize in PAGE_SIZES)) {
    return {
      ok: false,
      error: `config "pageSize" must be one of ${Object.keys(PAGE_SIZES).join(', ')}, got "${configs.pageSize}"`,
    };
  }
  const fontSizeText = configs.fontSize?.trim();
  const fontSize = fontSizeText ? Number(fontSizeText) : 11;
  if (!Number.isFinite(fontSize) || fontSize < 6 || fontSize > 48) {
    return {
      ok: false,
      error: `config "fontSize" must be a number of points from 6 to 48, got "${fontSizeText}"`,
    };
  }
  return {
    ok: true,
    config: {
      template,
      fileItem,
      fileName: configs.fileName?.trim() || 'document.pdf',
      mode,
      pageSize,
      fontSize,
    },
  };
}
