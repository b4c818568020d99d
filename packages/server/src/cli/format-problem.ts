import type { BpmnProblem } from '@nagare/engine';

/** `file:line: error CODE [elementId] message`, the shape editors and CI annotate from. */
export function formatProblem(file: string, problem: BpmnProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  const element = problem.elementId === undefined ? '' : ` [${problem.elementId}]`;
  return `${where}: ${problem.severity} ${problem.code}${element} ${problem.message}`;
}

export function countBySeverity(problems: readonly BpmnProblem[]): { errors: number; warnings: number } {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
