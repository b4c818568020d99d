/**
 * Paths, filters and iteration: `a.b`, `list[cond]` / `list[i]`, `for x in l return e`,
 * `some` / `every`, following feelin's PathExpression, FilterExpression, ForExpression and
 * QuantifiedExpression, including their scoping (`item`, the item's entries, `partial`).
 */
import { FeelDate, FeelDateTime } from 'feelin';
import { fallback } from './fallback.js';
import { hasOnlyPlainKeys, isContext, isPlainKey, isTruthy, kindOf } from './kinds.js';
import { ItemScope, type Scope, VarScope } from './scope.js';
import { type Compiled, children, type Run, type SyntaxNode, unsupported } from './types.js';

type CompileNode = (node: SyntaxNode) => Compiled;

const DATE_FIELDS = new Set(['year', 'month', 'day', 'weekday']);
const DATE_TIME_FIELDS = new Set(['year', 'month', 'day', 'weekday', 'hour', 'minute', 'second']);

/** One step of a path on a single value, as feelin's PathName reads it. */
function pathStep(target: unknown, name: string): unknown {
  if (target === null || target === undefined) return null;
  const t = typeof target;
  if (t === 'boolean' || t === 'number' || t === 'string') return null;
  if (isContext(target)) {
    if (!hasOnlyPlainKeys(target)) return fallback();
    const v = Object.hasOwn(target, name) ? target[name] : undefined;
    return v === undefined ? null : v;
  }
  if (target instanceof FeelDate && DATE_FIELDS.has(name)) return target[name as 'year'];
  if (target instanceof FeelDateTime && DATE_TIME_FIELDS.has(name)) return target[name as 'hour'];
  return fallback();
}

/** The single plain name a Name / PathName node spells, or unsupported. */
export function plainName(node: SyntaxNode, src: string): string {
  const name = src.slice(node.from, node.to).replace(/\s{2,}/g, ' ');
  return isPlainKey(name) ? name : unsupported(`name ${name}`);
}

export function compilePath(node: SyntaxNode, src: string, compileNode: CompileNode): Compiled {
  const [targetNode, , nameNode] = children(node);
  if (!targetNode || nameNode?.name !== 'PathName') return unsupported('path');
  const name = plainName(nameNode, src);
  const target = compileNode(targetNode).run;
  return {
    type: 'any',
    run: (s) => {
      const t = target(s);
      return Array.isArray(t) ? t.map((v) => pathStep(v, name)) : pathStep(t, name);
    },
  };
}

const INDEX_TYPES = new Set(['number', 'boolean', 'any']);

/** The entries feelin spreads into a filter item's context; kinds it would spread oddly go to feelin. */
function itemEntries(el: unknown): Readonly<Record<string, unknown>> | null {
  if (isContext(el)) return el;
  const kind = kindOf(el);
  // Numbers, booleans and null spread nothing; strings and lists only digit keys, never names.
  if (kind === 'nil' || kind === 'boolean' || kind === 'number' || kind === 'string' || kind === 'list')
    return null;
  return fallback();
}

export function compileFilter(node: SyntaxNode, compileNode: CompileNode): Compiled {
  const [targetNode, , filterNode] = children(node);
  if (!targetNode || !filterNode) return unsupported('filter');
  const target = compileNode(targetNode).run;
  const filter = compileNode(filterNode);
  const f = filter.run;
  let select: (t: unknown, list: unknown[], s: Scope) => unknown;
  if (filter.type !== undefined && INDEX_TYPES.has(filter.type)) {
    select = (t, list, s) => {
      const idx = f(s);
      if (typeof idx === 'boolean') return idx ? t : [];
      if (typeof idx !== 'number') return [];
      const v = list[idx < 0 ? list.length + idx : idx - 1];
      return v === undefined ? null : v;
    };
  } else if (filter.type === 'string') {
    select = (_t, list, s) => {
      const v = f(s);
      return list.filter((el) => el === v);
    };
  } else if (filter.type === 'test') {
    select = (_t, list, s) => {
      const out: unknown[] = [];
      for (const el of list) {
        const r = f(new ItemScope(el, s, itemEntries(el)));
        if (r === true) {
          if (isTruthy(el)) out.push(el);
        } else if (r !== false && r !== null) return fallback();
      }
      return out;
    };
  } else {
    select = () => null;
  }
  return {
    type: 'any',
    run: (s) => {
      const t = target(s);
      if (t === null) return null;
      return select(t, Array.isArray(t) ? t : [t], s);
    },
  };
}

/** `name in list` of for / some / every: one iteration context over a list expression. */
function iterationOf(
  node: SyntaxNode,
  src: string,
  compileNode: CompileNode,
): { readonly name: string; readonly list: Run } {
  const contexts = children(node);
  const [only] = contexts;
  if (contexts.length !== 1 || only?.name !== 'InExpression')
    return unsupported('several iteration contexts');
  const [nameNode, , iterNode] = children(only);
  if (nameNode?.name !== 'Name' || iterNode?.name !== 'IterationContext') return unsupported('in expression');
  const parts = children(iterNode);
  const [expr] = parts;
  if (parts.length !== 1 || !expr) return unsupported('range iteration');
  return { name: plainName(nameNode, src), list: compileNode(expr).run };
}

/** The list to iterate, or null for a value that is none (feelin then yields null); ranges go to feelin. */
function listOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  return kindOf(value) === 'range' ? fallback() : null;
}

export function compileFor(node: SyntaxNode, src: string, compileNode: CompileNode): Compiled {
  const [, inNode, , bodyNode] = children(node);
  if (!inNode || !bodyNode) return unsupported('for');
  const { name, list } = iterationOf(inNode, src, compileNode);
  const body = compileNode(bodyNode).run;
  return {
    type: undefined,
    run: (s) => {
      const items = listOf(list(s));
      if (items === null) return null;
      const partial: unknown[] = [];
      for (const item of items) {
        const vars: Record<string, unknown> = { [name]: item };
        // feelin exposes the results so far as `partial`, over the iteration variable.
        vars.partial = partial;
        partial.push(body(new VarScope(vars, s)));
      }
      return partial;
    },
  };
}

export function compileQuantified(node: SyntaxNode, src: string, compileNode: CompileNode): Compiled {
  const [kindNode, inNode, , condNode] = children(node);
  if (!kindNode || !inNode || !condNode) return unsupported('quantified');
  const every = kindNode.name === 'every';
  const { name, list } = iterationOf(inNode, src, compileNode);
  const cond = compileNode(condNode).run;
  return {
    type: 'test',
    run: (s) => {
      const items = listOf(list(s));
      if (items === null) return null;
      const holds = (item: unknown) => isTruthy(cond(new VarScope({ [name]: item }, s)));
      return every ? items.every(holds) : items.some(holds);
    },
  };
}
