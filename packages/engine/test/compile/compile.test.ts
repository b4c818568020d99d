import { describe, expect, test } from 'vitest';
import { BpmnError, CompileError, compile, decide } from '../../src/index.js';
import { bpmn, cond, flows } from '../decide/helpers.js';

async function problems(content: string, items?: string) {
  try {
    await compile(bpmn(content, items ? { items } : {}));
  } catch (e) {
    if (e instanceof CompileError)
      return e.problems.map((p) => ({ code: p.code, elementId: p.elementId, elementType: p.elementType }));
    throw e;
  }
  return [];
}

const S = '<bpmn:startEvent id="s"/>';

describe('compile refuses what the engine does not run, naming id and type', () => {
  test.each([
    ['call activity', '<bpmn:callActivity id="x" calledElement="other"/>', 'bpmn:CallActivity'],
    [
      'transaction',
      '<bpmn:transaction id="x"><bpmn:startEvent id="ts"/></bpmn:transaction>',
      'bpmn:Transaction',
    ],
    ['ad-hoc sub-process', '<bpmn:adHocSubProcess id="x"/>', 'bpmn:AdHocSubProcess'],
    [
      'event sub-process',
      '<bpmn:subProcess id="x" triggeredByEvent="true"><bpmn:startEvent id="ts"/></bpmn:subProcess>',
      'bpmn:SubProcess',
    ],
    ['complex gateway', '<bpmn:complexGateway id="x"/>', 'bpmn:ComplexGateway'],
    [
      'signal catch',
      '<bpmn:intermediateCatchEvent id="x"><bpmn:signalEventDefinition/></bpmn:intermediateCatchEvent>',
      'bpmn:IntermediateCatchEvent',
    ],
    [
      'link throw without its catch',
      '<bpmn:intermediateThrowEvent id="x"><bpmn:linkEventDefinition name="a"/></bpmn:intermediateThrowEvent>',
      'bpmn:IntermediateThrowEvent',
    ],
    [
      'conditional catch',
      '<bpmn:intermediateCatchEvent id="x"><bpmn:conditionalEventDefinition/></bpmn:intermediateCatchEvent>',
      'bpmn:IntermediateCatchEvent',
    ],
    [
      'escalation throw',
      '<bpmn:intermediateThrowEvent id="x"><bpmn:escalationEventDefinition/></bpmn:intermediateThrowEvent>',
      'bpmn:IntermediateThrowEvent',
    ],
    [
      'compensation throw',
      '<bpmn:intermediateThrowEvent id="x"><bpmn:compensateEventDefinition/></bpmn:intermediateThrowEvent>',
      'bpmn:IntermediateThrowEvent',
    ],
    ['signal end', '<bpmn:endEvent id="x"><bpmn:signalEventDefinition/></bpmn:endEvent>', 'bpmn:EndEvent'],
    [
      'signal start',
      '<bpmn:startEvent id="x"><bpmn:signalEventDefinition/></bpmn:startEvent>',
      'bpmn:StartEvent',
    ],
    [
      'standard loop',
      '<bpmn:userTask id="x"><bpmn:standardLoopCharacteristics/></bpmn:userTask>',
      'bpmn:UserTask',
    ],
    [
      'multi-instance task',
      '<bpmn:userTask id="x"><bpmn:multiInstanceLoopCharacteristics/></bpmn:userTask>',
      'bpmn:UserTask',
    ],
    ['compensation handler', '<bpmn:serviceTask id="x" isForCompensation="true"/>', 'bpmn:ServiceTask'],
  ])('%s', async (_what, el, type) => {
    const ps = await problems(`${S}${el}`);
    expect(ps.some((p) => p.elementId === 'x' && p.elementType === type)).toBe(true);
  });

  test('signal boundary events are refused', async () => {
    const ps = await problems(`${S}<bpmn:userTask id="t"/>
      <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:signalEventDefinition/></bpmn:boundaryEvent>${flows('s>t')}`);
    expect(ps).toEqual([
      { code: 'UNSUPPORTED_EVENT_DEFINITION', elementId: 'b', elementType: 'bpmn:BoundaryEvent' },
    ]);
  });

  test('every problem is reported at once', async () => {
    const ps = await problems(`${S}<bpmn:callActivity id="c1"/><bpmn:complexGateway id="c2"/>`);
    expect(ps.map((p) => p.elementId)).toEqual(['c1', 'c2']);
  });

  test("a malformed document is the BPMN layer's BpmnError", async () => {
    await expect(compile('<nope')).rejects.toBeInstanceOf(BpmnError);
  });

  test('compile always reads strictly: duplicate ids and dangling references are refused even if lenient is asked', async () => {
    const dup = bpmn(`${S}<bpmn:endEvent id="s"/>`);
    await expect(compile(dup)).rejects.toBeInstanceOf(BpmnError);
    await expect(compile(dup, { lenient: true })).rejects.toBeInstanceOf(BpmnError);
    const dangling = bpmn(`${S}<bpmn:endEvent id="e"/>${flows('s>nowhere')}`);
    await expect(compile(dangling, { lenient: true })).rejects.toBeInstanceOf(BpmnError);
  });

  test('link events: two catches with one name, a throw with outgoing flows, a catch with incoming flows', async () => {
    const link = (id: string, kind: 'Throw' | 'Catch', name = 'L') =>
      `<bpmn:intermediate${kind}Event id="${id}"><bpmn:linkEventDefinition name="${name}"/></bpmn:intermediate${kind}Event>`;
    const ps = await problems(
      `${S}${link('t', 'Throw')}${link('c1', 'Catch')}${link('c2', 'Catch')}${link('t2', 'Throw', 'M')}${link('c3', 'Catch', 'M')}<bpmn:endEvent id="e"/>
      ${flows('s>t', 'c1>e', 't2>e', 'e2:s>c3')}`,
    );
    expect(ps.map((p) => `${p.code} ${p.elementId}`)).toEqual(['BAD_LINK t', 'BAD_LINK t2', 'BAD_LINK c3']);
  });
});

