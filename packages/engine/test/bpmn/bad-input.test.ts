import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BpmnError,
  type BpmnProblem,
  isDanglingReference,
  many,
  type ParseBpmnOptions,
  parseBpmn,
  roundTrip,
  serializeBpmn,
  validateBpmn,
} from '../../src/index.js';
import { bpmnDocument } from './fixtures.js';

/** The problems parseBpmn throws with (fails the test if it does not throw a BpmnError). */
async function refusal(xml: string, options?: ParseBpmnOptions): Promise<readonly BpmnProblem[]> {
  const error = await parseBpmn(xml, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BpmnError);
  return (error as BpmnError).problems;
}

const flows = `<bpmn:startEvent id="Start" />
<bpmn:endEvent id="End" />
<bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="End" />`;

describe('bad input', () => {
  it('names the line of malformed XML (a mismatched closing tag)', async () => {
    // given line 5 closes a tag that is not open
    const xml = bpmnDocument('<bpmn:task id="Task_1">\n</bpmn:userTask>');

    // when
    const problems = await refusal(xml);

    // then
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', code: 'BPMN_MALFORMED_XML', line: 5 }),
    ]);
    expect(problems[0]?.message).toContain('closing tag mismatch');
  });

  it('refuses an unquoted attribute instead of silently dropping the element', async () => {
    const problems = await refusal(bpmnDocument('<bpmn:task id="Task_1" name=oops />'));

    expect(problems).toEqual([expect.objectContaining({ code: 'BPMN_MALFORMED_XML', line: 4 })]);
  });

  it('refuses an unclosed document and an empty one', async () => {
    expect((await refusal('<bpmn:definitions xmlns:bpmn="x">'))[0]?.code).toBe('BPMN_MALFORMED_XML');
    expect((await refusal(''))[0]).toMatchObject({ code: 'BPMN_MALFORMED_XML', line: 1 });
  });

  it('says what the root is when the XML is not BPMN', async () => {
    // given
    const xml = '<?xml version="1.0"?>\n<!-- a note -->\n<project xmlns="urn:maven"><id>1</id></project>';

    // when
    const problems = await refusal(xml);

    // then
    expect(problems).toEqual([expect.objectContaining({ code: 'BPMN_NOT_BPMN', line: 3, column: 1 })]);
    expect(problems[0]?.message).toContain('<project> in the namespace urn:maven');
  });

  it('refuses a BPMN element other than definitions at the root', async () => {
    const xml = '<process xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="P" />';

    expect((await refusal(xml))[0]?.code).toBe('BPMN_NOT_BPMN');
  });

  it('refuses duplicate ids, naming the id and the line of the second one', async () => {
    // given
    const xml = bpmnDocument('<bpmn:task id="Task_1" />\n<bpmn:task id="Task_1" />');

    // when
    const problems = await refusal(xml);

    // then
    expect(problems).toEqual([
      expect.objectContaining({ code: 'BPMN_DUPLICATE_ID', elementId: 'Task_1', line: 5, severity: 'error' }),
    ]);
  });

  it('refuses an id that is not an XML name', async () => {
    const problems = await refusal(bpmnDocument('<bpmn:task id="1st task" />'));

    expect(problems[0]).toMatchObject({ code: 'BPMN_INVALID_ID', line: 4 });
  });

  it('refuses a sequence flow whose target does not exist', async () => {
    // given
    const xml = bpmnDocument(flows.replace('targetRef="End"', 'targetRef="Nowhere"'));

    // when
    const problems = await refusal(xml);

    // then
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'BPMN_UNKNOWN_REFERENCE',
        elementId: 'Flow_1',
        line: 6,
        severity: 'error',
      }),
    ]);
    expect(problems[0]?.message).toContain('"Nowhere" as its targetRef');
  });

  it('refuses a sequence flow without a source', async () => {
    const problems = await refusal(bpmnDocument(flows.replace('sourceRef="Start" ', '')));

    expect(problems).toEqual([
      expect.objectContaining({ code: 'BPMN_MISSING_REFERENCE', elementId: 'Flow_1' }),
    ]);
  });

  it('tolerates a dangling reference that does not break the flow graph, with a warning', async () => {
    // given a lane that lists a step that does not exist
    const lanes = `<bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_1">
<bpmn:flowNodeRef>Start</bpmn:flowNodeRef><bpmn:flowNodeRef>Ghost</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>`;

    // when
    const { warnings } = await parseBpmn(bpmnDocument(`${lanes}\n${flows}`));

    // then
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'BPMN_UNKNOWN_REFERENCE',
        severity: 'warning',
        elementId: 'Lane_1',
        line: 4,
      }),
    ]);
  });

  it('refuses a 50 MB document before parsing it, with the size and the limit', async () => {
    // given
    const xml = bpmnDocument(`<!--${'x'.repeat(50 * 1024 * 1024)}-->`);

    // when
    const started = performance.now();
    const problems = await refusal(xml);

    // then
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems).toEqual([expect.objectContaining({ code: 'BPMN_TOO_LARGE' })]);
    expect(problems[0]?.message).toMatch(/50\.0 MiB .* above the limit of 16\.0 MiB/);
  });

  it('counts UTF-8 bytes against a custom limit', async () => {
    // given 400 three-byte characters: 1200 bytes, though only 400 UTF-16 units
    const xml = bpmnDocument(`<bpmn:task id="T" name="${'流'.repeat(400)}" />`);

    // then
    expect((await refusal(xml, { maxBytes: 1000 }))[0]?.code).toBe('BPMN_TOO_LARGE');
    await expect(parseBpmn(xml, { maxBytes: 2000 })).resolves.toBeDefined();
  });

  it('refuses an entity-expansion bomb at its DOCTYPE', async () => {
    // given
    const bomb = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
      ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">',
      ']>',
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" name="&lol3;" />',
    ].join('\n');

    // when
    const problems = await refusal(bomb);

    // then
    expect(problems).toEqual([
      expect.objectContaining({ code: 'BPMN_DOCTYPE_FORBIDDEN', line: 2, column: 1 }),
    ]);
  });

  it('allows DOCTYPE text inside CDATA and comments (a script that writes HTML)', async () => {
    const xml = bpmnDocument(
      '<!-- <!DOCTYPE html> -->\n<bpmn:scriptTask id="S"><bpmn:script><![CDATA[out = "<!DOCTYPE html>";]]></bpmn:script></bpmn:scriptTask>',
    );

    const { definitions } = await parseBpmn(xml);
    const written = await serializeBpmn({ definitions });

    // the writer escapes the script text, so the output itself passes the guard again
    expect(written).toContain('out = "&lt;!DOCTYPE html&gt;";');
    await expect(parseBpmn(written)).resolves.toBeDefined();
  });

  it('keeps an import it cannot load, with a warning', async () => {
    // given
    const xml = bpmnDocument(
      '<bpmn:task id="T" />',
      '>\n<bpmn:import importType="https://www.omg.org/spec/DMN/20191111/MODEL/" location="Vacation Approval.dmn" namespace="urn:dmn"',
    ).replace('urn:dmn">', 'urn:dmn" />');

    // when
    const { definitions, warnings } = await parseBpmn(xml);

    // then
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'BPMN_UNRESOLVED_IMPORT', severity: 'warning', line: 3 }),
    ]);
    expect(await serializeBpmn({ definitions })).toContain('location="Vacation Approval.dmn"');
  });

  it('keeps a reference into another namespace as written', async () => {
    // given
    const xml = bpmnDocument(
      '<bpmn:task id="T" />',
      ' xmlns:other="urn:other">\n<bpmn:interface id="I" name="i"><bpmn:operation id="O" name="o"><bpmn:inMessageRef>other:M1</bpmn:inMessageRef></bpmn:operation></bpmn:interface',
    );

    // when
    const { definitions, warnings } = await parseBpmn(xml);

    // then
    expect(warnings).toEqual([expect.objectContaining({ code: 'BPMN_EXTERNAL_REFERENCE', elementId: 'O' })]);
    expect(await serializeBpmn({ definitions })).toContain('<bpmn:inMessageRef>other:M1</bpmn:inMessageRef>');
  });
});

