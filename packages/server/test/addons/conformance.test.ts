/**
 * The add-on corpus as a conformance suite: every `<test>` case of every add-on XML in the
 * shared corpus (`addon-corpus/questetra-addon-xml`, 525 cases written by the product's authors
 * against its test harness) runs in the sandbox with Nagare's harness. Fails when the pass count
 * drops below the recorded floor, listing each failing case by file and name.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sharedDir } from '../../../../scripts/shared-dir.js';
import { runAddonCorpus } from '../../src/script/harness/run-corpus.js';

/** Raise it when more cases pass; never lower it to make a change pass. */
const PASS_FLOOR = 525;

const dir = join(sharedDir(), 'addon-corpus', 'questetra-addon-xml');

it.runIf(existsSync(dir))(
  `passes at least ${PASS_FLOOR} of the add-on corpus's test cases`,
  async () => {
    const results = await runAddonCorpus(dir, 2);
    const passed = results.reduce((n, r) => n + r.passed, 0);
    const total = results.reduce((n, r) => n + r.cases.length, 0);
    const failing = results.flatMap((r) => [
      ...(r.error ? [`${r.file}: ${r.error}`] : []),
      ...r.cases.filter((c) => !c.ok).map((c) => `${r.file} › ${c.name}: ${c.problems.join('; ')}`),
    ]);
    console.log(
      `add-on corpus: ${passed} of ${total} cases pass\n${failing.map((f) => `  ✗ ${f}`).join('\n')}`,
    );
    expect(total).toBeGreaterThanOrEqual(525);
    expect(passed, `only ${passed} pass; failing:\n${failing.join('\n')}`).toBeGreaterThanOrEqual(PASS_FLOOR);
  },
  900_000,
);
