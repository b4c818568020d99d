import { describe, expect, it } from 'vitest';
import {
  extensionElements,
  type ModdleElement,
  many,
  nagareExtension,
  nagareExtensions,
  nagareModdleDescriptor,
  parseBpmn,
  roundTrip,
  serializeBpmn,
  walkModdle,
} from '../../src/index.js';
import { fixture } from './fixtures.js';

const xml = fixture('nagare-all.bpmn');

function byId(root: ModdleElement, id: string): ModdleElement {
  let found: ModdleElement | undefined;
  walkModdle(root, (element) => {
    if (element.id === id) found = element;
  });
  if (!found) throw new Error(`no element ${id}`);
  return found;
}

/**
 * Every nagare:* element's attribute and text values, to compare two reads. Through `get`:
 * the writer leaves out a value equal to its default, and the reader gives the default back.
 */
function nagareContent(root: ModdleElement): unknown[] {
  const out: unknown[] = [];
  walkModdle(root, (element) => {
    if (!element.$type.startsWith('nagare:')) return;
    const simple = (element.$descriptor.properties ?? []).filter((p) => p.isAttr || p.isBody);
    out.push([element.$type, Object.fromEntries(simple.map((p) => [p.name, element.get(p.name)]))]);
  });
  return out;
}

describe('the Nagare extension', () => {
  it('reads every element group with typed helpers', async () => {
    // given
    const { definitions, warnings } = await parseBpmn(xml);
    const process = byId(definitions, 'Process_1');

    // when
    const items = nagareExtension(process, 'DataItems')?.items ?? [];
    const operators = nagareExtension(byId(definitions, 'Lane_applicant'), 'Operators');
    const approve = byId(definitions, 'Task_approve');
    const automation = nagareExtension(byId(definitions, 'Task_pay'), 'Automation');
    const schedules = nagareExtension(byId(definitions, 'Start_timer'), 'Schedules');
    const condition = nagareExtension(byId(definitions, 'Flow_ok'), 'Condition');

    // then
    expect(warnings).toEqual([]);
    expect(items.map((item) => item.fieldName)).toEqual(['title', 'amount', 'category', 'lines']);
    expect(items[0]).toMatchObject({ number: 0, type: 'string', required: true, maxLength: 100 });
    expect(items[2]?.choices?.map((choice) => choice.value)).toEqual(['travel', 'meal']);
    expect(items[2]?.description?.text).toBe('What the money was spent on');
    expect(items[3]?.columns?.[1]).toMatchObject({ fieldName: 'cost', total: true });
    expect(operators).toMatchObject({ allocation: 'offer', team: false });
    expect(operators?.rules?.[0]).toMatchObject({ kind: 'organization', includeSubOrganizations: true });
    expect(operators?.exclusions?.[0]?.lane).toBe('Lane_boss');
    expect(nagareExtension(approve, 'DataAccess')?.entries?.map((e) => [e.item, e.mode])).toEqual([
      ['title', 'read'],
      ['amount', 'write'],
    ]);
    expect(nagareExtension(approve, 'Buttons')?.buttons?.map((b) => b.flow)).toEqual(['Flow_ok', 'Flow_ng']);
    expect(nagareExtension(approve, 'Deadline')).toMatchObject({ amount: 3, unit: 'days', action: 'abort' });
    expect(automation).toMatchObject({ type: 'http', maxAttempts: 3 });
    expect(automation?.configs?.map((c) => [c.name, c.value])).toEqual([
      ['url', 'https://pay.example.com/claims'],
      ['method', 'POST'],
    ]);
    expect(automation?.assignments?.[0]).toMatchObject({ item: 'title', expression: 'response.status' });
    expect(schedules?.timezone).toBe('Asia/Tokyo');
    expect(schedules?.schedules?.[1]).toMatchObject({ frequency: 'yearly', month: 4 });
    expect(condition?.rows?.map((row) => row.terms?.length)).toEqual([2, 1]);
    expect(nagareExtension(byId(definitions, 'Catch_order'), 'MessageKey')).toMatchObject({ key: 'orderNo' });
  });

  it('applies attribute defaults from the descriptor', async () => {
    // given a deadline without action and a message key without channel
    const { definitions } = await parseBpmn(
      xml.replace(' action="abort"', '').replace('channel="http" ', ''),
    );

    // then
    expect(nagareExtension(byId(definitions, 'Task_approve'), 'Deadline')?.action).toBe('none');
    expect(nagareExtension(byId(definitions, 'Catch_order'), 'MessageKey')?.channel).toBe('http');
  });

  it('survives a round trip, with every value unchanged', async () => {
    // given
    const first = await parseBpmn(xml);

    // when
    const written = await serializeBpmn(first);
    const second = await parseBpmn(written);

    // then
    expect(nagareContent(second.definitions)).toEqual(nagareContent(first.definitions));
    expect(await roundTrip(xml)).toMatchObject({ status: 'same' });
    expect(written).toContain('<nagare:automation type="http" maxAttempts="3">');
    expect(written).toContain('<nagare:config name="url">https://pay.example.com/claims</nagare:config>');
  });

  it('keeps other vendors’ extensions next to Nagare’s', async () => {
    // given
    const parsed = await parseBpmn(xml);

    // when
    const written = await serializeBpmn(parsed);

    // then
    const process = byId(parsed.definitions, 'Process_1');
    expect(extensionElements(process).map((e) => e.$type)).toEqual(['nagare:DataItems', 'acme:audit']);
    expect(nagareExtensions(process, 'Automation')).toEqual([]);
    expect(many(process, 'flowElements').length).toBeGreaterThan(5);
    expect(written).toContain('camunda:assignee="boss"');
    expect(written).toContain('<camunda:property name="x" value="1" />');
    expect(written).toContain('<acme:audit level="full">');
    expect(written).toContain('<acme:note>kept by Nagare</acme:note>');
    expect(written).toContain('acme:weight="2"');
    expect(written).toContain('acme:fill="#ffeecc"');
  });
});

describe('where Nagare elements may be placed (descriptor allowedIn)', () => {
  const allowed = (name: string): readonly string[] => {
    const type = nagareModdleDescriptor.types.find((t) => t.name === name) as
      | { meta?: { allowedIn?: readonly string[] } }
      | undefined;
    return type?.meta?.allowedIn ?? [];
  };
  it('messageKey: on message boundary events too', () => {
    expect(allowed('MessageKey')).toEqual(
      expect.arrayContaining([
        'bpmn:StartEvent',
        'bpmn:IntermediateCatchEvent',
        'bpmn:ReceiveTask',
        'bpmn:BoundaryEvent',
      ]),
    );
  });
  it('automation: on business-rule tasks and plain tasks too', () => {
    expect(allowed('Automation')).toEqual(
      expect.arrayContaining(['bpmn:BusinessRuleTask', 'bpmn:Task', 'bpmn:ServiceTask']),
    );
  });
});