/** Reads leniently, writes, and checks the round trip is unchanged; returns the read and the text. */
async function lenientRead(xml: string) {
  const parsed = await parseBpmn(xml, { lenient: true });
  const written = await serializeBpmn(parsed);
  const again = await roundTrip(xml, { lenient: true });
  expect(again.status === 'changed' ? again.differences : []).toEqual([]);
  expect(again.status).toBe('same');
  return { ...parsed, written };
}

describe('bad input, read leniently (import into the modeler, convert --lenient)', () => {
  it('keeps both elements with a duplicate id, with a warning at the second', async () => {
    // given
    const xml = bpmnDocument('<bpmn:task id="Task_1" name="one" />\n<bpmn:task id="Task_1" name="two" />');

    // when
    const { definitions, warnings, written } = await lenientRead(xml);

    // then the same problem as the strict reading, as a warning
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'BPMN_DUPLICATE_ID',
        elementId: 'Task_1',
        line: 5,
        column: 1,
        severity: 'warning',
      }),
    ]);
    const process = many(definitions, 'rootElements')[0]!;
    expect(many(process, 'flowElements').map((e) => [e.id, e.name])).toEqual([
      ['Task_1', 'one'],
      ['Task_1', 'two'],
    ]);
    expect(written).toContain('<bpmn:task id="Task_1" name="one" />');
    expect(written).toContain('<bpmn:task id="Task_1" name="two" />');
  });

  it('keeps the content of an element with a duplicate id, and reports duplicates inside it', async () => {
    // given a sub-process repeated whole: the strict reading would skip the second with its content
    const sub = '<bpmn:subProcess id="Sub"><bpmn:task id="Inner" /></bpmn:subProcess>';
    const xml = bpmnDocument(`${sub}\n${sub.replace('<bpmn:task', '<bpmn:userTask')}`);

    // when
    const { warnings, written } = await lenientRead(xml);

    // then
    expect(warnings.map((p) => [p.code, p.elementId, p.line, p.column])).toEqual([
      ['BPMN_DUPLICATE_ID', 'Sub', 5, 1],
      ['BPMN_DUPLICATE_ID', 'Inner', 5, 27],
    ]);
    expect(written).toContain('<bpmn:userTask id="Inner" />');
    expect((await validateBpmn(xml)).map((p) => [p.severity, p.code, p.elementId])).toEqual([
      ['error', 'BPMN_DUPLICATE_ID', 'Sub'],
    ]);
  });

  it('keeps an element whose id is not an XML name, with a warning', async () => {
    const { warnings, written } = await lenientRead(bpmnDocument('<bpmn:task id="1st task" />'));

    expect(warnings).toEqual([
      expect.objectContaining({ code: 'BPMN_INVALID_ID', severity: 'warning', line: 4, column: 1 }),
    ]);
    expect(written).toContain('<bpmn:task id="1st task" />');
  });

  it('keeps a sequence flow whose target does not exist, with the target written as it was', async () => {
    // given
    const xml = bpmnDocument(flows.replace('targetRef="End"', 'targetRef="Nowhere"'));

    // when
    const { definitions, warnings, written } = await lenientRead(xml);

    // then
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'BPMN_UNKNOWN_REFERENCE',
        elementId: 'Flow_1',
        line: 6,
        severity: 'warning',
      }),
    ]);
    expect(warnings[0]?.message).toContain('"Nowhere" as its targetRef');
    expect(written).toContain('<bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Nowhere" />');
    const flow = many(many(definitions, 'rootElements')[0]!, 'flowElements').find((e) => e.id === 'Flow_1')!;
    expect(isDanglingReference(flow.targetRef)).toBe(true);
    expect(isDanglingReference(flow.sourceRef)).toBe(false);
  });

  it('keeps a sequence flow without a source, with a warning', async () => {
    const { warnings, written } = await lenientRead(bpmnDocument(flows.replace('sourceRef="Start" ', '')));

    expect(warnings).toEqual([
      expect.objectContaining({ code: 'BPMN_MISSING_REFERENCE', elementId: 'Flow_1', severity: 'warning' }),
    ]);
    expect(written).toContain('<bpmn:sequenceFlow id="Flow_1" targetRef="End" />');
  });

  it('keeps a dangling reference the strict reading drops, in its place in the list', async () => {
    // given a lane that lists a step that does not exist, between two that do
    const lanes = `<bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_1">
<bpmn:flowNodeRef>Start</bpmn:flowNodeRef><bpmn:flowNodeRef>Ghost</bpmn:flowNodeRef><bpmn:flowNodeRef>End</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>`;

    // when
    const { warnings, written } = await lenientRead(bpmnDocument(`${lanes}\n${flows}`));

    // then
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'BPMN_UNKNOWN_REFERENCE', severity: 'warning', elementId: 'Lane_1' }),
    ]);
    expect(written.replace(/\s+/g, '')).toContain(
      '<bpmn:flowNodeRef>Start</bpmn:flowNodeRef><bpmn:flowNodeRef>Ghost</bpmn:flowNodeRef><bpmn:flowNodeRef>End</bpmn:flowNodeRef>',
    );
  });

  it('still refuses what is not a BPMN document at all', async () => {
    const lenient = { lenient: true };
    const bomb = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "a">]>\n<x/>';

    expect((await refusal(bpmnDocument('<bpmn:task id="T">\n</bpmn:userTask>'), lenient))[0]?.code).toBe(
      'BPMN_MALFORMED_XML',
    );
    expect((await refusal('<project xmlns="urn:maven" />', lenient))[0]?.code).toBe('BPMN_NOT_BPMN');
    expect((await refusal(bomb, lenient))[0]?.code).toBe('BPMN_DOCTYPE_FORBIDDEN');
    expect((await refusal(bpmnDocument(''), { ...lenient, maxBytes: 10 }))[0]?.code).toBe('BPMN_TOO_LARGE');
  });

  it('does not change validateBpmn, which stays the strict check', async () => {
    // given
    const xml = bpmnDocument(flows.replace('targetRef="End"', 'targetRef="Nowhere"'));
    const options: ParseBpmnOptions = { lenient: true };

    // then
    expect((await validateBpmn(xml, options)).map((p) => [p.severity, p.code])).toEqual([
      ['error', 'BPMN_UNKNOWN_REFERENCE'],
    ]);
    await expect(parseBpmn(xml)).rejects.toBeInstanceOf(BpmnError);
  });
});

