/**
 * Runs the `<test>` blocks of every add-on XML under a folder (the shared add-on corpus), a
 * few files at a time: per file the pass count and the failing cases by name. Used by the
 * conformance test (CI) and by `npm run conformance` (docs/conformance.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAddonXml } from '../../addons/addon-xml.js';
import { type AddonTestCase, runAddonTests } from './run-addon-tests.js';

export interface AddonFileResult {
  /** Relative to the folder, `/`-separated. */
  readonly file: string;
  readonly label: string;
  readonly cases: readonly AddonTestCase[];
  readonly passed: number;
  /** The file could not be read, or its tests could not run at all. */
  readonly error?: string;
}

/** Every `.xml` file under `dir` that is a `<service-task-definition>`, sorted. */
export function addonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.xml'))
    .map((p) => p.split('\\').join('/'))
    .sort();
}

export async function runAddonCorpus(dir: string, concurrency = 2): Promise<AddonFileResult[]> {
  const files = addonFiles(dir);
  const results: AddonFileResult[] = new Array(files.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const file = files[i]!;
      const parsed = parseAddonXml(readFileSync(join(dir, file), 'utf8'));
      if (!parsed.ok) {
        results[i] = {
          file,
          label: '',
          cases: [],
          passed: 0,
          error: `${parsed.problem.code}: ${parsed.problem.message}`,
        };
        continue;
      }
      const run = await runAddonTests(parsed.addon);
      results[i] = {
        file,
        label: parsed.addon.label,
        cases: run.cases,
        passed: run.cases.filter((c) => c.ok).length,
        ...(run.error ? { error: run.error } : {}),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return results;
}
