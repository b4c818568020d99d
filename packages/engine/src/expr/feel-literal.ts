/** FEEL source text for literal values, escaped so that any string survives the round trip. */

const RESERVED_NAMES = new Set([
  'true',
  'false',
  'null',
  'not',
  'and',
  'or',
  'if',
  'then',
  'else',
  'for',
  'in',
  'return',
  'some',
  'every',
  'satisfies',
  'instance',
  'of',
  'function',
  'between',
]);

/** Whether `name` can be written bare in FEEL (a Nagare field name such as `q_amount` can). */
export function isPlainFeelName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED_NAMES.has(name);
}

/** A FEEL string literal: quotes, backslashes and control characters escaped. */
export function feelString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) {
      // Controls and lone surrogates as a 6-digit \uXXXXXX: feelin reads 5–6 hex digits as one
      // code point, so a following hex digit cannot be swallowed into the escape.
      out += `\\u${code.toString(16).padStart(6, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}
