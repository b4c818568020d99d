import type { ParseBpmnOptions } from './guard.js';
import type { BpmnDefinitions } from './model.js';
import { BpmnCodes, BpmnError, type BpmnProblem } from './problems.js';
import { readBpmn } from './read.js';

export interface ParsedBpmn {
  /** The bpmn-moddle tree: `bpmn:Definitions` at the root. */
  definitions: BpmnDefinitions;
  /** Remarks that did not stop the reading (unknown attributes, references into imports...). */
  warnings: BpmnProblem[];
}

/**
 * Reads a BPMN 2.0 document (with Nagare's extension and any other vendor's extensions).
 * Throws {@link BpmnError} listing every problem when the document has at least one error:
 * too large, DOCTYPE, malformed XML, not BPMN, duplicate ids, dangling flow ends. With
 * `{ lenient: true }` the last two are warnings and the document is read whole (see
 * {@link ParseBpmnOptions.lenient}).
 */
export async function parseBpmn(xml: string, options?: ParseBpmnOptions): Promise<ParsedBpmn> {
  const { definitions, problems } = await readOrExplain(xml, options);
  if (!definitions || problems.some((p) => p.severity === 'error')) throw new BpmnError(problems);
  return { definitions, warnings: problems };
}

/** readBpmn, with any unforeseen failure turned into a `BPMN_UNREADABLE` problem. */
export async function readOrExplain(xml: string, options?: ParseBpmnOptions): ReturnType<typeof readBpmn> {
  try {
    return await readBpmn(xml, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const problem: BpmnProblem = {
      severity: 'error',
      code: BpmnCodes.unreadable,
      message: `The document could not be read: ${message}`,
    };
    return { problems: [problem] };
  }
}
