import { expectPositionals, parseCommandArgs } from '../args.js';
import { countBySeverity, formatProblem, plural } from '../format-problem.js';
import { readInputFile } from '../read-input.js';
import { EXIT } from '../usage-error.js';

const HELP = `Usage: nagare validate <file.bpmn>...

Checks BPMN 2.0 files and prints each problem as
  file:line: severity CODE [elementId] message
Exit code: 0 when no file has errors (warnings are fine), 1 when one has, 2 on usage or file errors.
`;

export async function validate(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', args, {});
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) expectPositionals('validate', positionals, ['file.bpmn']);
  // Read every file first: a typo in the third name is a usage error before any output.
  const inputs = await Promise.all(
    positionals.map(async (file) => ({ file, xml: await readInputFile(file) })),
  );
  const { validateBpmn } = await import('@nagare/engine');
  let failed = false;
  for (const { file, xml } of inputs) {
    const problems = await validateBpmn(xml);
    for (const problem of problems) process.stdout.write(`${formatProblem(file, problem)}\n`);
    const { errors, warnings } = countBySeverity(problems);
    failed ||= errors > 0;
    process.stderr.write(
      `${file}: ${errors === 0 ? 'valid' : 'invalid'}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
    );
  }
  return failed ? EXIT.failed : EXIT.ok;
}
