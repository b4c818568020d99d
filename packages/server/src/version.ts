import { readFileSync } from 'node:fs';

/**
 * Nagare's version, read from this package's package.json. `../package.json` is right from
 * both src/ (tests, tsx) and dist/ (the built CLI), which sit at the same depth.
 */
export const nagareVersion: string = readVersion();

function readVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'version' in parsed &&
    typeof parsed.version === 'string'
  ) {
    return parsed.version;
  }
  return '0.0.0';
}
