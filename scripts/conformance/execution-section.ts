/**
 * The execution section: every file of the executable corpus, run by the scenario driver or
 * refused with the exact elements the compiler names (the same code the corpus execution test
 * runs: execution.ts).
 */
import type { CompileProblem } from '../../packages/engine/src/index.js';
import { executeCorpus, type FileResult } from './execution.js';
import { type ConformanceSection, cell } from './section.js';

const JUEL_NOTE = [
  'JavaScript conditions (`language="javascript"`), bpmn-engine expressions such as',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JUEL text, not a template
  '`${environment.variables.x}` and other non-trivial JUEL stay refused: conditions are FEEL',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JUEL text, not a template
  '(trivial JUEL like `${approved}` or `#{!twitter}` is translated).',
].join(' ');

export const executionSection: ConformanceSection = {
  title: 'Execution of the executable corpus',
  async render() {
    const results = await executeCorpus();
    const run = results.filter((r) => r.status === 'run');
    const asExpected = run.filter((r) => r.scenarios.every((s) => s.mismatches.length === 0));
    const refused = results.filter((r) => r.status === 'refused');
    const scenarios = run.flatMap((r) => r.scenarios);
    const ended = scenarios.filter((s) => ['completed', 'terminated'].includes(s.run.outcome));
    const reasons = new Map<string, number>();
    for (const r of refused) {
      for (const code of new Set(r.problems.map(reason))) reasons.set(code, (reasons.get(code) ?? 0) + 1);
    }
    const reasonList = [...reasons]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([why, n]) => `${why} (${n})`)
      .join('; ');
    return [
      'Each `.bpmn` file under `bpmn-corpus/executable/` is compiled. A compiled file is run by the ' +
        'scenario driver (`scripts/conformance/scenario-driver.ts`): it answers every effect the way ' +
        'the runtime would, with services stubbed — tasks are completed (first button, or the flow ' +
        'whose condition holds), jobs succeed with the data the scenario gives (or fail where it says ' +
        'so), messages arrive, timers fire in due order on a simulated clock. Each scenario ' +
        '(`scripts/conformance/execution-scenarios.ts`) states the steps tokens must visit, in order, ' +
        'how the issue ends and which incidents are raised; the corpus execution test ' +
        '(`packages/engine/test/scenario/corpus-execution.test.ts`) fails on any difference. ' +
        'A refused file names the element ids and types the compiler refuses.',
      '',
      `**${run.length} of ${results.length}** files run (${asExpected.length} exactly as expected), ` +
        `${scenarios.length} scenarios, ${ended.length} of them reach an end event; ` +
        `**${refused.length}** refused. Why files are refused (files per reason): ${reasonList}.`,
      '',
      JUEL_NOTE,
      '',
      '| file | result | scenario | visited steps → end | notes |',
      '| --- | --- | --- | --- | --- |',
      ...results.flatMap(rows),
    ].join('\n');
  },
};

function reason(p: CompileProblem): string {
  if (p.code === 'BAD_EXPRESSION') {
    if (/language "javascript"/i.test(p.message)) return 'JavaScript condition';
    if (/JUEL|\$\{/.test(p.message)) return 'non-trivial JUEL / bpmn-engine expression';
  }
  if (p.code === 'UNSUPPORTED_ELEMENT' || p.code === 'UNSUPPORTED_EVENT_DEFINITION') {
    const m = /(bpmn:\w+)/.exec(p.message);
    return `${p.code === 'UNSUPPORTED_ELEMENT' ? (m?.[1] ?? p.elementType) : (m?.[1] ?? 'event definition')}${/event sub-process/.test(p.message) ? ' (event sub-process)' : ''}`;
  }
  return p.code;
}

function rows(r: FileResult): string[] {
  const file = `\`${r.path}\``;
  if (r.status === 'unreadable') return [`| ${file} | unreadable | | | ${cell(r.error)} |`];
  if (r.status === 'refused') {
    const why = r.problems
      .map(
        (p) =>
          `\`${p.code}\` ${p.elementId ? `\`${p.elementId}\`` : ''}${p.elementType ? ` (${p.elementType})` : ''}: ${p.message}`,
      )
      .join('<br>');
    return [`| ${file} | refused | | | ${cell(why)} |`];
  }
  return r.scenarios.map((s, i) => {
    const ok = s.mismatches.length === 0;
    const result = `${ok ? 'run' : '**differs**'}: ${s.run.outcome}`;
    const steps = `${s.run.visited.join(' → ')} (${s.run.visited.length} steps)`;
    const notes = [
      ...(s.run.incidents.length ? [`incidents: ${s.run.incidents.join(', ')}`] : []),
      ...(s.expectation.note ? [s.expectation.note] : []),
      ...s.mismatches,
    ].join('; ');
    return `| ${i === 0 ? file : ''} | ${result} | ${cell(s.expectation.name)} | ${cell(steps)} | ${cell(notes)} |`;
  });
}
