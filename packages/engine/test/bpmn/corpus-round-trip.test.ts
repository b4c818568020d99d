/**
 * Every BPMN file of the shared corpus (MIWG reference models and tool exports, executable
 * examples) is read, written, read again, and the two reads compared by model signature:
 * semantic elements, flows, lanes, events, DI shapes and edges, and other vendors' content.
 */
import { describe, expect, it } from 'vitest';
import { roundTrip } from '../../src/index.js';
import { corpusFiles, readCorpusFile } from './corpus.js';

/**
 * Tool exports that are not valid BPMN, and the error we refuse them with. bpmn-moddle alone
 * would read them by dropping content (the whole second `<process>` with a duplicate id, or
 * the flow ends), so a round trip of what it read would prove nothing.
 */
const INVALID: Record<string, { code: string; elementId: string }> = {
  // A <globalTask> and the main <process> share the id Process_ba16239e-...
  'miwg/sap-signavio-process-manager-19.9.0/B.1.0-roundtrip.bpmn': {
    code: 'BPMN_DUPLICATE_ID',
    elementId: 'Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450',
  },
  'miwg/sap-signavio-process-manager-19.9.0/B.2.0-roundtrip.bpmn': {
    code: 'BPMN_DUPLICATE_ID',
    elementId: 'Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450',
  },
  // Two <ioSpecification> elements with the same id.
  'miwg/sap-signavio-process-manager-19.9.0/C.5.0-roundtrip.1.bpmn': {
    code: 'BPMN_DUPLICATE_ID',
    elementId: '_b9338c62-a257-47dd-8c2e-88b80b73c330_iospec',
  },
  // Sequence flows to and from a node that is not in the file.
  'miwg/sap-signavio-process-manager-19.9.0/B.1.0-export.bpmn': {
    code: 'BPMN_UNKNOWN_REFERENCE',
    elementId: 'sid-E1638278-7098-4BFF-9F77-653EA156C782',
  },
  'miwg/sap-signavio-process-manager-19.9.0/B.2.0-export.bpmn': {
    code: 'BPMN_UNKNOWN_REFERENCE',
    elementId: 'sid-E1638278-7098-4BFF-9F77-653EA156C782',
  },
  // A sequence flow with neither sourceRef nor targetRef.
  'miwg/sap-signavio-process-manager-19.9.0/C.9.0-export.bpmn': {
    code: 'BPMN_MISSING_REFERENCE',
    elementId: 'sid-02C7B32C-AE9C-4236-B4D3-2B3AA0F07853',
  },
};

const files = corpusFiles();

describe('the BPMN corpus', () => {
  it('is all there', () => {
    expect(files.length).toBeGreaterThanOrEqual(217);
    for (const path of Object.keys(INVALID)) expect(files).toContain(path);
  });

  it.each(files)('%s round-trips', async (path) => {
    // given
    const xml = readCorpusFile(path);

    // when
    const result = await roundTrip(xml);

    // then
    const invalid = INVALID[path];
    if (invalid) {
      expect(result.status).toBe('refused');
      const first =
        result.status === 'refused' ? result.problems.find((p) => p.severity === 'error') : undefined;
      expect(first).toMatchObject({ severity: 'error', ...invalid, line: expect.any(Number) });
      return;
    }
    expect(result.status === 'changed' ? result.differences : []).toEqual([]);
    expect(result.status).toBe('same');
  });
});
