/**
 * The FEEL parse tree (lezer-feel, via feelin's parseExpression) → closures. Each case
 * mirrors the node of the same name in feelin's interpreter; a node, operator or built-in
 * not listed here makes the whole expression feelin's (Unsupported).
 */
import { evaluate as feelinEvaluate } from 'feelin';
import { type ArithOp, arith } from './arith.js';
import { BUILTIN_NAMES, builtinFunction, invokeBuiltin } from './builtins.js';
import { fallback } from './fallback.js';
import { compileFilter, compileFor, compilePath, compileQuantified, plainName } from './iteration.js';
import { isPlainKey, isTruthy } from './kinds.js';
import { numberLiteral, stringLiteral } from './literals.js';
import { MISSING, VarScope } from './scope.js';
import { compileComparison } from './tests.js';
import {
  type Compiled,
  children,
  coalesce,
  constant,
  type Run,
  type SyntaxNode,
  unsupported,
} from './types.js';

export function compileNode(node: SyntaxNode, src: string): Compiled {
  const kids = children(node);
  const sub = (n: SyntaxNode | undefined): Compiled => (n ? compileNode(n, src) : unsupported(node.name));
  const rec = (n: SyntaxNode): Compiled => compileNode(n, src);
  const text = src.slice(node.from, node.to);
  switch (node.name) {
    case 'Expression':
      return kids.length === 1 ? sub(kids[0]) : unsupported('expression');
    case 'ParenthesizedExpression':
      return sub(kids[1]);
    case 'NumericLiteral':
      return constant(numberLiteral(text), 'number');
    case 'StringLiteral':
      return constant(stringLiteral(text), 'string');
    case 'BooleanLiteral':
      return constant(text === 'true', 'boolean');
    case 'null':
      return { run: () => null, type: 'nil' };
    case 'VariableName':
      return compileVariable(kids, src);
    case 'ArithmeticExpression':
      return compileArithmetic(kids, src);
    case 'Comparison':
      return compileComparison(node, src, rec);
    case 'Conjunction':
    case 'Disjunction':
      return compileLogic(node.name === 'Conjunction', sub(kids[0]).run, sub(kids[2]).run);
    case 'IfExpression': {
      const cond = sub(kids[1]).run;
      const then = sub(kids[3]);
      const otherwise = sub(kids[5]);
      return {
        type: coalesce(then, otherwise),
        run: (s) => (isTruthy(cond(s)) ? then.run(s) : otherwise.run(s)),
      };
    }
    case 'List': {
      const items = kids.slice(1, -1).map((k) => rec(k).run);
      return { type: undefined, run: (s) => items.map((i) => i(s)) };
    }
    case 'Context':
      return compileContext(kids.slice(1, -1), src);
    case 'FunctionInvocation':
      return compileCall(kids, src);
    case 'DateTimeLiteral':
      return compileDateTimeLiteral(kids, text, src);
    case 'PathExpression':
      return compilePath(node, src, rec);
    case 'FilterExpression':
      return compileFilter(node, rec);
    case 'ForExpression':
      return compileFor(node, src, rec);
    case 'QuantifiedExpression':
      return compileQuantified(node, src, rec);
    default:
      return unsupported(node.name);
  }
}

function compileVariable(kids: SyntaxNode[], src: string): Compiled {
  const [id] = kids;
  if (kids.length !== 1 || id?.name !== 'Identifier') return unsupported('variable name');
  const name = src.slice(id.from, id.to);
  if (!isPlainKey(name)) return unsupported(`variable ${name}`);
  const builtin = BUILTIN_NAMES.has(name);
  return {
    type: 'any',
    run: (s) => {
      const v = s.get(name);
      if (v !== MISSING) return v;
      // A built-in (or the clock feel.ts puts in the context) as a value: feelin's business.
      return builtin ? fallback() : null;
    },
  };
}

function compileArithmetic(kids: SyntaxNode[], src: string): Compiled {
  if (kids.length === 2) {
    const [opNode, valueNode] = kids;
    if (!opNode || !valueNode) return unsupported('unary');
    const op = src.slice(opNode.from, opNode.to) as ArithOp;
    const value = compileNode(valueNode, src);
    return { type: value.type, run: (s) => arith(op, 0, value.run(s)) };
  }
  const [aNode, opNode, bNode] = kids;
  if (kids.length !== 3 || !aNode || !opNode || !bNode) return unsupported('arithmetic');
  const op = src.slice(opNode.from, opNode.to) as ArithOp;
  const a = compileNode(aNode, src);
  const b = compileNode(bNode, src);
  const left = a.run;
  const right = b.run;
  const run: Run =
    op === '+'
      ? (s) => {
          const l = left(s);
          const r = right(s);
          return typeof l === 'number' && typeof r === 'number' ? l + r : arith(op, l, r);
        }
      : op === '*'
        ? (s) => {
            const l = left(s);
            const r = right(s);
            return typeof l === 'number' && typeof r === 'number' ? l * r : arith(op, l, r);
          }
        : (s) => arith(op, left(s), right(s));
  return { type: coalesce(a, b), run };
}

