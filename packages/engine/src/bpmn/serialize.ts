/**
 * Writes a moddle tree back to BPMN XML. bpmn-moddle keeps unknown elements and attributes of
 * other vendors and all DI, and writes them back; this module repairs the two cases where its
 * writer gets foreign content wrong (both seen in the MIWG corpus):
 *
 * - an unknown element in no namespace (`<Grid xmlns="">`, W4/Signavio) makes it throw;
 * - on an unknown element, an attribute prefixed with the element's own namespace
 *   (`<triso:system triso:readOnly="false">`) loses its prefix, which in XML moves it out of
 *   the namespace.
 *
 * For both, the tree is marked with placeholder names before writing, the text is fixed
 * after, and the tree is restored. The writer escapes `<`, `>` and quotes inside text and
 * attribute values, so the placeholders can only match real markup.
 */
import { bpmnModdle } from './moddle.js';
import type { ModdleElement } from './model.js';
import { namespaceOfPrefix } from './namespaces.js';
import type { ParsedBpmn } from './parse.js';
import { walkModdle } from './walk.js';

export interface SerializeBpmnOptions {
  /** Indent the XML (default true: a model file is read and diffed by people). */
  format?: boolean;
}

export async function serializeBpmn(
  model: Pick<ParsedBpmn, 'definitions'>,
  options: SerializeBpmnOptions = {},
): Promise<string> {
  const undo: Array<() => void> = [];
  walkModdle(model.definitions, (element) => {
    if (!element.$descriptor.isGeneric) return;
    markNoNamespace(element, undo);
    markSameNamespaceAttributes(element, undo);
  });
  try {
    const { xml } = await bpmnModdle().toXML(model.definitions, { format: options.format ?? true });
    return undo.length === 0 ? xml : restoreMarkedNames(xml);
  } finally {
    for (const step of undo.reverse()) step();
  }
}

const NO_NS_PREFIX = 'nagare_nons';
const NO_NS_URI = 'urn:nagare:placeholder:no-namespace';
const SAME_NS_MARK = 'nagare_samens__';

function markNoNamespace(element: ModdleElement, undo: Array<() => void>): void {
  const ns = element.$descriptor.ns;
  if (ns.uri !== '') return;
  const { prefix } = ns;
  ns.prefix = NO_NS_PREFIX;
  ns.uri = NO_NS_URI;
  undo.push(() => {
    ns.prefix = prefix;
    ns.uri = '';
  });
}

function markSameNamespaceAttributes(element: ModdleElement, undo: Array<() => void>): void {
  const uri = element.$descriptor.ns.uri;
  for (const key of Object.keys(element)) {
    const colon = key.indexOf(':');
    if (colon <= 0 || key.startsWith('$') || key.startsWith('xmlns:')) continue;
    if (namespaceOfPrefix(element, key.slice(0, colon)) !== uri) continue;
    const marked = `${SAME_NS_MARK}${key.slice(colon + 1)}`;
    element[marked] = element[key];
    delete element[key];
    undo.push(() => {
      element[key] = element[marked];
      delete element[marked];
    });
  }
}

function restoreMarkedNames(xml: string): string {
  return xml
    .replaceAll(` xmlns:${NO_NS_PREFIX}="${NO_NS_URI}"`, '')
    .replaceAll(`</${NO_NS_PREFIX}:`, '</')
    .replace(new RegExp(`<${NO_NS_PREFIX}:([\\w.-]+)`, 'g'), '<$1 xmlns=""')
    .replace(/<([\w.-]+):([\w.-]+)([^>]*)>/g, (tag: string, prefix: string, local: string, rest: string) =>
      rest.includes(SAME_NS_MARK)
        ? `<${prefix}:${local}${rest.replaceAll(` ${SAME_NS_MARK}`, ` ${prefix}:`)}>`
        : tag,
    );
}
