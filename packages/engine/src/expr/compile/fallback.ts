/**
 * The signal a compiled expression throws when it meets something it does not implement
 * (a value kind, an edge case): the caller then evaluates the whole expression with feelin,
 * so results stay feelin's by construction. One shared instance: throwing it costs no stack.
 */
export class FallbackSignal extends Error {
  constructor() {
    super('FEEL: delegate to feelin');
  }
}

export const FALLBACK = new FallbackSignal();

/** Gives up on the compiled path for this evaluation. */
export function fallback(): never {
  throw FALLBACK;
}
