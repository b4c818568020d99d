import { parseBpmn } from '@nagare/engine';
import { describe, expect, it } from 'vitest';
import { InMemoryDirectory, readLaneOperators, resolveLane } from '../../src/index.js';
import { SEED } from './support/org-chart.js';
import { ids, swimlaneRules } from './support/swimlane-rules.js';

describe('the seed org chart', () => {
  it('is realistic enough', () => {
    expect(SEED.users.length).toBeGreaterThanOrEqual(30);
    expect(SEED.organizations.length).toBeGreaterThanOrEqual(10);
    expect(SEED.roles?.length).toBeGreaterThanOrEqual(3);
  });
});

describe('swimlane rules over the in-memory directory', () => {
  swimlaneRules(() => new InMemoryDirectory(SEED));
});

describe('reading nagare:operators from BPMN', () => {
  const dir = new InMemoryDirectory(SEED);
  it('reads every rule kind, exclusions, allocation and team', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="d" targetNamespace="urn:t">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:laneSet id="LS">
      <bpmn:lane id="L_apply" name="Applicant">
        <bpmn:extensionElements><nagare:operators>
          <nagare:operatorRule kind="organization" organization="sales" includeSubOrganizations="true" position="members" />
          <nagare:operatorRule kind="authority" authority="processManager" />
          <nagare:operatorRule kind="role" role="auditor" />
        </nagare:operators></bpmn:extensionElements>
        <bpmn:flowNodeRef>T1</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="L_approve" name="Boss">
        <bpmn:extensionElements><nagare:operators allocation="oneUser">
          <nagare:operatorRule kind="relation" relation="boss" />
          <nagare:operatorRule kind="relation" lane="L_apply" relation="parentOrganization" position="leader" />
          <nagare:operatorRule kind="item" item="q_owner" />
          <nagare:operatorRule kind="user" user="u01" />
          <nagare:operatorRule kind="magic" />
          <nagare:exclusion lane="L_apply" />
        </nagare:operators></bpmn:extensionElements>
        <bpmn:childLaneSet id="LS2">
          <bpmn:lane id="L_team"><bpmn:extensionElements><nagare:operators team="true" completion="all">
            <nagare:operatorRule kind="organization" organization="hr" />
          </nagare:operators></bpmn:extensionElements></bpmn:lane>
        </bpmn:childLaneSet>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:userTask id="T1" />
  </bpmn:process>
</bpmn:definitions>`;
    const { definitions } = await parseBpmn(xml);
    const { lanes, problems } = readLaneOperators(definitions);
    expect(lanes).toEqual([
      {
        laneId: 'L_apply',
        laneName: 'Applicant',
        allocation: 'offer',
        rules: [
          { kind: 'organization', organization: 'sales', includeSubOrganizations: true, position: 'member' },
          { kind: 'authority', authority: 'processManager' },
          { kind: 'role', role: 'auditor' },
        ],
        exclusions: [],
      },
      {
        laneId: 'L_approve',
        laneName: 'Boss',
        allocation: 'oneUser',
        rules: [
          { kind: 'relation', relation: 'boss' },
          { kind: 'relation', lane: 'L_apply', relation: 'parentOrganization', position: 'leader' },
          { kind: 'item', item: 'q_owner' },
          { kind: 'user', user: 'u01' },
        ],
        exclusions: ['L_apply'],
      },
      {
        laneId: 'L_team',
        allocation: 'offer',
        rules: [{ kind: 'organization', organization: 'hr' }],
        exclusions: [],
        team: true,
      },
    ]);
    expect(problems).toEqual([
      {
        laneId: 'L_approve',
        message:
          'L_approve, rule 5: kind "magic" is not user, organization, authority, item, relation or role',
      },
    ]);
    // and they resolve
    const r = resolveLane(dir, lanes[1]!, {
      appId: 'expense',
      lanes: lanes.map((l) => l.laneId),
      starter: { userId: 'u04' },
      laneOperators: { L_apply: [{ userId: 'u04' }] },
      data: { q_owner: 'u05' },
    });
    expect(ids(r)).toEqual(['u01', 'u02', 'u03', 'u05']);
  });
});
