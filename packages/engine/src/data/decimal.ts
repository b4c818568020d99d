/**
 * Decimal rules for numeric items: counting decimal places and rounding, on the number's
 * shortest decimal text (what users typed and see), not on its binary value. So `1.005`
 * rounds to `1.01` (as a person would), and `0.1 + 0.2` rounded to 2 places is `0.3`.
 */

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A number from a numeric item's value (a finite number or a decimal string); undefined otherwise; null when empty. */
export function numericValue(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    return DECIMAL.test(t) ? Number(t) : undefined;
  }
  return undefined;
}

/** `digits × 10^exp` for |x| (digits an integer string without leading zeros, or `0`). */
function decimalParts(x: number): { digits: string; exp: number } {
  const text = String(Math.abs(x));
  const [mantissa = '0', e = '0'] = text.split('e');
  const dot = mantissa.indexOf('.');
  const frac = dot === -1 ? '' : mantissa.slice(dot + 1);
  const digits = (dot === -1 ? mantissa : mantissa.slice(0, dot) + frac).replace(/^0+(?=\d)/, '');
  return { digits, exp: Number(e) - frac.length };
}

/** How many digits after the point a value has (`"1.50"` → 2, `1.5` → 1, `1e-7` → 7). */
export function decimalPlacesOf(value: number | string): number {
  if (typeof value === 'string') {
    const t = value.trim();
    const dot = t.indexOf('.');
    return dot === -1 ? 0 : t.length - dot - 1;
  }
  if (!Number.isFinite(value)) return 0;
  const { exp } = decimalParts(value);
  return exp < 0 ? -exp : 0;
}

/**
 * Rounds half away from zero (Java's ROUND_HALF_UP) to `places` digits after the point.
 * Exact on the shortest decimal text of `x`; idempotent; never moves a value by more than half
 * a unit of the last place.
 */
export function roundDecimal(x: number, places: number): number {
  if (!Number.isFinite(x) || places < 0 || places > 100) return x;
  const { digits, exp } = decimalParts(x);
  if (-exp <= places) return x;
  const cut = -exp - places; // digits to drop from the right
  const keep = cut >= digits.length ? '0' : digits.slice(0, digits.length - cut);
  const next = cut > digits.length ? 0 : Number(digits[digits.length - cut]);
  const rounded = next >= 5 ? increment(keep) : keep;
  const out = Number(`${rounded}e-${places}`);
  return x < 0 && out !== 0 ? -out : out;
}

function increment(digits: string): string {
  const chars = digits.split('');
  let i = chars.length - 1;
  while (i >= 0) {
    if (chars[i] === '9') {
      chars[i] = '0';
      i--;
    } else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}
