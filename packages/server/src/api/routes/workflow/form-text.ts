import type { AppModel } from './app-model.js';

/**
 * Values that arrive as text (multipart or form fields, e.g. `curl -F amount=42`) read as the
 * item's type, so they are stored as a JSON body would send them: a numeric item's plain
 * decimal becomes a number (when it round-trips exactly; otherwise the text is kept, as the
 * engine accepts decimal text), and a table or select item given as a JSON array is parsed.
 * Anything else stays text and is checked by the engine like any value.
 */
export function fromFormText(
  model: AppModel,
  fields: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const types = new Map(model.items.map((i) => [i.fieldName, i.type]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const type = types.get(name);
    if (typeof value !== 'string' || type === undefined) {
      out[name] = value;
      continue;
    }
    const text = value.trim();
    if (type === 'numeric' && /^-?\d+(\.\d+)?$/.test(text) && String(Number(text)) === text) {
      out[name] = Number(text);
    } else if ((type === 'table' || type === 'select') && text.startsWith('[')) {
      try {
        out[name] = JSON.parse(text);
      } catch {
        out[name] = value;
      }
    } else {
      out[name] = value;
    }
  }
  return out;
}
