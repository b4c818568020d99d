/**
 * The externally authored BPMN corpus through `compile`: every file either compiles, or is
 * refused with problems that name their element (nothing silently skipped, nothing thrown
 * but CompileError / BpmnError). Models that compile are started once: decide answers
 * without throwing. The per-file outcome is printed for docs/engine.md.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { sharedDir } from '../../../../scripts/shared-dir.js';
import { BpmnError, CompileError, compile, decide } from '../../src/index.js';

function bpmnFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return bpmnFiles(p);
    return name.endsWith('.bpmn') ? [p] : [];
  });
}

const root = join(sharedDir(), 'bpmn-corpus');
const files = [...bpmnFiles(join(root, 'executable')), ...bpmnFiles(join(root, 'miwg', 'Reference'))];

describe('corpus', () => {
  test('every file compiles or is refused with element ids', async () => {
    let compiled = 0;
    let refused = 0;
    for (const file of files) {
      const xml = readFileSync(file, 'utf8');
      try {
        const app = await compile(xml);
        compiled++;
        const r = decide(
          app,
          null,
          {
            type: 'StartIssue',
            issueId: 'c',
            ...(app.defaultStart ? {} : { startEvent: app.startEvents[0] }),
          },
          { now: 0 },
        );
        expect(r.rejection?.code ?? 'OK', file).not.toBe('INTERNAL_ERROR');
      } catch (e) {
        if (e instanceof CompileError) {
          refused++;
          for (const p of e.problems) {
            if (p.code !== 'NO_PROCESS' && p.code !== 'MULTIPLE_PROCESSES')
              expect(p.elementId, `${file}: ${p.message}`).toBeTruthy();
          }
        } else if (!(e instanceof BpmnError)) throw e;
      }
    }
    expect(compiled + refused).toBeGreaterThan(50);
    expect(compiled).toBeGreaterThan(10);
  });
});
