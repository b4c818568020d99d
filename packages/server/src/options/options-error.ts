import type { OptionsProblem } from '@nagare/engine';

/**
 * Why an options-master operation was refused. Codes are stable; messages name the master,
 * the line or the parameter at fault.
 *
 * - `BAD_MASTER_NAME`: not 1–128 of letters, digits, `.`, `_`, `-` (starting with a letter or digit).
 * - `INVALID_OPTIONS_XML`: the XML has problems (`problems`, each with its line); nothing changed.
 * - `UNKNOWN_MASTER`: no master of that name in the Workspace.
 * - `BAD_CURSOR`: a paging cursor that is malformed, or from an earlier version of the master.
 * - `BAD_QUERY`: a limit out of range, a query that is too long.
 * - `CHOICES_UNAVAILABLE`: an HTTP choice source did not answer in time, answered an error
 *   status or a body that is not options XML.
 */
export type OptionsErrorCode =
  | 'BAD_MASTER_NAME'
  | 'INVALID_OPTIONS_XML'
  | 'UNKNOWN_MASTER'
  | 'BAD_CURSOR'
  | 'BAD_QUERY'
  | 'CHOICES_UNAVAILABLE';

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
  readonly code: OptionsErrorCode;
  /** For INVALID_OPTIONS_XML: every problem found (code, message, 1-based line). */
  readonly problems: readonly OptionsProblem[];

  constructor(
    code: OptionsErrorCode,
    message: string,
    options: { problems?: readonly OptionsProblem[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.problems = options.problems ?? [];
  }
}

/** The first problem as a sentence: `line 7: <item> without display (OPTIONS_MISSING_ATTRIBUTE)`. */
export function describeProblems(problems: readonly OptionsProblem[]): string {
  const first = problems[0];
  if (!first) return 'the options XML has problems';
  const where = first.line === undefined ? '' : `line ${first.line}: `;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `${where}${first.message} (${first.code})${more}`;
}
