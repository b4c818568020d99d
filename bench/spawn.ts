/**
 * Runs one node child process and returns the JSON lines it printed on stdout. Its stderr
 * (progress) goes straight through. A non-zero exit or a line that is not JSON fails the
 * benchmark: a child that measured something wrong has already said so on stderr.
 */
import { spawnSync } from 'node:child_process';
import { fail } from './fail.ts';

export interface ChildRun {
  readonly what: string;
  readonly nodeArgs: readonly string[];
  readonly cwd: string;
}

export function runChild({ what, nodeArgs, cwd }: ChildRun): unknown[] {
  const { status, signal, stdout, error } = spawnSync(process.execPath, nodeArgs, {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (error) fail(`${what}: could not run: ${error.message}`);
  if (status !== 0) fail(`${what} failed (exit status ${status}${signal ? `, signal ${signal}` : ''})`);
  const lines: unknown[] = [];
  for (const text of stdout.split('\n')) {
    if (text.trim() === '') continue;
    try {
      lines.push(JSON.parse(text));
    } catch {
      fail(`${what}: unexpected output line: ${text.slice(0, 200)}`);
    }
  }
  return lines;
}
