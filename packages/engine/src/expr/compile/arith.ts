/**
 * FEEL arithmetic as feelin's ArithOp computes it: numbers with IEEE doubles, `+` also joins
 * strings, a list or a kind mismatch gives null, division by zero gives null. Date, time and
 * duration arithmetic is left to feelin.
 */
import { fallback } from './fallback.js';
import { kindOf } from './kinds.js';

export type ArithOp = '+' | '-' | '*' | '/' | '**' | '^';

const TEMPORAL = new Set(['date', 'time', 'date time', 'duration']);

export function arith(op: ArithOp, left: unknown, right: unknown): unknown {
  if (typeof left === 'number' && typeof right === 'number') {
    switch (op) {
      case '+':
        return left + right;
      case '-':
        return left - right;
      case '*':
        return left * right;
      case '/':
        return !right ? null : left / right;
      default:
        return left ** right;
    }
  }
  if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
  if (Array.isArray(left) || Array.isArray(right)) return null;
  const leftKind = kindOf(left);
  const rightKind = kindOf(right);
  if (TEMPORAL.has(leftKind)) return TEMPORAL.has(rightKind) ? fallback() : null;
  // Same kind and allowed for the operator was answered above (numbers, strings) or is temporal.
  if (leftKind === rightKind && (leftKind === 'number' || (op === '+' && leftKind === 'string')))
    return fallback();
  return null;
}
