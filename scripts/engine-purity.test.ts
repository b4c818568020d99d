import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './shared-dir.js';

// The engine must do no I/O. Biome's noRestrictedImports (biome.json, override for
// packages/engine/src) enforces it; this test proves the rule bites, so a config edit that
// silently drops it fails CI.
const probe = join(repoRoot, 'packages/engine/src', `__purity_probe_${process.pid}.ts`);
const biome = join(repoRoot, 'node_modules/.bin/biome');

function lintProbe(source: string): { ok: boolean; output: string } {
  writeFileSync(probe, source);
  try {
    const output = execFileSync(biome, ['lint', '--max-diagnostics=50', probe], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

afterEach(() => rmSync(probe, { force: true }));

describe('the engine purity lint rule', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'no I/O'],
    ["import { createServer } from 'node:http';", 'no I/O'],
    ["import net from 'net';", 'no I/O'],
    ["import pg from 'pg';", 'no database'],
    ["import Database from 'better-sqlite3';", 'no database'],
    ["import { buildApp } from '@nagare/server';", 'Dependencies point one way'],
    ["import { x } from '../../server/src/index.js';", 'Dependencies point one way'],
    ["import { y } from '../../web/src/main.js';", 'Dependencies point one way'],
  ])('refuses %s', (line, message) => {
    const result = lintProbe(`${line}\nexport const probe = 1;\n`);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('noRestrictedImports');
    expect(result.output).toContain(message);
  });

  it('accepts imports of the engine itself and of pure libraries', () => {
    const result = lintProbe(
      "import { parseBpmn } from './bpmn/index.js';\nexport const probe = parseBpmn;\n",
    );
    expect(result.output).not.toContain('noRestrictedImports');
  });
});
