/**
 * What can be wrong with a BPMN document, as stable codes. The codes are part of the public
 * contract (the CLI prints them, the API returns them, docs/bpmn.md lists them): add new ones,
 * never rename.
 */
export const BpmnCodes = {
  /** The text is not well-formed XML (unclosed tag, mismatched close tag, bad attribute...). */
  malformedXml: 'BPMN_MALFORMED_XML',
  /** Well-formed XML whose root is not `bpmn:definitions`. */
  notBpmn: 'BPMN_NOT_BPMN',
  /** Two elements share an id. */
  duplicateId: 'BPMN_DUPLICATE_ID',
  /** An id that is not a valid XML name. */
  invalidId: 'BPMN_INVALID_ID',
  /** A reference to an id that is not in the document. */
  unknownReference: 'BPMN_UNKNOWN_REFERENCE',
  /** A required reference is absent (a sequence flow without `sourceRef`...). */
  missingReference: 'BPMN_MISSING_REFERENCE',
  /** A prefixed reference into another document (an import); kept as written. */
  externalReference: 'BPMN_EXTERNAL_REFERENCE',
  /** An `<import>`: imported documents are not loaded; references into them are kept as written. */
  unresolvedImport: 'BPMN_UNRESOLVED_IMPORT',
  /** The document is larger than the configured limit. */
  tooLarge: 'BPMN_TOO_LARGE',
  /** A DOCTYPE or ENTITY declaration (refused: entity expansion attacks). */
  doctypeForbidden: 'BPMN_DOCTYPE_FORBIDDEN',
  /** An element or attribute that the BPMN schema (or our extension) does not allow there. */
  unknownContent: 'BPMN_UNKNOWN_CONTENT',
  /** The XML declaration names an encoding other than UTF-8; the text is read as UTF-8. */
  unsupportedEncoding: 'BPMN_UNSUPPORTED_ENCODING',
  /** The reader failed in an unexpected way (a bug on our side; please report it). */
  unreadable: 'BPMN_UNREADABLE',
  /** Anything else the reader reported. */
  readerWarning: 'BPMN_READER_WARNING',
} as const;

export type BpmnCode = (typeof BpmnCodes)[keyof typeof BpmnCodes];

export interface BpmnProblem {
  severity: 'error' | 'warning';
  /** One of {@link BpmnCodes}. Typed as string so callers can pass problems through unchanged. */
  code: string;
  message: string;
  elementId?: string;
  /** 1-based line in the source text. */
  line?: number;
  /** 1-based column in the source text. */
  column?: number;
}

/** Thrown by `parseBpmn` when the input cannot be used; `problems` holds every error found. */
export class BpmnError extends Error {
  readonly problems: readonly BpmnProblem[];

  constructor(problems: readonly BpmnProblem[]) {
    super(summarize(problems));
    this.name = 'BpmnError';
    this.problems = Object.freeze([...problems]);
  }
}

/** `line 12, column 3: message` — the form used in every message we build. */
export function formatProblem(problem: BpmnProblem): string {
  const where = problem.line === undefined ? '' : `line ${problem.line}${columnText(problem)}: `;
  return `${where}${problem.message} [${problem.code}]`;
}

function columnText(problem: BpmnProblem): string {
  return problem.column === undefined ? '' : `, column ${problem.column}`;
}

function summarize(problems: readonly BpmnProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error');
  const shown = (errors.length > 0 ? errors : problems).slice(0, 5).map(formatProblem);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
  return `Invalid BPMN: ${shown.join('; ')}${more}`;
}
