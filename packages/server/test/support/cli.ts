import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs the CLI from source (tsx, packages resolved to src) like `nagare <args>`. */
export function startCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ChildProcess {
  // The servers the tests start listen on 127.0.0.1: allow it (outbound requests refuse it otherwise).
  const env: NodeJS.ProcessEnv = { NAGARE_OUTBOUND_ALLOW: '127.0.0.1/32', ...process.env, ...options.env };
  // The tests decide whether DATABASE_URL is set; never inherit one from the shell.
  if (!options.env || !('DATABASE_URL' in options.env)) delete env.DATABASE_URL;
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main, ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  const child = startCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** Resolves with the first stdout line matching `pattern` (or rejects when the process ends first). */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) resolve(match);
    });
    child.on('close', (code) => reject(new Error(`exited with ${code} before ${pattern}: ${seen}${errors}`)));
  });
}

/** A one-line error, no stack trace. */
export function expectOneLineError(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  if (lines.length !== 1 || !lines[0]?.startsWith('nagare: ') || /\n\s+at /.test(stderr)) {
    throw new Error(`expected one "nagare: ..." line on stderr, got:\n${stderr}`);
  }
  return lines[0];
}
