import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../shared-dir.js';

/** The shared BPMN corpus (read-only): where it is, its files, their text. */
export function corpusRoot(): string {
  return join(sharedDir(), 'bpmn-corpus');
}

/** Every `.bpmn` file under the corpus, as `/`-separated paths relative to it, sorted. */
export function corpusFiles(): string[] {
  return readdirSync(corpusRoot(), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.bpmn'))
    .map((path) => path.split('\\').join('/'))
    .sort();
}

export function readCorpusFile(path: string): string {
  return readFileSync(join(corpusRoot(), path), 'utf8');
}
