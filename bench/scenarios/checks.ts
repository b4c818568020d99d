/** Checks on one `decide` result. Cheap on purpose: they run inside the timed loop, for every issue. */
import type { DecideResult, Effect, IssueState } from '@nagare/engine';
import { fail } from '../fail.ts';

/** The command was accepted and left a state. */
export function accepted(result: DecideResult, what: string): IssueState {
  if (result.rejection) fail(`${what}: rejected ${result.rejection.code}: ${result.rejection.message}`);
  if (!result.state) fail(`${what}: no state`);
  return result.state;
}

/** The issue completed, its last effect is EndIssue, and its (only) token ended at `node`. */
export function completedAt(result: DecideResult, node: string, what: string): IssueState {
  const state = accepted(result, what);
  if (state.status !== 'completed') fail(`${what}: issue is ${state.status}, expected completed`);
  const last = result.effects[result.effects.length - 1];
  if (last?.type !== 'EndIssue' || last.status !== 'completed')
    fail(`${what}: last effect is ${last?.type}, expected EndIssue`);
  let ends = 0;
  for (const e of result.events) {
    if (e.type === 'TokenEnded') {
      if (e.node !== node) fail(`${what}: a token ended at ${e.node}, expected ${node}`);
      ends++;
    }
  }
  if (ends !== 1) fail(`${what}: ${ends} tokens ended, expected 1`);
  return state;
}

/** The one OpenTask effect of a result, at `node`. */
export function openedTask(
  result: DecideResult,
  node: string,
  what: string,
): Extract<Effect, { type: 'OpenTask' }> {
  let open: Extract<Effect, { type: 'OpenTask' }> | undefined;
  for (const e of result.effects) {
    if (e.type === 'OpenTask') {
      if (open) fail(`${what}: more than one task opened`);
      open = e;
    }
  }
  if (!open) fail(`${what}: no OpenTask effect`);
  if (open.node !== node) fail(`${what}: task opened at ${open.node}, expected ${node}`);
  return open;
}

/** Issue ids shaped like the UUIDs a runtime hands out, so that stored states have a realistic size. */
export function issueId(batch: number, i: number): string {
  return `00000000-0000-4000-8${batch.toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;
}
