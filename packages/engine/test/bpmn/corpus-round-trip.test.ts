/**
 * Every BPMN file of the shared corpus (MIWG reference models and tool exports, executable
 * examples) is read, written, read again, and the two reads compared by model signature:
 * semantic elements, flows, lanes, events, DI shapes and edges, and other vendors' content.
 * Each file twice: strictly (where the strict reading accepts it) and leniently (all files).
 */
import { describe, expect, it } from 'vitest';
import { roundTrip } from '../../src/index.js';
import { corpusFiles, readCorpusFile } from './corpus.js';

/**
 * Tool exports that are not valid BPMN, and the error the strict reading refuses them with (the
 * first error; line and column of the element). bpmn-moddle alone would read them by dropping
 * content (the whole second `<process>` with a duplicate id, or the flow ends), so a strict
 * round trip of what it read would prove nothing. The lenient reading reports the same problem
 * as a warning and keeps everything.
 */
const INVALID: Record<string, { code: string; elementId: string; line: number; column: number }> = {
  // A <globalTask> and the main <process> share the id Process_ba16239e-...
  'miwg/sap-signavio-process-manager-19.9.0/B.1.0-roundtrip.bpmn': {
    code: 'BPMN_DUPLICATE_ID',
    elementId: 'Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450',
    line: 413,
    column: 4,
  },
  'miwg/sap-signavio-process-manager-19.9.0/B.2.0-roundtrip.bpmn': {
    code: 'BPMN_DUPLICATE_ID',
    elementId: 'Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450',
    line: 1102,
    column: 4,
  },
  // Two <ioSpecification> elements with the same id (and so do their data inputs and outputs).
  'miwg/sap-signavio-process-manager-19.9.0/C.5.0-roundtrip.1.bpmn': {
    code: 'BPMN_DUPLICATE_ID',
    elementId: '_b9338c62-a257-47dd-8c2e-88b80b73c330_iospec',
    line: 388,
    column: 10,
  },
  // Sequence flows to and from a node that is not in the file.
  'miwg/sap-signavio-process-manager-19.9.0/B.1.0-export.bpmn': {
    code: 'BPMN_UNKNOWN_REFERENCE',
    elementId: 'sid-E1638278-7098-4BFF-9F77-653EA156C782',
    line: 429,
    column: 21,
  },
  'miwg/sap-signavio-process-manager-19.9.0/B.2.0-export.bpmn': {
    code: 'BPMN_UNKNOWN_REFERENCE',
    elementId: 'sid-E1638278-7098-4BFF-9F77-653EA156C782',
    line: 1247,
    column: 21,
  },
  // A sequence flow with neither sourceRef nor targetRef.
  'miwg/sap-signavio-process-manager-19.9.0/C.9.0-export.bpmn': {
    code: 'BPMN_MISSING_REFERENCE',
    elementId: 'sid-02C7B32C-AE9C-4236-B4D3-2B3AA0F07853',
    line: 493,
    column: 21,
  },
};

/**
 * Every id and every reference as text (`sourceRef=x`, `flowNodeRef>x`, `id=x`...), sorted:
 * the lenient reading must write each back. A QName reference's prefix is left out (the
 * writer resolves `semantic:sid-1` to `sid-1`). Covers what the signature does not, such as
 * data associations' references.
 */
function idAndReferenceTexts(xml: string): string[] {
  const local = (value: string) => value.replace(/^[\w.-]+:/, '');
  const texts: string[] = [];
  for (const [, name, value] of xml.matchAll(REFERENCE_ATTRIBUTE))
    texts.push(`${name}=${value!.split(/\s+/).map(local).join(' ')}`);
  for (const [, name, value] of xml.matchAll(REFERENCE_ELEMENT))
    texts.push(`${name}>${local(value!.trim())}`);
  for (const [, value] of xml.matchAll(/\sid\s*=\s*"([^"]*)"/g)) texts.push(`id=${value}`);
  return texts.sort();
}

const REFERENCE_ATTRIBUTE = /\s(\w*Ref|bpmnElement|default|sourceElement|targetElement)\s*=\s*"([^"]*)"/g;
const REFERENCE_ELEMENT = /<(?:[\w-]+:)?(\w*Ref)>([^<]*)<\//g;

const files = corpusFiles();

describe('the BPMN corpus', () => {
  it('is all there', () => {
    expect(files.length).toBeGreaterThanOrEqual(217);
    for (const path of Object.keys(INVALID)) expect(files).toContain(path);
  });

  it.each(files)('%s: strict round trip', async (path) => {
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
      expect(first).toMatchObject({ severity: 'error', ...invalid });
      return;
    }
    expect(result.status === 'changed' ? result.differences : []).toEqual([]);
    expect(result.status).toBe('same');
  });

  it.each(files)('%s: lenient round trip', async (path) => {
    // given
    const xml = readCorpusFile(path);

    // when
    const result = await roundTrip(xml, { lenient: true });

    // then
    expect(result.status === 'refused' ? result.problems : []).toEqual([]);
    expect(result.status === 'changed' ? result.differences : []).toEqual([]);
    expect(result.status).toBe('same');
    if (result.status === 'refused') return;
    expect(result.warnings.filter((p) => p.severity === 'error')).toEqual([]);
    const invalid = INVALID[path];
    if (invalid)
      expect(result.warnings).toContainEqual(expect.objectContaining({ severity: 'warning', ...invalid }));
    expect(idAndReferenceTexts(result.written)).toEqual(idAndReferenceTexts(xml));
  });
});
