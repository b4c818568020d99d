import type { ParseBpmnOptions } from './guard.js';
import { readOrExplain } from './parse.js';
import type { BpmnProblem } from './problems.js';

/**
 * Every error and warning in a BPMN document, in document order where known. Never throws for
 * bad input: even a failure we did not foresee comes back as a `BPMN_UNREADABLE` problem.
 * Always the strict check: a `lenient` option is ignored (what lenient reading tolerates is
 * exactly what validation is there to report).
 */
export async function validateBpmn(
  xml: string,
  options?: Omit<ParseBpmnOptions, 'lenient'>,
): Promise<BpmnProblem[]> {
  const { problems } = await readOrExplain(xml, { ...options, lenient: false });
  return sortByPosition(problems);
}

function sortByPosition(problems: BpmnProblem[]): BpmnProblem[] {
  // Stable: problems without a line keep their place after those with one.
  return [...problems].sort(
    (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
  );
}
