import { describe, expect, it } from 'vitest';
import {
  diffModelSignatures,
  isModdleElement,
  type ModdleElement,
  modelSignature,
  parseBpmn,
  serializeBpmn,
  walkModdle,
} from '../../src/index.js';
import { fixture } from './fixtures.js';

const xml = fixture('nagare-all.bpmn');

function find(root: ModdleElement, test: (element: ModdleElement) => boolean): ModdleElement {
  let found: ModdleElement | undefined;
  walkModdle(root, (element) => {
    if (!found && test(element)) found = element;
  });
  if (!found) throw new Error('not found');
  return found;
}

describe('modelSignature', () => {
  it('lists each concern of the model', async () => {
    const { definitions } = await parseBpmn(xml);

    const signature = modelSignature(definitions);

    expect(signature.elements).toContain('bpmn:UserTask|Task_approve|Approve');
    expect(signature.flows).toContain('bpmn:SequenceFlow|Flow_ok|Gateway_1->Task_pay|amount <= 100000');
    expect(signature.lanes).toEqual([
      'lane|Lane_applicant|in=Process_1|Catch_order,End_1,Gateway_1,Start_1,Start_timer,Task_approve,Task_pay',
    ]);
    expect(signature.events).toContain(
      'Catch_order|bpmn:MessageEventDefinition#MessageDef_1 messageRef=Message_order',
    );
    expect(signature.shapes).toContain('Gateway_1_di|Gateway_1|425,95,50,50|isMarkerVisible=true|label=');
    expect(signature.edges).toContain('Flow_ok_di|Flow_ok|475,120 530,120||label=480,102,46,14');
    expect(signature.foreign).toContain('element {urn:acme:bpm}audit');
    expect(signature.foreign).toContain('attribute bpmn:SequenceFlow@{urn:acme:bpm}weight=2');
  });

  it('names what changed between two reads', async () => {
    // given
    const before = await parseBpmn(xml);
    const after = await parseBpmn(xml);
    const edge = find(after.definitions, (e) => e.id === 'Flow_1_di');
    const waypoints = edge.waypoint as ModdleElement[];
    const flow = find(after.definitions, (e) => e.id === 'Flow_3');
    const shape = find(after.definitions, (e) => e.id === 'Task_approve_di');

    // when a waypoint moves, a flow is redirected and a foreign attribute is lost
    waypoints[1]!.x = 271;
    flow.targetRef = find(after.definitions, (e) => e.id === 'Task_approve');
    delete shape.$attrs?.['acme:fill'];

    // then
    expect(
      diffModelSignatures(modelSignature(before.definitions), modelSignature(after.definitions)),
    ).toEqual([
      'flows: lost bpmn:SequenceFlow|Flow_3|Task_pay->End_1|',
      'flows: gained bpmn:SequenceFlow|Flow_3|Task_pay->Task_approve|',
      'edges: lost Flow_1_di|Flow_1|216,120 270,120||label=',
      'edges: gained Flow_1_di|Flow_1|216,120 271,120||label=',
      'foreign: lost attribute bpmndi:BPMNShape@{urn:acme:bpm}fill=#ffeecc',
    ]);
  });
});

describe('serializeBpmn with foreign content', () => {
  it('writes elements in no namespace and same-namespace attributes back as they were', async () => {
    // given (as W4 inside Signavio exports, and Trisotech)
    const xml = fixture('nagare-all.bpmn').replace(
      '<acme:audit level="full">',
      '<acme:audit level="full" acme:strict="yes"><Grid xmlns="" color="230"><Sub x="1"/></Grid>',
    );
    const first = await parseBpmn(xml);

    // when
    const written = await serializeBpmn(first);
    const second = await parseBpmn(written);

    // then
    expect(written).toContain('<acme:audit level="full" acme:strict="yes">');
    expect(written).toMatch(/<Grid xmlns="" color="230">\s*<Sub xmlns="" x="1" \/>\s*<\/Grid>/);
    expect(
      diffModelSignatures(modelSignature(first.definitions), modelSignature(second.definitions)),
    ).toEqual([]);
    const audit = find(second.definitions, (e) => e.$type === 'acme:audit');
    expect(audit.$children?.map((child) => child.$descriptor.ns.uri)).toEqual(['', 'urn:acme:bpm']);
    expect(isModdleElement(audit.$children?.[0])).toBe(true);
  });

  it('leaves the tree as it was after writing', async () => {
    const parsed = await parseBpmn(
      xml.replace('<acme:audit level="full">', '<acme:audit acme:strict="yes">'),
    );
    const before = modelSignature(parsed.definitions);

    await serializeBpmn(parsed);

    expect(modelSignature(parsed.definitions)).toEqual(before);
    expect(await serializeBpmn(parsed)).toBe(await serializeBpmn(parsed));
  });
});