describe('expressions', () => {
  const gw = (body: string, lang = '') =>
    `${S}<bpmn:exclusiveGateway id="g" default="d"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>${flows('s>g', 'd:g>b')}
     <bpmn:sequenceFlow id="c" sourceRef="g" targetRef="a"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" ${lang}>${body}</bpmn:conditionExpression></bpmn:sequenceFlow>`;

  test('FEEL conditions compile; "=" prefix is accepted', async () => {
    expect(await problems(gw('amount &gt; 10'))).toEqual([]);
    expect(await problems(gw('=amount &gt; 10'))).toEqual([]);
  });

  test('a FEEL syntax error names the flow', async () => {
    expect(await problems(gw('amount &gt;'))).toEqual([
      { code: 'BAD_EXPRESSION', elementId: 'c', elementType: 'bpmn:SequenceFlow' },
    ]);
  });

  test('trivial JUEL is translated; anything else is refused with the reason', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JUEL text, not a template
    const a = await compile(bpmn(gw('${amount &gt; 10 &amp;&amp; status == "open"}')));
    expect(a.flows.c?.condition?.source).toBe('amount > 10 and status = "open"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JUEL text, not a template
    expect(await problems(gw('${order.getTotal() &gt; 10}'))).toEqual([
      { code: 'BAD_EXPRESSION', elementId: 'c', elementType: 'bpmn:SequenceFlow' },
    ]);
  });

  test('JavaScript / Groovy conditions are refused', async () => {
    expect(await problems(gw('next(null, x &gt; 1)', 'language="javascript"'))).toEqual([
      { code: 'BAD_EXPRESSION', elementId: 'c', elementType: 'bpmn:SequenceFlow' },
    ]);
  });

  test('nagare:condition rows compile to FEEL through the expr layer', async () => {
    const items =
      '<nagare:dataItem fieldName="q_amount" type="numeric"/><nagare:dataItem fieldName="q_status" type="string"/>';
    const a = await compile(
      bpmn(
        `${S}<bpmn:exclusiveGateway id="g" default="d"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>${flows('s>g', 'd:g>b')}
         <bpmn:sequenceFlow id="c" sourceRef="g" targetRef="a"><bpmn:extensionElements><nagare:condition>
           <nagare:conditionRow><nagare:conditionTerm item="q_amount" op="greaterThan" value="10"/></nagare:conditionRow>
         </nagare:condition></bpmn:extensionElements></bpmn:sequenceFlow>`,
        { items },
      ),
    );
    expect(a.flows.c?.condition?.source).toContain('q_amount');
  });

  test('an exclusive split flow without a condition counts as true in its turn (a warning, as Camunda 7)', async () => {
    const xml = bpmn(`${S}<bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
      ${cond('c', 'g', 'b', 'false')}${flows('s>g', 'g>a')}`);
    const a = await compile(xml);
    expect(a.warnings.map((w) => `${w.code} ${w.elementId}`)).toEqual(['BAD_FLOW g']);
    const r = decide(a, null, { type: 'StartIssue', issueId: 'x' }, { now: 0 });
    expect(r.events.find((e) => e.type === 'TokenEnded')).toMatchObject({ node: 'a' });
  });

  test('#{!approved} (JUEL) becomes not(approved)', async () => {
    const a = await compile(bpmn(gw('#{!approved}')));
    expect(a.flows.c?.condition?.source).toBe('not(approved)');
  });
});

