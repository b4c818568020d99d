/**
 * The in-memory backend: `decide` and a Map, no I/O. It measures the engine core itself
 * (TARGETS.md T1) and is the ceiling for the durable backends. `hold: 'json'` keeps each state
 * as its JSON text (what a store row holds) instead of the object `decide` returned.
 */
import { type Command, type CompiledApp, type DecideResult, decide, type IssueState } from '@nagare/engine';
import type { Backend } from './backend.ts';

export interface MemoryBackendOptions {
  readonly hold?: 'object' | 'json';
  readonly timeZone?: string;
}

export function memoryBackend(app: CompiledApp, options: MemoryBackendOptions = {}): Backend {
  const hold = options.hold ?? 'object';
  const timeZone = options.timeZone ?? 'UTC';
  const objects = new Map<string, IssueState>();
  const texts = new Map<string, string>();

  function load(issueId: string): IssueState | null {
    if (hold === 'object') return objects.get(issueId) ?? null;
    const text = texts.get(issueId);
    return text === undefined ? null : (JSON.parse(text) as IssueState);
  }

  function keep(issueId: string, state: IssueState): void {
    // an ended issue needs no state in memory; dropping it keeps long runs flat
    if (state.status !== 'active') {
      objects.delete(issueId);
      texts.delete(issueId);
    } else if (hold === 'object') objects.set(issueId, state);
    else texts.set(issueId, JSON.stringify(state));
  }

  return {
    name: hold === 'object' ? 'memory' : 'memory-json',
    // async on purpose: every command is one turn, so issues in flight interleave as they will over a store
    async apply(issueId: string, command: Command): Promise<DecideResult> {
      const result = decide(app, load(issueId), command, { now: Date.now(), timeZone });
      if (!result.rejection && result.state) keep(issueId, result.state);
      return result;
    },
    size: () => (hold === 'object' ? objects.size : texts.size),
    async close(): Promise<void> {
      objects.clear();
      texts.clear();
    },
  };
}