describe('validateBpmn', () => {
  it('lists errors and warnings with lines, and never throws', async () => {
    // given a duplicate id (line 4 and 5) and an unknown attribute (line 6)
    const xml = bpmnDocument('<bpmn:task id="A" />\n<bpmn:task id="A" />\n<bpmn:task id="B" frob="1" />');

    // when
    const problems = await validateBpmn(xml);

    // then
    expect(problems.map((p) => [p.severity, p.code, p.line])).toEqual([
      ['error', 'BPMN_DUPLICATE_ID', 5],
      ['warning', 'BPMN_UNKNOWN_CONTENT', 6],
    ]);
  });

  it('reports the guard problems and reader failures as problems', async () => {
    expect((await validateBpmn('<!DOCTYPE x><x/>'))[0]?.code).toBe('BPMN_DOCTYPE_FORBIDDEN');
    expect((await validateBpmn('<a><b></a>'))[0]?.code).toBe('BPMN_MALFORMED_XML');
    expect((await validateBpmn(undefined as unknown as string))[0]?.code).toBe('BPMN_UNREADABLE');
  });

  it('returns nothing for a clean document', async () => {
    expect(await validateBpmn(bpmnDocument(flows))).toEqual([]);
  });
});

describe('BpmnError', () => {
  it('says where in its message', async () => {
    const error = await parseBpmn(bpmnDocument('<bpmn:task id="A" />\n<bpmn:task id="A" />')).catch(
      (e: unknown) => e,
    );

    expect(String(error)).toBe(
      'BpmnError: Invalid BPMN: line 5, column 1: The id "A" is used by more than one element. [BPMN_DUPLICATE_ID]',
    );
  });
});

describe('validateBpmn on arbitrary text', () => {
  it('always answers with problems, never an exception', async () => {
    const pieces = fc.constantFrom(
      '<',
      '>',
      '/',
      '!--',
      '-->',
      '<![CDATA[',
      ']]>',
      '<!DOCTYPE',
      '"',
      '=',
      ' ',
      'a',
      'bpmn:',
      '&',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 40 }), async (parts) => {
        const problems = await validateBpmn(bpmnDocument(parts.join('')));
        expect(Array.isArray(problems)).toBe(true);
        for (const problem of problems) expect(problem.code).toMatch(/^BPMN_[A-Z_]+$/);
      }),
      { numRuns: 300 },
    );
  });
});
