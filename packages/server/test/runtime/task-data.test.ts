import { expect, it } from 'vitest';
import type { RuntimeError } from '../../src/runtime/errors.js';
import { describeEachDialect } from '../support/dialects.js';
import { openRuntime } from '../support/runtime.js';

/** One task, `review`: q_title read-only, q_amount editable and required, q_secret hidden. */
const APP = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="defs" targetNamespace="urn:test">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:extensionElements><nagare:dataItems>
      <nagare:dataItem number="1" fieldName="q_title" name="Title" type="string" />
      <nagare:dataItem number="2" fieldName="q_amount" name="Amount" type="numeric" min="0" />
      <nagare:dataItem number="3" fieldName="q_secret" name="Secret" type="string" />
    </nagare:dataItems></bpmn:extensionElements>
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements><nagare:dataAccess>
        <nagare:access item="q_title" mode="read" />
        <nagare:access item="q_amount" mode="write" required="true" />
      </nagare:dataAccess></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>`;

async function refusal(p: Promise<unknown>): Promise<{ code: string; items: string[] }> {
  try {
    await p;
  } catch (error) {
    const e = error as RuntimeError;
    const details = (Array.isArray(e.details) ? e.details : []) as { fieldName: string; code: string }[];
    return { code: e.code, items: details.map((d) => `${d.fieldName}:${d.code}`) };
  }
  return { code: 'resolved', items: [] };
}

describeEachDialect("a task writes only what its step's access allows", ({ config }) => {
  it('hidden and read-only items cannot be written, required ones must be filled; a refusal changes nothing', async () => {
    const t = await openRuntime(config());
    try {
      const { appId } = await t.runtime.deploy({ bpmn: APP });
      const { issueId } = await t.runtime.startIssue({ appId, data: { q_title: 'Trip', q_secret: 's3' } });
      const [task] = await t.runtime.listTasks({ issueId });
      const complete = (data: Record<string, unknown>) =>
        refusal(t.runtime.completeTask({ taskId: task!.id, operator: 'ann', data }));

      expect(await complete({ q_amount: 5, q_secret: 'leak' })).toEqual({
        code: 'INVALID_DATA',
        items: ['q_secret:HIDDEN'],
      });
      expect(await complete({ q_amount: 5, q_title: 'Changed' })).toEqual({
        code: 'INVALID_DATA',
        items: ['q_title:READ_ONLY'],
      });
      expect((await complete({ q_amount: -1 })).code).toBe('INVALID_DATA');
      expect(await complete({ q_title: 'Trip' })).toEqual({
        code: 'INVALID_DATA',
        items: ['q_amount:REQUIRED'],
      });
      expect(await complete({ q_nope: 1, q_amount: 2 })).toEqual({
        code: 'INVALID_DATA',
        items: ['q_nope:UNKNOWN_ITEM'],
      });
      expect((await t.runtime.getIssue(issueId)).version).toBe(1);

      // A hidden item is refused even with its current value: a right guess must not pass
      // where a wrong one is refused (that would tell the hidden value).
      expect(await complete({ q_amount: 5, q_secret: 's3' })).toEqual({
        code: 'INVALID_DATA',
        items: ['q_secret:HIDDEN'],
      });
      // Data given, even none, is a form submission: required items must have a value.
      expect(await complete({})).toEqual({ code: 'INVALID_DATA', items: ['q_amount:REQUIRED'] });
      expect((await t.runtime.getIssue(issueId)).version).toBe(1);

      // Read-only values sent back unchanged are not writes.
      const done = await t.runtime.completeTask({
        taskId: task!.id,
        operator: 'ann',
        data: { q_title: 'Trip', q_amount: '12' },
      });
      expect(done.state.status).toBe('completed');
      expect(done.state.data).toMatchObject({ q_title: 'Trip', q_secret: 's3' });
      expect(Number(done.state.data.q_amount)).toBe(12);

      // Once done, data is not looked at: the task is not open.
      expect((await complete({ q_secret: 'x' })).code).toBe('TASK_NOT_OPEN');
    } finally {
      await t.close();
    }
  });

  it("someone else's completion is refused as NOT_YOUR_TASK before the data is looked at; files are appended to their item", async () => {
    const files = APP.replace(
      '<nagare:dataItem number="3" fieldName="q_secret" name="Secret" type="string" />',
      '<nagare:dataItem number="3" fieldName="q_secret" name="Secret" type="string" /><nagare:dataItem number="4" fieldName="q_files" name="Files" type="file" />',
    ).replace(
      '<nagare:access item="q_amount" mode="write" required="true" />',
      '<nagare:access item="q_amount" mode="write" required="true" /><nagare:access item="q_files" mode="write" />',
    );
    const t = await openRuntime(config(), { operators: () => ['ann'] });
    try {
      const { appId } = await t.runtime.deploy({ bpmn: files });
      const a = { id: 'f1', name: 'a.txt', contentType: 'text/plain', size: 1 };
      const b = { id: 'f2', name: 'b.txt', contentType: 'text/plain', size: 2 };
      const { issueId } = await t.runtime.startIssue({ appId, data: { q_files: [a] } });
      const [task] = await t.runtime.listTasks({ issueId });
      expect(task?.assignee).toBe('ann');

      // when: bob sends data that would be refused anyway
      const bob = await refusal(
        t.runtime.completeTask({ taskId: task!.id, operator: 'bob', data: { q_secret: 'x' } }),
      );

      // then: he learns only that it is not his
      expect(bob).toEqual({ code: 'NOT_YOUR_TASK', items: [] });

      const done = await t.runtime.completeTask({
        taskId: task!.id,
        operator: 'ann',
        data: { q_amount: 1 },
        files: { q_files: [b] },
      });
      expect(done.state.data.q_files).toEqual([a, b]);
    } finally {
      await t.close();
    }
  });
});
