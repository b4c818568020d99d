import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nagareVersion } from '../../src/version.js';
import { expectOneLineError, runCli } from '../support/cli.js';

describe('nagare', () => {
  it('--version prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${nagareVersion}\n`, stderr: '' });
  });

  it('--help lists the commands', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'validate', 'convert'])
      expect(result.stdout).toContain(`  ${command}`);
  });

  it.each([['serve'], ['migrate'], ['validate'], ['convert']])(
    '%s --help prints its usage',
    async (command) => {
      const result = await runCli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: nagare ${command}`));
    },
  );
});

describe.concurrent('nagare refuses bad input with one line and exit 2', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--frobnicate'], /unknown option "--frobnicate"/],
    [['serve', '--port', 'http'], /invalid port "http"/],
    [['serve', '--port', '70000'], /invalid port "70000"/],
    [['serve', '--port', '-1'], /serve: .*--port/],
    [['serve', '--port'], /serve: .*--port/],
    [['serve', '--bogus'], /serve: .*--bogus/],
    [['serve', 'now'], /serve: unexpected argument "now"/],
    [['serve', '--host', ''], /serve: --host must not be empty/],
    [['migrate', '--data-dir'], /migrate: .*--data-dir/],
    [['migrate', 'extra'], /migrate: unexpected argument "extra"/],
  ])('%j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result.stderr)).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('no command prints the help and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Usage: nagare <command>');
  });
});

describe('the built CLI (dist/), when built', () => {
  const built = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
  it.skipIf(!existsSync(built))('starts with a node shebang and answers --version', async () => {
    expect((await readFile(built, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    const { stdout, status } = spawnSync(process.execPath, [built, '--version'], { encoding: 'utf8' });
    expect(status).toBe(0);
    expect(stdout).toBe(`${nagareVersion}\n`);
  });
});