describe('structure', () => {
  test('buttons must name outgoing flows; deadlines with abort need a timer boundary', async () => {
    const ps = await problems(`${S}<bpmn:userTask id="t"><bpmn:extensionElements>
        <nagare:buttons><nagare:button flow="nope" label="Go"/></nagare:buttons>
        <nagare:deadline amount="1" unit="days" action="abort"/></bpmn:extensionElements></bpmn:userTask>${flows('s>t')}`);
    expect(ps).toEqual([
      { code: 'BAD_BUTTON', elementId: 't', elementType: 'bpmn:UserTask' },
      { code: 'BAD_DEADLINE', elementId: 't', elementType: 'bpmn:UserTask' },
    ]);
  });

  test('an error boundary on a human step, a sub-process with no start event, an event gateway to a task', async () => {
    const ps =
      await problems(`${S}<bpmn:userTask id="t"/><bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
      <bpmn:subProcess id="sp"/><bpmn:eventBasedGateway id="eg"/><bpmn:userTask id="u"/><bpmn:userTask id="v"/>
      ${flows('s>t', 't>sp', 'sp>eg', 'eg>u', 'eg>v')}`);
    expect(ps.map((p) => `${p.code} ${p.elementId}`)).toEqual([
      'BAD_SUB_PROCESS sp',
      'BAD_BOUNDARY_EVENT b',
      'BAD_EVENT_GATEWAY eg',
      'BAD_EVENT_GATEWAY eg',
    ]);
  });

  test('the outgoing order is the modeler order (<outgoing> refs) when given', async () => {
    const a = await compile(
      bpmn(`${S}<bpmn:exclusiveGateway id="g" default="d"><bpmn:outgoing>c2</bpmn:outgoing><bpmn:outgoing>c1</bpmn:outgoing><bpmn:outgoing>d</bpmn:outgoing></bpmn:exclusiveGateway>
        <bpmn:endEvent id="a"/>${flows('s>g', 'd:g>a')}${cond('c1', 'g', 'a', 'true')}${cond('c2', 'g', 'a', 'true')}`),
    );
    expect(a.nodes.g?.outgoing).toEqual(['c2', 'c1', 'd']);
  });

  test('a collaboration: the executable process with flow nodes is compiled', async () => {
    const xml = bpmn(`${S}<bpmn:endEvent id="e"/>${flows('s>e')}`).replace(
      '<bpmn:process',
      '<bpmn:collaboration id="c"><bpmn:participant id="p1" processRef="P"/><bpmn:participant id="p2" processRef="Other"/></bpmn:collaboration><bpmn:process id="Other" isExecutable="false"/><bpmn:process',
    );
    expect((await compile(xml)).processId).toBe('P');
  });
});
