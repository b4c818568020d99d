import type { CompileProblem } from '../model/compiled-app.js';

/** Stable codes of compile problems (docs/engine.md lists them). */
export const CompileCodes = {
  NoProcess: 'NO_PROCESS',
  MultipleProcesses: 'MULTIPLE_PROCESSES',
  Unsupported: 'UNSUPPORTED_ELEMENT',
  UnsupportedEvent: 'UNSUPPORTED_EVENT_DEFINITION',
  BadExpression: 'BAD_EXPRESSION',
  BadTimer: 'BAD_TIMER',
  NoStart: 'NO_START_EVENT',
  BadFlow: 'BAD_FLOW',
  BadDefault: 'BAD_DEFAULT_FLOW',
  BadButton: 'BAD_BUTTON',
  BadBoundary: 'BAD_BOUNDARY_EVENT',
  BadEventGateway: 'BAD_EVENT_GATEWAY',
  BadSubProcess: 'BAD_SUB_PROCESS',
  BadMultiInstance: 'BAD_MULTI_INSTANCE',
  UnknownDataItem: 'UNKNOWN_DATA_ITEM',
  BadDeadline: 'BAD_DEADLINE',
  BadLink: 'BAD_LINK',
  BadInitialValue: 'BAD_INITIAL_VALUE',
  BadAddonStart: 'BAD_ADDON_START',
} as const;

/** Thrown by `compile` with every problem found, each naming its element. */
export class CompileError extends Error {
  readonly problems: readonly CompileProblem[];
  constructor(problems: readonly CompileProblem[]) {
    const first = problems[0];
    super(
      problems.length === 1 && first
        ? formatCompileProblem(first)
        : `${problems.length} problems: ${problems.map(formatCompileProblem).join('; ')}`,
    );
    this.name = 'CompileError';
    this.problems = problems;
  }
}

export function formatCompileProblem(p: CompileProblem): string {
  const where = p.elementId ? ` [${p.elementId}${p.elementType ? ` (${p.elementType})` : ''}]` : '';
  return `${p.code}${where}: ${p.message}`;
}
