/**
 * Turns bpmn-moddle's reader messages into coded problems. The reader (moddle-xml over saxen)
 * reports positional trouble as text: "unparsable content <tag> detected\n\tline: 4\n\t
 * column: 2\n\tnested error: duplicate ID <x>", with 0-based line and column. We parse that
 * text once here, so that the wording of the library stays out of every other file.
 */
import type { RawModdleWarning } from 'bpmn-moddle';
import { BpmnCodes, type BpmnProblem } from './problems.js';

/** Where an element stands in the source: its id (or its nearest ancestor's) and line. */
export type Locate = (element: unknown) => Pick<BpmnProblem, 'elementId' | 'line' | 'column'>;

export interface ReaderMessage {
  /** The nested error ("duplicate ID <x>") or the whole message when it has no position. */
  detail: string;
  line?: number;
  column?: number;
}

export function splitReaderMessage(message: string): ReaderMessage {
  const match = /line: (\d+)\s+column: (\d+)\s+nested error: ([\s\S]*)$/.exec(message);
  if (!match) return { detail: message };
  return { detail: match[3]!.trim(), line: Number(match[1]) + 1, column: Number(match[2]) + 1 };
}

/** Saxen's complaints about the XML itself: in lax mode they would silently drop the element. */
const MALFORMED = [
  /^missing namespace for prefix/,
  /^illegal first char attribute name/,
  /^missing attribute value/,
  /^illegal attribute name char/,
  /^illegal declaration of xmlns/,
  /^attribute value quote missmatch/,
  /^missing closing quotes/,
  /^illegal character after attribute end/,
  /^attribute <[^>]*> already defined/,
  /^non-whitespace outside of root node/,
];

/** A problem for one reader warning (not for unresolved references: see references.ts). */
export function problemFromReaderWarning(warning: RawModdleWarning, locate: Locate): BpmnProblem {
  const { detail, line, column } = splitReaderMessage(warning.message);
  const at = line === undefined ? locate(warning.element) : { line, column };
  const duplicate = /^duplicate ID <([^>]*)>/.exec(detail);
  if (duplicate) return idProblem('duplicate', duplicate[1]!, 'error', at);
  const illegal = /^illegal ID <([^>]*)>/.exec(detail);
  if (illegal) return idProblem('illegal', illegal[1]!, 'error', at);
  if (MALFORMED.some((pattern) => pattern.test(detail))) {
    return { severity: 'error', code: BpmnCodes.malformedXml, message: `Malformed XML: ${detail}.`, ...at };
  }
  const encoding = /^unsupported document encoding <([^>]*)>/.exec(detail);
  if (encoding) {
    return {
      severity: 'warning',
      code: BpmnCodes.unsupportedEncoding,
      message: `The XML declaration says encoding "${encoding[1]}"; the text was read as UTF-8.`,
      line: 1,
    };
  }
  const attribute = /^unknown attribute <([^>]*)>/.exec(detail);
  if (attribute) {
    return {
      severity: 'warning',
      code: BpmnCodes.unknownContent,
      message: `The attribute "${attribute[1]}" is not part of BPMN (it is kept as written).`,
      ...at,
    };
  }
  if (
    /^(unknown type|unrecognized element|unexpected element|unexpected body text|expected no sub nodes)/.test(
      detail,
    )
  ) {
    return {
      severity: 'warning',
      code: BpmnCodes.unknownContent,
      message: `Content the BPMN schema does not allow here was skipped: ${detail}.`,
      ...at,
    };
  }
  return { severity: 'warning', code: BpmnCodes.readerWarning, message: detail, ...at };
}

/**
 * A duplicate or illegal id: an error when the reader skipped the element (strict reading), a
 * warning when it was kept (lenient reading).
 */
export function idProblem(
  kind: 'duplicate' | 'illegal',
  id: string,
  severity: BpmnProblem['severity'],
  at: Pick<BpmnProblem, 'line' | 'column'>,
): BpmnProblem {
  const kept = severity === 'warning' ? ' (the element is kept, as written)' : '';
  const message =
    kind === 'duplicate'
      ? `The id "${id}" is used by more than one element${kept}.`
      : `"${id}" is not a valid id (an id is an XML name: a letter or "_" first, then letters, digits, ".", "-" or "_")${kept}.`;
  const code = kind === 'duplicate' ? BpmnCodes.duplicateId : BpmnCodes.invalidId;
  return { severity, code, message, elementId: id, ...at };
}

/** A problem for the error that made the reader give up. */
export function problemFromReaderFailure(message: string): BpmnProblem {
  const { detail, line, column } = splitReaderMessage(message);
  const at = line === undefined ? {} : { line, column };
  return { severity: 'error', code: BpmnCodes.malformedXml, message: `Malformed XML: ${detail}.`, ...at };
}
