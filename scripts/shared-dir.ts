import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the read-only shared material (BPMN corpus, add-on corpus, peer benchmark) lives.
 * It sits beside the repository as `../shared`; NAGARE_SHARED overrides that, and
 * /work/shared is the last resort for a clone made elsewhere on the development machine.
 */
export function sharedDir(): string {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const candidates = [process.env.NAGARE_SHARED, join(repoRoot, '..', 'shared'), '/work/shared'];
  for (const candidate of candidates) {
    if (candidate && existsSync(join(candidate, 'bpmn-corpus'))) return candidate;
  }
  throw new Error(
    `The shared corpus was not found (looked in: ${candidates.filter(Boolean).join(', ')}). Set NAGARE_SHARED to the folder that holds bpmn-corpus/.`,
  );
}

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
