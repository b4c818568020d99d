/**
 * A field of a JSON answer by a short path: `id`, `data.items[0].name`, `$.record.$id.value`
 * (a leading `$` or `$.` is ignored). Undefined when the path does not lead anywhere.
 */
export function readJsonPath(value: unknown, path: string): unknown {
  const text = path.trim().replace(/^\$\.?/, '');
  if (text === '') return value;
  const steps: (string | number)[] = [];
  for (const part of text.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) steps.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  let current: unknown = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** `q_a=path` lines or a JSON object `{ "q_a": "path" }` → pairs; an error text otherwise. */
export function readFieldMap(text: string | undefined, config: string): [string, string][] | string {
  if (text === undefined || text.trim() === '') return [];
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new Error('not an object');
      return Object.entries(value).map(([k, v]) => [k, String(v)]);
    } catch {
      return `config "${config}" is not a JSON object`;
    }
  }
  const pairs: [string, string][] = [];
  for (const line of trimmed.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return `config "${config}": "${line}" is not "item=path"`;
    pairs.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return pairs;
}
