import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<T extends Options> = T & { help: { type: 'boolean'; short: 'h' } };
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<T>; allowPositionals: true; strict: true }>
>;

/**
 * node:util parseArgs with its errors turned into UsageError (one line, exit 2) and `--help`
 * accepted by every command.
 */
export function parseCommandArgs<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
): Parsed<T> {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } } as WithHelp<T>,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${command}: ${message}`);
  }
}

/** A TCP port: an integer 0..65535 (0 lets the system pick a free one). */
export function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new UsageError(`invalid port "${text}": expected a number from 0 to 65535`);
  }
  return Number(text);
}

export function expectPositionals(
  command: string,
  positionals: readonly string[],
  names: readonly string[],
): void {
  if (positionals.length < names.length) {
    const missing = names.slice(positionals.length).join(' and ');
    throw new UsageError(
      `${command}: missing ${missing} (usage: nagare ${command} ${names.map((n) => `<${n}>`).join(' ')})`,
    );
  }
  if (positionals.length > names.length) {
    throw new UsageError(`${command}: unexpected argument "${positionals[names.length]}"`);
  }
}
