import { describe, expect, test } from 'vitest';
import { replay } from '../../src/index.js';
import { app, Driver, flows } from './helpers.js';

const link = (id: string, kind: 'Throw' | 'Catch', name: string) =>
  `<bpmn:intermediate${kind}Event id="${id}"><bpmn:linkEventDefinition name="${name}"/></bpmn:intermediate${kind}Event>`;

describe('link events', () => {
  test('a throw continues at the catch of the same name (same scope), as one jump', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${link('go', 'Throw', 'A')}${link('land', 'Catch', 'A')}${link('other', 'Catch', 'B')}
         <bpmn:userTask id="t"/><bpmn:endEvent id="e"/>${flows('s>go', 'land>t', 'other>e', 't>e')}`,
      ),
    );
    const r = d.start();
    expect(r.events.map((e) => e.type)).toEqual([
      'IssueStarted',
      'FlowTaken',
      'LinkFollowed',
      'FlowTaken',
      'TaskOpened',
    ]);
    expect(r.events[2]).toEqual({ type: 'LinkFollowed', token: 1, link: 'go', node: 'land' });
    expect(r.state?.tokens[1]).toEqual({ id: 1, node: 't', via: 'f2' });
    expect(replay(r.events)).toEqual(r.state);
  });

  test('the same name in a sub-process is another link', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/>${link('land', 'Catch', 'A')}<bpmn:endEvent id="e"/>
         <bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>${link('go', 'Throw', 'A')}${link('inner', 'Catch', 'A')}<bpmn:endEvent id="se"/>
           ${flows('i1:ss>go', 'i2:inner>se')}</bpmn:subProcess>${flows('s>sub', 'sub>e', 'land>e')}`,
      ),
    );
    const r = d.start();
    expect(r.events.find((e) => e.type === 'LinkFollowed')).toMatchObject({ link: 'go', node: 'inner' });
    expect(r.effects).toEqual([{ type: 'EndIssue', status: 'completed' }]);
  });
});

describe('sub-process without a start event (implicit start)', () => {
  test('every step without incoming flows starts; the scope ends when all are done', async () => {
    const d = new Driver(
      await app(
        `<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>
         <bpmn:subProcess id="sub"><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:serviceTask id="c"/>
           <bpmn:boundaryEvent id="bt" attachedToRef="a"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
           <bpmn:endEvent id="be"/>${flows('i1:a>c', 'i2:bt>be')}</bpmn:subProcess>${flows('s>sub', 'sub>e')}`,
      ),
    );
    const r = d.start();
    expect(r.events.find((e) => e.type === 'ScopeStarted')).toEqual({
      type: 'ScopeStarted',
      scope: 2,
      node: 'sub',
      token: 1,
      start: 'a',
      startToken: 3,
      alsoStart: [{ node: 'b', token: 4 }],
    });
    expect(r.effects.map((e) => `${e.type} ${'node' in e ? e.node : ''}`)).toEqual([
      'ScheduleTimer bt',
      'OpenTask a',
      'OpenTask b',
    ]);
    expect(replay(r.events)).toEqual(r.state);
    d.run({ type: 'CompleteTask', seq: d.seqAt('b'), operator: 'u' });
    d.run({ type: 'CompleteTask', seq: d.seqAt('a'), operator: 'u' });
    const last = d.run({ type: 'JobSucceeded', seq: d.seqAt('c') });
    expect(last.effects).toEqual([{ type: 'EndIssue', status: 'completed' }]);
    expect(replay(d.events)).toEqual(d.state);
  });
});
