import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from '../support/cli.js';

const VALID = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1" targetNamespace="http://example.com/nagare">
  <process id="Process_1" isExecutable="true">
    <startEvent id="Start"/>
    <sequenceFlow id="Flow_1" sourceRef="Start" targetRef="End"/>
    <endEvent id="End"/>
  </process>
</definitions>
`;
// Cut off mid-tag: an error on every reading, whatever else the BPMN layer checks.
const BROKEN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1">
  <process id="Process_1"`;

let dir = '';
let valid = '';
let broken = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nagare-cli-bpmn-'));
  valid = join(dir, 'valid.bpmn');
  broken = join(dir, 'broken.bpmn');
  await writeFile(valid, VALID);
  await writeFile(broken, BROKEN);
  await mkdir(join(dir, 'folder.bpmn'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('nagare validate', () => {
  it('exits 0 and prints no problems for a valid file', async () => {
    const result = await runCli(['validate', valid]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${valid}: valid, 0 errors, 0 warnings\n`);
  });

  it('prints each problem as file:line: error CODE message and exits 1', async () => {
    const result = await runCli(['validate', broken]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(
      new RegExp(`^${broken.replace(/[.]/g, '\\.')}:\\d+: error [A-Z][A-Z0-9_]+ (\\[[^\\]]+\\] )?\\S`),
    );
    expect(result.stderr).toMatch(/invalid, \d+ errors?, \d+ warnings?\n$/);
  });

  it('checks several files and fails when one has errors', async () => {
    const result = await runCli(['validate', valid, broken]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${valid}: valid`);
  });

  it.each([
    [[], /validate: missing file\.bpmn/],
    [['missing.bpmn'], /cannot read missing\.bpmn: no such file/],
    [['@folder'], /cannot read .*folder\.bpmn: is a directory, not a file/],
    [['--strict'], /validate: .*--strict/],
  ])('refuses %j with exit 2', async (args, message) => {
    const result = await runCli([
      'validate',
      ...args.map((arg) => (arg === '@folder' ? join(dir, 'folder.bpmn') : arg)),
    ]);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result.stderr)).toMatch(message);
  });
});

describe.concurrent('nagare convert', () => {
  it('writes the parsed and serialized BPMN', async () => {
    const out = join(dir, 'converted.bpmn');
    const result = await runCli(['convert', valid, out]);
    expect(result.code).toBe(0);
    const written = await readFile(out, 'utf8');
    expect(written).toContain('<startEvent id="Start"');
    expect(written).toContain('sourceRef="Start"');
    // what it writes validates cleanly
    expect((await runCli(['validate', out])).code).toBe(0);
  });

  it('--lenient keeps a flow to a missing step (a warning), where the strict read refuses it', async () => {
    const dangling = join(dir, 'dangling.bpmn');
    await writeFile(dangling, VALID.replace('targetRef="End"', 'targetRef="Nowhere"'));
    const strictOut = join(dir, 'dangling-strict.bpmn');
    const strict = await runCli(['convert', dangling, strictOut]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/:\d+: error BPMN_UNKNOWN_REFERENCE \[Flow_1\] /);
    expect(await readdir(dir)).not.toContain('dangling-strict.bpmn');

    const out = join(dir, 'dangling-lenient.bpmn');
    const lenient = await runCli(['convert', '--lenient', dangling, out]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/:\d+: warning BPMN_UNKNOWN_REFERENCE \[Flow_1\] /);
    expect(await readFile(out, 'utf8')).toContain('targetRef="Nowhere"');
  });

  it('refuses bad input: prints the problems, exits 1 and writes nothing', async () => {
    const out = join(dir, 'never-written.bpmn');
    const result = await runCli(['convert', broken, out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/:\d+: error [A-Z][A-Z0-9_]+ /);
    expect(result.stderr).toContain('was not written');
    expect(await readdir(dir)).not.toContain('never-written.bpmn');
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    [['@valid'], /convert: missing out\.bpmn/],
    [[], /convert: missing in\.bpmn and out\.bpmn/],
    [['missing.bpmn', '@out'], /cannot read missing\.bpmn: no such file/],
    [['@folder', '@out'], /cannot read .*folder\.bpmn: is a directory/],
    [['@valid', '@folder'], /cannot write .*folder\.bpmn: is a directory/],
    [
      ['@valid', '/no/such/folder/out.bpmn'],
      /cannot write \/no\/such\/folder\/out\.bpmn: folder \/no\/such\/folder does not exist/,
    ],
    [['@valid', '@out', 'extra'], /convert: unexpected argument "extra"/],
  ])('refuses %j with exit 2', async (args, message) => {
    const paths: Record<string, string> = {
      '@valid': valid,
      '@folder': join(dir, 'folder.bpmn'),
      '@out': join(dir, 'out.bpmn'),
    };
    const result = await runCli(['convert', ...args.map((arg) => paths[arg] ?? arg)]);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result.stderr)).toMatch(message);
  });
});
