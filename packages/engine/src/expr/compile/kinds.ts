/**
 * FEEL value kinds as feelin's `getType` tells them, plus `isTruthy`: the compiled
 * operators branch on these exactly as feelin's interpreter does.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';

export type FeelKind =
  | 'nil'
  | 'boolean'
  | 'number'
  | 'string'
  | 'list'
  | 'context'
  | 'date'
  | 'time'
  | 'date time'
  | 'duration'
  | 'range'
  | 'function'
  | 'literal';

/** A plain FEEL context: feelin takes only objects whose prototype is Object.prototype. */
export function isContext(v: unknown): v is Record<string, unknown> {
  return v !== null && v !== undefined && Object.getPrototypeOf(v) === Object.prototype;
}

export function kindOf(v: unknown): FeelKind {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  if (Array.isArray(v)) return 'list';
  if (isContext(v)) return 'context';
  if (v instanceof FeelDate) return 'date';
  if (v instanceof FeelTime) return 'time';
  if (v instanceof FeelDateTime) return 'date time';
  if (v instanceof FeelDuration) return 'duration';
  if (isRange(v)) return 'range';
  if (isFunction(v)) return 'function';
  return 'literal';
}

/** FEEL truthiness as feelin applies it to `if`, filters and quantifiers. */
export function isTruthy(v: unknown): boolean {
  return v !== false && v !== null;
}

/** A name that cannot change how feelin parses or looks up names (no spaces, no operators). */
export function isPlainKey(key: string): boolean {
  if (key.length === 0 || key === '__proto__') return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (!letter && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}

// Field names recur on every call; remembering the plain ones makes the check a set lookup.
const knownPlain = new Set<string>();

/** Whether every key of `obj` is plain (see isPlainKey); inherited enumerable keys count too. */
export function hasOnlyPlainKeys(obj: object): boolean {
  for (const key in obj) {
    if (knownPlain.has(key)) continue;
    if (!isPlainKey(key)) return false;
    if (knownPlain.size >= 10_000) knownPlain.clear();
    knownPlain.add(key);
  }
  return true;
}
