/**
 * Expressions as the compiled app holds them: FEEL text plus a closure over the expr layer.
 * Closed literals (`42`, `"open"`, `true`) are evaluated once here, so the inline update-data
 * step of the hot path (S1: `amount := 42`) costs a property read, not a FEEL parse.
 */
import { evaluateCondition, evaluateFeel } from '../expr/feel.js';
import type { DataItemTypes } from '../expr/feel-values.js';
import type { CompiledExpr, ExprResult } from '../model/compiled-app.js';

const CLOSED_LITERAL = /^\s*(?:-?\d+(?:\.\d+)?|"[^"\\]*"|true|false|null)\s*$/;

export type ExprKind = 'value' | 'condition';

export type ExprCompileResult =
  | { readonly ok: true; readonly expr: CompiledExpr }
  | { readonly ok: false; readonly error: string };

export function compileExpression(
  source: string,
  kind: ExprKind,
  types: DataItemTypes | undefined,
): ExprCompileResult {
  const trimmed = source.trim();
  if (trimmed === '') return { ok: false, error: 'empty expression' };
  if (CLOSED_LITERAL.test(trimmed)) {
    const r = kind === 'condition' ? evaluateCondition(trimmed, {}) : evaluateFeel(trimmed, {});
    if (!r.ok) return { ok: false, error: r.error };
    const constant: ExprResult = { ok: true, value: r.value };
    return { ok: true, expr: { source: trimmed, evaluate: () => constant } };
  }
  // A syntax check: evaluating against no data fails on syntax, or at worst on missing names.
  const probe = evaluateFeel(trimmed, {}, { now: 0 });
  if (!probe.ok && probe.error.startsWith('FEEL syntax error')) return { ok: false, error: probe.error };
  const evaluate =
    kind === 'condition'
      ? (ctx: Readonly<Record<string, unknown>>, env: { now: number; timeZone: string }): ExprResult =>
          evaluateCondition(trimmed, ctx, { types, now: env.now, timeZone: env.timeZone })
      : (ctx: Readonly<Record<string, unknown>>, env: { now: number; timeZone: string }): ExprResult =>
          evaluateFeel(trimmed, ctx, { types, now: env.now, timeZone: env.timeZone });
  return { ok: true, expr: { source: trimmed, evaluate } };
}

const JUEL = /^[$#]\{([\s\S]*)\}$/;
const JUEL_TOKEN =
  /\s*(?:(&&|\|\||==|!=|<=|>=|<|>|\(|\)|!)|(-?\d+(?:\.\d+)?)|("[^"\\]*"|'[^'\\]*')|([A-Za-z_][A-Za-z0-9_]*))/y;

/**
 * Translates a trivial JUEL condition (`${amount > 10 && status == "open"}`) to FEEL; anything
 * with calls, property paths, `!` other than `!name`, arithmetic or ternaries is not "trivial" and returns undefined.
 */
export function translateJuel(body: string): string | undefined {
  const m = JUEL.exec(body.trim());
  if (!m) return undefined;
  const inner = m[1] ?? '';
  const out: string[] = [];
  JUEL_TOKEN.lastIndex = 0;
  let pos = 0;
  let prevIdent = false;
  while (pos < inner.length) {
    if (inner.slice(pos).trim() === '') break;
    JUEL_TOKEN.lastIndex = pos;
    const t = JUEL_TOKEN.exec(inner);
    if (!t) return undefined;
    pos = JUEL_TOKEN.lastIndex;
    const [, op, num, str, ident] = t;
    // A call (`name(`) is not trivial.
    if (op === '(' && prevIdent) return undefined;
    prevIdent = ident !== undefined;
    if (op === '!') {
      // only `!name` is trivial: not(name)
      JUEL_TOKEN.lastIndex = pos;
      const next = JUEL_TOKEN.exec(inner);
      if (!next?.[4]) return undefined;
      pos = JUEL_TOKEN.lastIndex;
      out.push(`not(${next[4]})`);
      prevIdent = true;
      continue;
    }
    if (op) out.push(op === '&&' ? 'and' : op === '||' ? 'or' : op === '==' ? '=' : op);
    else if (num) out.push(num);
    else if (str) out.push(str.startsWith("'") ? `"${str.slice(1, -1)}"` : str);
    else if (ident) {
      if (ident === 'and' || ident === 'or' || ident === 'true' || ident === 'false' || ident === 'null')
        out.push(ident);
      else if (
        ['eq', 'ne', 'lt', 'gt', 'le', 'ge', 'not', 'empty', 'div', 'mod', 'instanceof'].includes(ident)
      )
        return undefined;
      else out.push(ident);
    }
  }
  if (out.length === 0) return undefined;
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}
