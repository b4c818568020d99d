/** FEEL literal text → value, exactly as feelin reads it. */

/** feelin parses a number literal with parseFloat when it has a dot, else parseInt (`- 5` is NaN). */
export function numberLiteral(text: string): number {
  return text.includes('.') ? Number.parseFloat(text) : Number.parseInt(text, 10);
}

const ESCAPES = /(\\")|(\\\\)|(\\n)|(\\r)|(\\t)|(\\u[a-fA-F0-9]{5,6})|((?:\\u[a-fA-F0-9]{1,4})+)/gi;
const UNICODE = /\\u([a-fA-F0-9]+)/gi;

/** feelin's parseString: strip the quotes, then its escapes (a lone `\u` run is UTF-16 units). */
export function stringLiteral(text: string): string {
  let s = text.startsWith('"') ? text.slice(1) : text;
  if (s.endsWith('"')) s = s.slice(0, -1);
  return s.replace(ESCAPES, (match, quote, backslash, newline, cr, tab, codePoint) => {
    if (quote) return '"';
    if (newline) return '\n';
    if (cr) return '\r';
    if (tab) return '\t';
    if (backslash) return '\\';
    if (codePoint) return String.fromCodePoint(Number.parseInt(String(codePoint).slice(2), 16));
    const units: number[] = [];
    for (const m of String(match).matchAll(UNICODE)) units.push(Number.parseInt(m[1] ?? '', 16));
    return String.fromCharCode(...units);
  });
}
