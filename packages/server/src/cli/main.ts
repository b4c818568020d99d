#!/usr/bin/env node
// The `nagare` command. Only this file and the chosen command's module load at start: the
// server, the database drivers and the BPMN layer are imported by the commands that use them.
import { HELP } from './help.js';
import { EXIT, UsageError } from './usage-error.js';

type Command = (args: readonly string[]) => Promise<number>;

const commands: Readonly<Record<string, () => Promise<Command>>> = {
  serve: async () => (await import('./commands/serve.js')).serve,
  migrate: async () => (await import('./commands/migrate.js')).migrate,
  validate: async () => (await import('./commands/validate.js')).validate,
  convert: async () => (await import('./commands/convert.js')).convert,
  'create-admin': async () => (await import('./commands/create-admin.js')).createAdmin,
};

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(HELP);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '-v' || first === '--version' || first === 'version') {
    const { nagareVersion } = await import('../version.js');
    process.stdout.write(`${nagareVersion}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(commands, first) ? commands[first] : undefined;
  if (load === undefined) {
    const what = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
    throw new UsageError(`${what} (commands: ${Object.keys(commands).join(', ')})`);
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.exitCode = await reportFailure(error);
  },
);

/** One line on stderr, never a stack trace, unless NAGARE_DEBUG is set. */
async function reportFailure(error: unknown): Promise<number> {
  if (error instanceof UsageError) {
    process.stderr.write(`nagare: ${error.message}\n`);
    return EXIT.usage;
  }
  const { StoreError } = await import('../store/store-error.js');
  if (error instanceof StoreError) {
    process.stderr.write(`nagare: ${error.message}\n`);
    return error.kind === 'config' ? EXIT.usage : EXIT.failed;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`nagare: ${message.split('\n')[0]}\n`);
  if (process.env.NAGARE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT.failed;
}
