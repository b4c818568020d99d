import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { expectPositionals, parseCommandArgs } from '../args.js';
import { formatProblem } from '../format-problem.js';
import { describeFsError, readInputFile } from '../read-input.js';
import { EXIT, UsageError } from '../usage-error.js';

const HELP = `Usage: nagare convert [--lenient] <in.bpmn> <out.bpmn>

Reads a BPMN 2.0 file and writes it back through Nagare's serializer (normalized XML).
Refuses input with errors: prints the problems and writes nothing (exit 1).

  --lenient  read as the modeler imports: duplicate ids and references to missing
             elements are warnings, and are written back exactly as they were
             (malformed XML, non-BPMN documents, DOCTYPE and oversize files still fail)
`;

export async function convert(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('convert', args, { lenient: { type: 'boolean' } });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  expectPositionals('convert', positionals, ['in.bpmn', 'out.bpmn']);
  const [input, output] = positionals as [string, string];
  const xml = await readInputFile(input);
  await checkWritable(output);

  const { BpmnError, parseBpmn, serializeBpmn } = await import('@nagare/engine');
  let parsed: Awaited<ReturnType<typeof parseBpmn>>;
  try {
    parsed = await parseBpmn(xml, { lenient: values.lenient === true });
  } catch (error) {
    if (!(error instanceof BpmnError)) throw error;
    for (const problem of error.problems) process.stderr.write(`${formatProblem(input, problem)}\n`);
    process.stderr.write(`nagare: ${input} has errors; ${output} was not written\n`);
    return EXIT.failed;
  }
  for (const problem of parsed.warnings) process.stderr.write(`${formatProblem(input, problem)}\n`);
  await writeAtomically(output, await serializeBpmn(parsed));
  process.stderr.write(`wrote ${output}\n`);
  return EXIT.ok;
}

/** Fails early (before parsing) when the output is a directory or its folder is missing. */
async function checkWritable(output: string): Promise<void> {
  const info = await stat(output).catch(() => undefined);
  if (info?.isDirectory()) throw new UsageError(`cannot write ${output}: is a directory, not a file`);
  const folder = await stat(dirname(output)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(`cannot write ${output}: folder ${dirname(output)} does not exist`);
}

/** Write beside the target, then rename: a crash never leaves half a file at `output`. */
async function writeAtomically(output: string, text: string): Promise<void> {
  const temporary = join(dirname(output), `.${basename(output)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, output);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new UsageError(`cannot write ${output}: ${describeFsError(error)}`);
  }
}
