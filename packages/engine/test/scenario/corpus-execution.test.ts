/**
 * The executable corpus runs to completion (or to the end its scenario states): each compiled
 * file is driven by the scenario driver and must visit exactly the expected steps, end as
 * expected and raise no incident that is not expected; each refused file names the elements.
 * The same code renders the execution section of docs/conformance.md.
 */
import { describe, expect, test } from 'vitest';
import { executableFiles, executeFile } from '../../../../scripts/conformance/execution.js';
import { expectations } from '../../../../scripts/conformance/execution-scenarios.js';

const files = executableFiles();

describe('executable corpus', () => {
  test('the corpus is there', () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  test.each(files)('%s', async (path) => {
    const r = await executeFile(path);
    expect(r.status, path).not.toBe('unreadable');
    if (r.status === 'refused') {
      expect(expectations[path], `${path} is refused but has expectations`).toBeUndefined();
      for (const p of r.problems) {
        expect(p.elementId, `${path}: ${p.message}`).toBeTruthy();
        expect(p.elementType, `${path}: ${p.message}`).toMatch(/^bpmn:/);
      }
      return;
    }
    if (r.status !== 'run') return;
    expect(expectations[path], `${path} compiles: write its expectations`).toBeDefined();
    for (const s of r.scenarios) expect(s.mismatches, `${path} / ${s.expectation.name}`).toEqual([]);
  });
});
