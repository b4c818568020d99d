/**
 * The peer, bpmn-engine, measured in the same run by its own unchanged benchmark. bench.mjs and
 * its models are copied at run time from the shared, read-only peer folder into bench/.peer/
 * (git-ignored; the peer's code is not ours to commit), so that its `import 'bpmn-engine'`
 * resolves to the copy installed in this workspace. The installed versions must be exactly the
 * ones the peer pinned, or the comparison would be with another engine.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDir } from '../scripts/shared-dir.ts';
import { fail } from './fail.ts';
import { runChild } from './spawn.ts';

/** Scenarios of the peer's bench.mjs that have a Nagare counterpart measured here. */
export const PEER_SCENARIOS: ReadonlySet<string> = new Set(['S1', 'S2', 'S5']);

const PEER_DIR = fileURLToPath(new URL('./.peer/', import.meta.url));

export function peerSource(): string {
  const dir = join(sharedDir(), 'bench', 'peer-bpmn-engine');
  if (!existsSync(join(dir, 'bench.mjs'))) fail(`the peer benchmark was not found at ${dir}`);
  return dir;
}

/**
 * The node_modules folder that `import 'bpmn-engine'` from bench/ finds, looked up the way Node
 * does (bench/node_modules, then upwards); bpmn-engine does not export its package.json.
 */
function installedNodeModules(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, 'bpmn-engine', 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) fail('bpmn-engine is not installed: run npm install');
    dir = parent;
  }
}

function installedVersion(nodeModules: string, name: string): string | null {
  const file = join(nodeModules, name, 'package.json');
  if (!existsSync(file)) return null;
  const pkg: { version?: unknown } = JSON.parse(readFileSync(file, 'utf8'));
  return typeof pkg.version === 'string' ? pkg.version : null;
}

function makeWritable(path: string): void {
  const isDir = statSync(path).isDirectory();
  chmodSync(path, isDir ? 0o755 : 0o644);
  if (isDir) for (const entry of readdirSync(path)) makeWritable(join(path, entry));
}

/** Copies the peer into bench/.peer/ and checks the installed versions; returns the peer's versions. */
export function preparePeer(): Record<string, string> {
  const source = peerSource();
  const nodeModules = installedNodeModules();
  const pinned: { dependencies?: Record<string, string> } = JSON.parse(
    readFileSync(join(source, 'package.json'), 'utf8'),
  );
  const versions: Record<string, string> = {};
  for (const [name, want] of Object.entries(pinned.dependencies ?? {})) {
    const have = installedVersion(nodeModules, name);
    if (have !== want)
      fail(`the peer pins ${name} ${want}, but ${have ?? 'nothing'} is installed: run npm install`);
    versions[name] = have;
  }
  rmSync(PEER_DIR, { recursive: true, force: true });
  mkdirSync(PEER_DIR, { recursive: true });
  cpSync(join(source, 'bench.mjs'), join(PEER_DIR, 'bench.mjs'));
  cpSync(join(source, 'bpmn'), join(PEER_DIR, 'bpmn'), { recursive: true });
  // the source folder is read-only; the copies must not be, or the next run could not replace them
  makeWritable(PEER_DIR);
  // bench.mjs reads ./node_modules/<name>/package.json for the versions in its meta line
  symlinkSync(nodeModules, join(PEER_DIR, 'node_modules'), 'dir');
  return versions;
}

/** Runs the peer's benchmark for one scenario (its own parent spawns a fresh child for it). */
export function runPeer(scenario: string, scale: number): unknown[] {
  return runChild({
    what: `peer bench.mjs ${scenario}`,
    nodeArgs: ['--expose-gc', 'bench.mjs', '--only', scenario, '--scale', String(scale)],
    cwd: PEER_DIR,
  });
}
