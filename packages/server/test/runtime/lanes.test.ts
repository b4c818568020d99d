import { expect, it } from 'vitest';
import { storeDirectorySeed } from '../../src/identity/store-directory.js';
import { DEFAULT_WORKSPACE } from '../../src/runtime/runtime.js';
import { SEED, seedMembers } from '../identity/support/org-chart.js';
import { describeEachDialect } from '../support/dialects.js';
import { flows, openRuntime } from '../support/runtime.js';

/**
 * apply (lane: the members of sales-tokyo, offered) → approve (lane: the starter's boss) →
 * check (lane: sales-tokyo again, but not whoever applied).
 */
const LANES = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="d" targetNamespace="urn:t">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:laneSet id="LS">
      <bpmn:lane id="L_apply" name="Applicant">
        <bpmn:extensionElements><nagare:operators>
          <nagare:operatorRule kind="organization" organization="sales-tokyo" />
        </nagare:operators></bpmn:extensionElements>
        <bpmn:flowNodeRef>apply</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="L_approve" name="Boss">
        <bpmn:extensionElements><nagare:operators>
          <nagare:operatorRule kind="relation" relation="boss" />
        </nagare:operators></bpmn:extensionElements>
        <bpmn:flowNodeRef>approve</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="L_check" name="Checker">
        <bpmn:extensionElements><nagare:operators>
          <nagare:operatorRule kind="organization" organization="sales-tokyo" />
          <nagare:exclusion lane="L_apply" />
        </nagare:operators></bpmn:extensionElements>
        <bpmn:flowNodeRef>check</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="L_free" name="Anyone">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"/><bpmn:userTask id="apply"/><bpmn:userTask id="approve"/>
    <bpmn:userTask id="check"/><bpmn:endEvent id="end"/>
    ${flows('start>apply', 'apply>approve', 'approve>check', 'check>end')}
  </bpmn:process>
</bpmn:definitions>`;

describeEachDialect(
  'tasks get their candidates from the swimlane rules when the token arrives',
  ({ config }) => {
    it('offers, allocates and excludes by the stored org chart; the candidates are stored on the task', async () => {
      const t = await openRuntime(config());
      try {
        await storeDirectorySeed(t.store.db, DEFAULT_WORKSPACE, SEED);
        const { appId } = await t.runtime.deploy({ bpmn: LANES });
        const { issueId } = await t.runtime.startIssue({ appId, by: 'u04' });

        const tokyo = seedMembers('sales-tokyo').filter((u) => u !== 'u32'); // u32 is suspended
        const [apply] = await t.runtime.listTasks({ issueId });
        expect(apply).toMatchObject({ node: 'apply', status: 'offered', assignee: null });
        expect([...(apply!.candidates ?? [])].sort()).toEqual([...tokyo].sort());
        const stored = await t.store.db
          .selectFrom('task_candidate')
          .select('user_id')
          .where('task_id', '=', apply!.id)
          .execute();
        expect(stored.map((r) => r.user_id).sort()).toEqual([...tokyo].sort());

        await t.runtime.completeTask({ taskId: apply!.id, operator: 'u05' });
        const [approve] = await t.runtime.listTasks({ issueId });
        // The starter u04's boss: the leader of sales-tokyo.
        expect(approve).toMatchObject({
          node: 'approve',
          status: 'allocated',
          assignee: 'u03',
          candidates: ['u03'],
        });

        await t.runtime.completeTask({ taskId: approve!.id, operator: 'u03' });
        const [check] = await t.runtime.listTasks({ issueId });
        expect(check!.node).toBe('check');
        expect([...(check!.candidates ?? [])].sort()).toEqual(tokyo.filter((u) => u !== 'u05').sort());
      } finally {
        await t.close();
      }
    });

    it('rules that find nobody leave the task offered to no one (a process manager reassigns it)', async () => {
      const t = await openRuntime(config());
      try {
        // No people stored: the organization rule finds nobody.
        const { appId } = await t.runtime.deploy({ bpmn: LANES });
        const { issueId } = await t.runtime.startIssue({ appId });
        const [apply] = await t.runtime.listTasks({ issueId });
        expect(apply).toMatchObject({ status: 'offered', assignee: null, candidates: [] });
      } finally {
        await t.close();
      }
    });
  },
);
