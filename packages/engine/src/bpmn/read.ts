/**
 * The reading pipeline shared by parseBpmn (throws on errors) and validateBpmn (lists them):
 * guard the raw text, let bpmn-moddle read it leniently, then sort every reader remark into
 * an error or a warning with a line number.
 */
import type { RawModdleWarning, RawParseResult } from 'bpmn-moddle';
import { guardSource, type ParseBpmnOptions } from './guard.js';
import { LineIndex } from './line-index.js';
import { BPMN_MODEL_NS_URI, bpmnModdle } from './moddle.js';
import { type BpmnDefinitions, isModdleElement, type ModdleElement } from './model.js';
import { BpmnCodes, type BpmnProblem } from './problems.js';
import { type Locate, problemFromReaderFailure, problemFromReaderWarning } from './reader-messages.js';
import { settleUnresolvedReference } from './references.js';
import { missingFlowEnds, unresolvedImports } from './structure.js';

export interface ReadResult {
  /** Absent when the text could not be read at all. */
  definitions?: BpmnDefinitions;
  problems: BpmnProblem[];
}

export async function readBpmn(xml: string, options: ParseBpmnOptions = {}): Promise<ReadResult> {
  const refused = guardSource(xml, options);
  if (refused) return { problems: [refused] };

  const moddle = bpmnModdle();
  let result: RawParseResult;
  try {
    result = await moddle.fromXML(xml, 'bpmn:Definitions');
  } catch (error) {
    return { problems: [problemFromFailure(xml, error)] };
  }
  const definitions = result.rootElement as BpmnDefinitions;
  const lines = lazyLineIndex(xml);
  const locate = locator(lines);
  const problems: BpmnProblem[] = [];
  for (const warning of result.warnings) {
    const problem = isUnresolvedReference(warning)
      ? settleUnresolvedReference(warning, { moddle, definitions, elementsById: result.elementsById, locate })
      : problemFromReaderWarning(warning, locate);
    if (problem) problems.push(problem);
  }
  problems.push(...unresolvedImports(definitions, xml, lines));
  problems.push(...missingFlowEnds(definitions, locate, problems));
  return { definitions, problems };
}

function isUnresolvedReference(warning: RawModdleWarning): boolean {
  return warning.message.startsWith('unresolved reference <');
}

function problemFromFailure(xml: string, error: unknown): BpmnProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('failed to parse document as')) return notBpmn(xml);
  return problemFromReaderFailure(message);
}

/** Names the root element the document has instead of `bpmn:definitions`. */
function notBpmn(xml: string): BpmnProblem {
  const root = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[^>]*>/.exec(
    xml.replace(/<[?!][\s\S]*?>/g, (m) => ' '.repeat(m.length)),
  );
  const expected = `<definitions> in the namespace ${BPMN_MODEL_NS_URI}`;
  if (!root)
    return {
      severity: 'error',
      code: BpmnCodes.notBpmn,
      message: `Not a BPMN document: expected ${expected}.`,
    };
  const namespace = namespaceOfRoot(root[0], root[1]?.slice(0, -1));
  return {
    severity: 'error',
    code: BpmnCodes.notBpmn,
    message: `Not a BPMN document: the root element is <${root[1] ?? ''}${root[2]}>${namespace ? ` in the namespace ${namespace}` : ' without a namespace'}; expected ${expected}.`,
    ...new LineIndex(xml).positionAt(root.index),
  };
}

function namespaceOfRoot(tag: string, prefix: string | undefined): string | undefined {
  const attribute = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  const match = new RegExp(`\\s${attribute.replace('.', '\\.')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match ? (match[1] ?? match[2]) : undefined;
}

function lazyLineIndex(xml: string): () => LineIndex {
  let index: LineIndex | undefined;
  return () => {
    index ??= new LineIndex(xml);
    return index;
  };
}

function locator(lines: () => LineIndex): Locate {
  return (element) => {
    for (let at: unknown = element; isModdleElement(at); at = (at as ModdleElement).$parent) {
      if (typeof at.id === 'string' && at.id !== '') {
        const position = lines().positionOfId(at.id);
        return { elementId: at.id, ...position };
      }
    }
    return {};
  };
}
