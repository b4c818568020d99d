/**
 * The add-on section: every `<test>` case of the shared add-on corpus run in the script
 * sandbox with Nagare's implementation of the product's test harness (the same runner the
 * conformance test in packages/server/test/addons runs in CI). Imported from the sources.
 */
import { join } from 'node:path';
import { runAddonCorpus } from '../../packages/server/src/script/harness/run-corpus.js';
import { sharedDir } from '../shared-dir.js';
import { type ConformanceSection, cell } from './section.js';

export const addonSection: ConformanceSection = {
  title: 'Add-on tests',
  async render() {
    const results = await runAddonCorpus(join(sharedDir(), 'addon-corpus', 'questetra-addon-xml'), 2);
    const passed = results.reduce((n, r) => n + r.passed, 0);
    const total = results.reduce((n, r) => n + r.cases.length, 0);
    const rows = results.map((r) => {
      const failing = r.cases.filter((c) => !c.ok);
      const notes = [
        ...(r.error ? [cell(r.error)] : []),
        ...failing.map((c) => `\u2717 ${cell(c.name)}: ${cell(c.problems[0] ?? '')}`),
      ].join('<br>');
      return `| \`${r.file}\` | ${cell(r.label)} | ${r.passed} / ${r.cases.length} | ${notes} |`;
    });
    return [
      'Each Add-on XML of the shared add-on corpus (`addon-corpus/questetra-addon-xml/`, written by the ' +
        'product\u2019s authors with unit tests against the product\u2019s test harness) is read by the add-on ' +
        'importer; its `<script>` and `<test>` run in the QuickJS sandbox with the product\u2019s script API and ' +
        'Nagare\u2019s implementation of the harness (`test`, `expect`, `configs.put`, ' +
        '`httpClient.setRequestHandler`, …; [scripts.md](scripts.md#the-add-on-test-harness)), one fresh global ' +
        'scope per case. `packages/server/test/addons/conformance.test.ts` runs the same cases in CI.',
      '',
      `**${passed} of ${total}** cases pass in ${results.length} files.`,
      '',
      '| file | add-on | passed | failing cases |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
  },
};
