import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../../../scripts/shared-dir.js';

/** A sample from the shared options-xml folder (jp-postal-areas.xml: 951 items; jp-postal-codes.xml: 142,871). */
export function sample(name: 'jp-postal-areas.xml' | 'jp-postal-codes.xml'): string {
  return readFileSync(join(sharedDir(), 'addon-corpus', 'options-xml', name), 'utf8');
}

export function optionsXml(items: readonly (readonly [string, string])[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<items>\n${items
    .map(([value, display]) => `<item value="${esc(value)}" display="${esc(display)}" />`)
    .join('\n')}\n</items>\n`;
}
