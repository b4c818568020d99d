/**
 * A fast path for the commonest condition, `name op literal` (`amount > 10`,
 * `q_status = "open"`), which otherwise pays for feelin's parse on every evaluation.
 *
 * It only answers when the outcome is certain to equal feelin's: the name must be a plain
 * context entry holding a finite number compared with a number literal, or a string
 * compared for (in)equality with a string literal without escapes. For anything else it
 * returns `undefined` and the caller asks feelin. test/expr/fast-path.test.ts checks the
 * equivalence with fast-check.
 */
import { isPlainFeelName } from './feel-literal.js';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface FastComparison {
  readonly name: string;
  readonly op: CompareOp;
  readonly literal: number | string;
}

const PATTERN = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|!=|=|<|>)\s*(?:(-?\d+(?:\.\d+)?)|"([^"\\]*)")\s*$/;

/** Recognises `name op literal`; `null` when the expression has another shape. */
export function parseFastComparison(expression: string): FastComparison | null {
  const m = PATTERN.exec(expression);
  if (!m) return null;
  const [, name, op, num, str] = m;
  if (name === undefined || op === undefined || !isPlainFeelName(name)) return null;
  if (num !== undefined) return { name, op: op as CompareOp, literal: Number(num) };
  if (str !== undefined && (op === '=' || op === '!=')) return { name, op: op as CompareOp, literal: str };
  return null;
}

/** The comparison's result for the name's (FEEL) value, or `undefined` when feelin must decide. */
export function runFastComparison(c: FastComparison, value: unknown): boolean | undefined {
  if (typeof c.literal === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    const lit = c.literal;
    switch (c.op) {
      case '=':
        return value === lit;
      case '!=':
        return value !== lit;
      case '<':
        return value < lit;
      case '<=':
        return value <= lit;
      case '>':
        return value > lit;
      case '>=':
        return value >= lit;
    }
  }
  if (typeof value !== 'string') return undefined;
  return c.op === '=' ? value === c.literal : value !== c.literal;
}
