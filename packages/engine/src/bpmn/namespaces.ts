import type { ModdleElement } from './model.js';

/**
 * The namespace URI a prefix is bound to where `element` stands: the nearest `xmlns:prefix`
 * declaration on it or an ancestor. Known elements keep declarations in `$attrs`, unknown
 * (generic) ones as plain fields.
 */
export function namespaceOfPrefix(element: ModdleElement, prefix: string): string | undefined {
  const declaration = `xmlns:${prefix}`;
  for (let at: ModdleElement | undefined = element; at; at = at.$parent) {
    const uri = at.$descriptor.isGeneric ? at[declaration] : at.$attrs?.[declaration];
    if (typeof uri === 'string') return uri;
  }
  return undefined;
}
