/**
 * Name lookup for compiled expressions. The root reads the Nagare data map and converts only
 * the values an expression names (feelin converts the whole map on every call); local scopes
 * (filter items, `for` / `some` / `every` variables, context entries) sit on top of it, in
 * the order feelin merges its contexts.
 */
import { type FeelClock, feelClockAt } from '../feel-clock.js';
import { type DataItemTypes, toFeelValue } from '../feel-values.js';
import { fallback } from './fallback.js';
import { hasOnlyPlainKeys } from './kinds.js';

/** What `Scope.get` answers for a name that no scope holds. */
export const MISSING: unique symbol = Symbol('missing');
export type Looked = unknown;

export interface Scope {
  /** The value of `name`, or MISSING. */
  get(name: string): Looked;
  readonly root: RootScope;
}

export class RootScope implements Scope {
  readonly root: RootScope = this;
  private clock: FeelClock | undefined;

  constructor(
    private readonly data: Readonly<Record<string, unknown>>,
    private readonly types: DataItemTypes | undefined,
    private readonly timeZone: string | undefined,
    private readonly now: number | undefined,
  ) {}

  get(name: string): Looked {
    if (!Object.hasOwn(this.data, name)) return MISSING;
    return toFeelValue(this.data[name], this.types?.[name], this.timeZone);
  }

  /** FEEL `now()` / `today()` from the instant the caller passed, as feel.ts gives them to feelin. */
  clockValue(fn: 'now' | 'today'): unknown {
    const now = this.now;
    // Without an instant feel.ts reports an error; feelin's path words it.
    if (now === undefined) return fallback();
    this.clock ??= feelClockAt(now, this.timeZone ?? 'UTC');
    return this.clock[fn];
  }
}

/** Variables bound by `for`, `some`, `every` and context literals, over a parent scope. */
export class VarScope implements Scope {
  readonly root: RootScope;
  constructor(
    readonly vars: Record<string, unknown>,
    private readonly parent: Scope,
  ) {
    this.root = parent.root;
  }

  get(name: string): Looked {
    return Object.hasOwn(this.vars, name) ? this.vars[name] : this.parent.get(name);
  }
}

/** A filter's item: its entries (when a context), then `item`, then the outer scope. */
export class ItemScope implements Scope {
  readonly root: RootScope;
  private readonly entries: Readonly<Record<string, unknown>> | null;

  constructor(
    private readonly item: unknown,
    private readonly parent: Scope,
    entries: Readonly<Record<string, unknown>> | null,
  ) {
    this.root = parent.root;
    // A key with spaces or operators could have changed feelin's parse or name matching.
    if (entries !== null && !hasOnlyPlainKeys(entries)) fallback();
    this.entries = entries;
  }

  get(name: string): Looked {
    if (this.entries !== null && Object.hasOwn(this.entries, name)) return this.entries[name];
    if (name === 'item') return this.item;
    return this.parent.get(name);
  }
}
