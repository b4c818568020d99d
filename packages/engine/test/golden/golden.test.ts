import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type CompiledApp, compile, decide, type IssueState, replay } from '../../src/index.js';
import { S1_XML } from '../fixtures/s1.js';
import { scenarios } from './scenarios.js';

const here = dirname(fileURLToPath(import.meta.url));
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const update = process.env.UPDATE_GOLDEN === '1';

async function model(name: string): Promise<CompiledApp> {
  if (name === 's1') return compile(S1_XML);
  return compile(readFileSync(join(here, 'models', `${name}.bpmn`), 'utf8'));
}

describe('golden histories', () => {
  for (const sc of scenarios) {
    test(sc.name, async () => {
      const app = await model(sc.model);
      let state: IssueState | null = null;
      let now = T0;
      const answers: unknown[] = [];
      const history = [];
      for (const step of sc.steps) {
        now += step.advanceMs ?? 0;
        const r = decide(app, state, step.command, { now });
        answers.push({
          command: step.command,
          ...(r.rejection ? { rejection: r.rejection } : {}),
          events: r.events,
          effects: r.effects,
        });
        if (!r.rejection) state = r.state;
        history.push(...r.events);
      }
      // replaying the recorded events rebuilds the same state
      expect(replay(history)).toEqual(state);
      const recorded = { scenario: sc.name, model: sc.model, answers, finalState: state };
      const file = join(here, `${sc.name}.json`);
      if (update) writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
      // Compared as compact JSON: the file's formatting does not matter; content and key order do.
      const expected = JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
      const hint = `golden ${sc.name}.json differs; run with UPDATE_GOLDEN=1 if the change is intended`;
      expect(JSON.stringify(recorded), hint).toBe(expected);
    });
  }
});