/** FEEL three-valued and / or; feelin evaluates both sides, so errors on either side surface. */
function compileLogic(and: boolean, left: Run, right: Run): Compiled {
  return {
    type: 'test',
    run: and
      ? (s) => {
          const l = left(s);
          const r = right(s);
          if (l === false || r === false) return false;
          return l === true && r === true ? true : null;
        }
      : (s) => {
          const l = left(s);
          const r = right(s);
          if (l === true || r === true) return true;
          return l === false && r === false ? false : null;
        },
  };
}

/** `{a: 1, b: a + 1}`: later entries see earlier ones. */
function compileContext(entries: SyntaxNode[], src: string): Compiled {
  const compiled = entries.map((entry) => {
    const [keyNode, valueNode] = children(entry);
    const [keyInner] = keyNode ? children(keyNode) : [];
    if (entry.name !== 'ContextEntry' || !keyInner || !valueNode) return unsupported('context entry');
    let key: string;
    if (keyInner.name === 'Name') key = plainName(keyInner, src);
    else if (keyInner.name === 'StringLiteral') key = stringLiteral(src.slice(keyInner.from, keyInner.to));
    else return unsupported('context key');
    if (!isPlainKey(key)) return unsupported(`context key ${key}`);
    return { key, value: compileNode(valueNode, src).run };
  });
  return {
    type: undefined,
    run: (s) => {
      const vars: Record<string, unknown> = {};
      const inner = new VarScope(vars, s);
      for (const { key, value } of compiled) vars[key] = value(inner);
      return vars;
    },
  };
}

function positional(node: SyntaxNode | undefined, src: string): Compiled[] {
  if (node?.name !== 'PositionalParameters') return unsupported('named parameters');
  return children(node).map((k) => compileNode(k, src));
}

function compileCall(kids: SyntaxNode[], src: string): Compiled {
  const [callee, , paramsNode] = kids;
  if (callee?.name !== 'VariableName') return unsupported('call target');
  const ids = children(callee);
  if (ids.some((k) => k.name !== 'Identifier')) return unsupported('call name');
  const name = ids.map((k) => src.slice(k.from, k.to)).join(' ');
  const params = positional(paramsNode, src).map((p) => p.run);
  if (name === 'now' || name === 'today') {
    if (params.length !== 0) return unsupported(`${name} with arguments`);
    return { type: 'any', run: (s) => (s.get(name) !== MISSING ? fallback() : s.root.clockValue(name)) };
  }
  const fn = builtinFunction(name);
  if (fn === null) return unsupported(`function ${name}`);
  const one = params.length === 1 ? params[0] : undefined;
  return {
    type: 'any',
    run: (s) => {
      // A data field or variable of that name would be called instead: feelin's business.
      if (s.get(name) !== MISSING) return fallback();
      return invokeBuiltin(fn, one ? [one(s)] : params.map((p) => p(s)));
    },
  };
}

/** `date("…")`, `date and time(…)`, `duration(…)`, `@"…"`: folded once when the arguments are literals. */
function compileDateTimeLiteral(kids: SyntaxNode[], text: string, src: string): Compiled {
  const [ctor, , paramsNode] = kids;
  const literalArgs =
    ctor?.name === 'AtLiteral'
      ? children(ctor).every((k) => k.name === 'StringLiteral')
      : positional(paramsNode, src).every((p) => p.constant !== undefined);
  if (literalArgs) {
    try {
      return constant(feelinEvaluate(text).value, 'date');
    } catch {
      return unsupported('date literal that fails');
    }
  }
  if (ctor?.name !== 'DateTimeConstructor') return unsupported('@ literal');
  const fn = builtinFunction(src.slice(ctor.from, ctor.to));
  if (fn === null) return unsupported('date constructor');
  const params = positional(paramsNode, src).map((p) => p.run);
  return {
    type: 'date',
    run: (s) =>
      invokeBuiltin(
        fn,
        params.map((p) => p(s)),
      ),
  };
}
