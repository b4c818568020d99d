import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedDir } from '../../../../scripts/shared-dir.js';

/** Every `.bpmn` file of the shared corpus, as paths relative to the corpus, sorted. */
export function corpusFiles(): string[] {
  const root = corpusRoot();
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((path) => path.endsWith('.bpmn'))
    .map((path) => relative(root, join(root, path)))
    .sort();
}

export function corpusRoot(): string {
  return join(sharedDir(), 'bpmn-corpus');
}

export function readCorpusFile(path: string): string {
  return readFileSync(join(corpusRoot(), path), 'utf8');
}
