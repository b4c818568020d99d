/**
 * Which engine was measured: the child runs packages/engine/src as it is on disk, so the report
 * names the commit and says whether the engine had uncommitted changes at the start.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

function git(args: readonly string[]): string | null {
  const r = spawnSync('git', args, { cwd: REPO, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export interface Revision {
  readonly commit: string;
  readonly engineDirty: boolean;
}

export function engineRevision(): Revision {
  return {
    commit: git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    engineDirty: (git(['status', '--porcelain', '--', 'packages/engine/src']) ?? '') !== '',
  };
}
