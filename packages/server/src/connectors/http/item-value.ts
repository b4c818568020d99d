import type { CompiledApp } from '@nagare/engine';

/**
 * A value from outside (a JSON field, a CSV cell) in the shape its data item stores: numbers
 * for numeric items, text for string items; anything for items the App does not type.
 * Undefined with a reason when it cannot be.
 */
export function toItemValue(
  app: CompiledApp,
  field: string,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; error: string } {
  const item = app.dataItems[field];
  if (Object.keys(app.dataItems).length > 0 && !item) {
    return { ok: false, error: `the app has no data item "${field}"` };
  }
  if (value === undefined || value === null) return { ok: true, value: null };
  switch (item?.valueType) {
    case 'numeric': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (String(value).trim() === '' || !Number.isFinite(n)) {
        return {
          ok: false,
          error: `data item "${field}" is numeric; got ${JSON.stringify(value).slice(0, 60)}`,
        };
      }
      return { ok: true, value: n };
    }
    case 'string':
    case 'discussion':
      return { ok: true, value: typeof value === 'string' ? value : JSON.stringify(value) };
    default:
      return { ok: true, value };
  }
}
