/**
 * The reading pipeline shared by parseBpmn (throws on errors) and validateBpmn (lists them):
 * guard the raw text, let bpmn-moddle read it in lax mode, then sort every reader remark into
 * an error or a warning with a line number.
 *
 * Strict reading (the default) makes duplicate and illegal ids, flows and boundary events
 * pointing at nothing, and flows without an end errors. Lenient reading
 * (`{ lenient: true }`, for importing other tools' files into the modeler) reports the same
 * problems, with the same codes and places, as warnings, and keeps everything: the element
 * with a duplicate id (lenient-ids.ts), the dangling reference as written (references.ts).
 * Malformed XML, another root, DOCTYPE and the size limit are errors in both.
 */
import type { RawModdleWarning, RawParseResult } from 'bpmn-moddle';
import { guardSource, type ParseBpmnOptions } from './guard.js';
import { type IdAnomaly, keepIdAnomalies } from './lenient-ids.js';
import { LineIndex } from './line-index.js';
import { BPMN_MODEL_NS_URI, bpmnModdle } from './moddle.js';
import { type BpmnDefinitions, isModdleElement, type ModdleElement } from './model.js';
import { BpmnCodes, type BpmnProblem } from './problems.js';
import {
  idProblem,
  type Locate,
  problemFromReaderFailure,
  problemFromReaderWarning,
} from './reader-messages.js';
import { settleUnresolvedReferences } from './references.js';
import { missingFlowEnds, unresolvedImports } from './structure.js';

export interface ReadResult {
  /** Absent when the text could not be read at all. */
  definitions?: BpmnDefinitions;
  problems: BpmnProblem[];
}

export async function readBpmn(xml: string, options: ParseBpmnOptions = {}): Promise<ReadResult> {
  const refused = guardSource(xml, options);
  if (refused) return { problems: [refused] };

  const lenient = options.lenient === true;
  const moddle = bpmnModdle();
  const anomalies: IdAnomaly[] = [];
  const hook = lenient ? keepIdAnomalies(anomalies) : undefined;
  let result: RawParseResult;
  try {
    result = await moddle.fromXML(xml, 'bpmn:Definitions', hook?.readerOptions);
  } catch (error) {
    return { problems: [problemFromFailure(xml, error)] };
  }
  if (hook && !hook.installed()) {
    throw new Error('lenient reading could not hook into the XML reader (has bpmn-moddle changed?)');
  }
  const definitions = result.rootElement as BpmnDefinitions;
  const lines = lazyLineIndex(xml);
  const locate = locator(lines);
  const problems: BpmnProblem[] = anomalies.map((anomaly) =>
    idProblem(
      anomaly.kind,
      anomaly.id,
      'warning',
      lines().tagPositionOfId(anomaly.id, anomaly.occurrence) ?? {},
    ),
  );
  for (const warning of result.warnings) {
    if (!isUnresolvedReference(warning)) problems.push(problemFromReaderWarning(warning, locate));
  }
  const references = { moddle, definitions, elementsById: result.elementsById, locate, lenient };
  problems.push(...settleUnresolvedReferences(result.references, references));
  problems.push(...unresolvedImports(definitions, xml, lines));
  problems.push(...missingFlowEnds(definitions, locate, problems, lenient ? 'warning' : 'error'));
  return { definitions, problems };
}

/** Settled from the reader's list of references instead (see references.ts). */
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
