/** Command-line flags of `npm run bench` (and of the child process, which gets --scenario). */
import { fail } from './fail.ts';

export interface Args {
  /** Scenario ids to run, in the order given. */
  readonly only: readonly string[] | null;
  /** Multiplies every N and warm-up, on both sides (0.05 = smoke test; the numbers are then meaningless). */
  readonly scale: number;
  readonly runs: number;
  /** Machine-readable JSON lines instead of tables. */
  readonly json: boolean;
  /** Also write the JSON lines to this file (whatever the output format on stdout). */
  readonly out: string | null;
  /** Skip the peer (Nagare only). */
  readonly peer: boolean;
  /** Where the Nagare side keeps issues: memory, sqlite, postgres (child: the one to use). */
  readonly backends: readonly string[];
  /** Child process only: the one scenario to run. */
  readonly scenario: string | null;
}

const BOOLEAN = new Set(['json', 'no-peer']);

export function parseArgs(argv: readonly string[]): Args {
  const raw = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) fail(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (BOOLEAN.has(key)) raw.set(key, 'true');
    else if (eq > 0) raw.set(key, a.slice(eq + 1));
    else {
      const value = argv[++i];
      if (value === undefined) fail(`--${key} needs a value`);
      raw.set(key, value);
    }
  }
  for (const key of raw.keys()) {
    if (!['only', 'scale', 'runs', 'json', 'out', 'no-peer', 'scenario', 'backend'].includes(key))
      fail(`unknown flag --${key}`);
  }
  const scale = Number(raw.get('scale') ?? 1);
  if (!(scale > 0)) fail(`invalid --scale ${raw.get('scale')}`);
  const runs = Number(raw.get('runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 1) fail(`invalid --runs ${raw.get('runs')}`);
  const only = raw.get('only');
  return {
    only: only ? only.toUpperCase().split(',').filter(Boolean) : null,
    scale,
    runs,
    json: raw.has('json'),
    out: raw.get('out') ?? null,
    peer: !raw.has('no-peer'),
    scenario: raw.get('scenario') ?? null,
    backends: (raw.get('backend') ?? 'memory,sqlite').toLowerCase().split(',').filter(Boolean),
  };
}

export function scaled(
  size: { readonly n: number; readonly warmup: number },
  scale: number,
): { n: number; warmup: number } {
  return { n: Math.max(1, Math.round(size.n * scale)), warmup: Math.max(1, Math.round(size.warmup * scale)) };
}
