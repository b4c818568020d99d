/**
 * Checks made on the raw text before any XML parsing, so that a hostile or absurd input costs
 * one linear scan and never reaches the parser.
 *
 * - Size: 16 MiB by default. The largest real model in our corpus is under 1 MB; a model
 *   designer's diagram of a few hundred steps stays well below 16 MiB, while a 50 MB upload
 *   would cost hundreds of MB of heap once turned into a moddle tree.
 * - DOCTYPE / ENTITY: BPMN never needs a document type declaration; refusing any is the
 *   simplest complete defence against entity-expansion ("billion laughs") and external-entity
 *   attacks, whatever the parser would have done with them.
 */
import { LineIndex } from './line-index.js';
import { BpmnCodes, type BpmnProblem } from './problems.js';

export const DEFAULT_MAX_BPMN_BYTES = 16 * 1024 * 1024;

export interface ParseBpmnOptions {
  /** Refuse documents larger than this many UTF-8 bytes (default {@link DEFAULT_MAX_BPMN_BYTES}). */
  maxBytes?: number;
  /**
   * Read other tools' files the way bpmn-js does, losing nothing (default false: strict).
   * Duplicate and illegal ids, references to ids that are not in the document and sequence or
   * message flows without an end are then warnings (same codes and places) instead of errors;
   * the elements and references concerned are kept and written back as they were. Malformed
   * XML, a root other than `bpmn:definitions`, DOCTYPE and the size limit stay errors. For
   * importing into the modeler and converting; never for compiling, validating or deploying.
   */
  lenient?: boolean;
}

/** The problem that makes the text unparseable before parsing, if any. */
export function guardSource(xml: string, options: ParseBpmnOptions = {}): BpmnProblem | undefined {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BPMN_BYTES;
  const bytes = utf8ByteLength(xml, maxBytes);
  if (bytes > maxBytes) {
    return {
      severity: 'error',
      code: BpmnCodes.tooLarge,
      message: `The document is ${formatBytes(bytes)}, above the limit of ${formatBytes(maxBytes)}.`,
    };
  }
  const declaration = findDeclaration(xml);
  if (declaration) {
    const position = new LineIndex(xml).positionAt(declaration.index);
    return {
      severity: 'error',
      code: BpmnCodes.doctypeForbidden,
      message: `<!${declaration.keyword}> declarations are not allowed in BPMN documents (they enable entity-expansion attacks).`,
      ...position,
    };
  }
  return undefined;
}

/**
 * The first markup declaration (`<!DOCTYPE`, `<!ENTITY`, ...) outside comments and CDATA
 * sections: a script body in CDATA may well contain `<!DOCTYPE html>`, and that is fine.
 * Text and attribute values cannot hold a raw `<`, so nothing else can look like one.
 * A hand-written scan (not a regular expression) so the cost stays linear on any input.
 */
function findDeclaration(xml: string): { index: number; keyword: string } | undefined {
  for (let at = xml.indexOf('<!'); at !== -1; at = xml.indexOf('<!', at + 2)) {
    const skipTo = xml.startsWith('<!--', at) ? '-->' : xml.startsWith('<![CDATA[', at) ? ']]>' : undefined;
    if (skipTo !== undefined) {
      const end = xml.indexOf(skipTo, at + 4);
      if (end === -1) return undefined; // unclosed: the XML reader reports it
      at = end;
      continue;
    }
    const keyword = /^<!\s*([A-Za-z]+)/.exec(xml.slice(at, at + 32))?.[1] ?? '';
    return { index: at, keyword: keyword.toUpperCase() || 'declaration' };
  }
  return undefined;
}

/**
 * UTF-8 length of a string, counting only as far as needed: UTF-8 never takes fewer bytes than
 * UTF-16 code units, nor more than three per unit.
 */
function utf8ByteLength(text: string, limit: number): number {
  if (text.length * 3 <= limit) return text.length;
  if (text.length > limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const mib = bytes / (1024 * 1024);
  return mib >= 1
    ? `${mib.toFixed(1)} MiB (${bytes} bytes)`
    : `${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`;
}
