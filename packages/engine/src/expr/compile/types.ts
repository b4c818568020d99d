/** Shared shapes of the FEEL compiler: parse-tree nodes in, closures with feelin's type tags out. */
import type { parseExpression } from 'feelin';
import type { Scope } from './scope.js';

export type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

/** The compiled form of one node: evaluate it in a scope. */
export type Run = (scope: Scope) => unknown;

/**
 * feelin tags some nodes with a static type ('number', 'test', 'any'...), and a filter
 * `list[x]` chooses index or predicate semantics by it, so the compiler carries it along.
 */
export type StaticType = string | undefined;

export interface Compiled {
  readonly run: Run;
  readonly type: StaticType;
  /** Present when the value is known at compile time (a literal, or a folded date literal). */
  readonly constant?: { readonly value: unknown };
}

/** Thrown while compiling: this expression is always evaluated by feelin. */
export class Unsupported extends Error {}

export function unsupported(what: string): never {
  throw new Unsupported(what);
}

/** The node's children that feelin's interpreter sees (comments are skipped). */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) if (!c.type.isSkipped) out.push(c);
  return out;
}

export function constant(value: unknown, type: StaticType): Compiled {
  return { run: () => value, type, constant: { value } };
}

/** feelin's coalecenseTypes for `if` and arithmetic. */
export function coalesce(a: Compiled, b: Compiled | undefined): StaticType {
  if (b === undefined) return a.type;
  return a.type === b.type ? a.type : 'any';
}
