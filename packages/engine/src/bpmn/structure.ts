/**
 * Checks bpmn-moddle does not make. Imports: the engine does no I/O, so an imported document
 * (a DMN decision, another BPMN file) is never loaded; each import is noted as a warning.
 * Structure: a sequence or message flow must name both its
 * source and its target (an error when reading strictly, a warning when leniently). (A flow
 * naming an id that does not exist is reported as an unknown reference while reading; this
 * catches the attribute left out altogether.)
 */
import type { LineIndex } from './line-index.js';
import type { BpmnDefinitions } from './model.js';
import { BpmnCodes, type BpmnProblem } from './problems.js';
import type { Locate } from './reader-messages.js';
import { walkModdle } from './walk.js';

export function missingFlowEnds(
  definitions: BpmnDefinitions,
  locate: Locate,
  known: readonly BpmnProblem[],
  severity: BpmnProblem['severity'],
): BpmnProblem[] {
  const reported = new Set(
    known.filter((p) => p.code === BpmnCodes.unknownReference).map((p) => p.elementId),
  );
  const problems: BpmnProblem[] = [];
  walkModdle(definitions, (element) => {
    if (!element.$instanceOf('bpmn:SequenceFlow') && !element.$instanceOf('bpmn:MessageFlow')) return;
    const missing = ['sourceRef', 'targetRef'].filter((end) => element[end] === undefined);
    if (missing.length === 0 || reported.has(element.id)) return;
    problems.push({
      severity,
      code: BpmnCodes.missingReference,
      message: `${element.$type} "${element.id ?? ''}" has no ${missing.join(' and no ')}.`,
      ...locate(element),
    });
  });
  return problems;
}

export function unresolvedImports(
  definitions: BpmnDefinitions,
  xml: string,
  lines: () => LineIndex,
): BpmnProblem[] {
  return (definitions.imports ?? []).map((entry) => {
    const location = typeof entry.location === 'string' ? entry.location : '';
    const namespace = typeof entry.namespace === 'string' ? entry.namespace : '';
    const at = location === '' ? -1 : xml.indexOf(`"${location}"`);
    return {
      severity: 'warning' as const,
      code: BpmnCodes.unresolvedImport,
      message: `The document imports "${location}" (namespace ${namespace}); imported documents are not loaded, references into them are kept as written.`,
      ...(at === -1 ? {} : lines().positionAt(at)),
    };
  });
}
