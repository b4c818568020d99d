import { ManualClock } from '../../src/runtime/clock.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime/runtime.js';
import type { StoreConfig } from '../../src/store/config.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export const T0 = '2026-01-05T09:00:00.000Z'; // a Monday

export interface TestRuntime {
  readonly runtime: Runtime;
  readonly store: Store;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

/** A runtime over a freshly migrated store, on a manual clock at T0 unless given one. */
export async function openRuntime(
  config: StoreConfig,
  options: RuntimeOptions & { clock?: ManualClock } = {},
): Promise<TestRuntime> {
  const store = await openStore(config);
  await migrateToLatest(store);
  const clock = options.clock ?? new ManualClock(T0);
  const runtime = createRuntime(store, { ...options, clock });
  return {
    runtime,
    store,
    clock,
    async close() {
      await runtime.close();
      await store.close();
    },
  };
}

/** Wraps process content in a definitions document with the bpmn, xsi and nagare namespaces. */
export function bpmn(content: string, opts: { items?: string; id?: string } = {}): string {
  const items = opts.items
    ? `<bpmn:extensionElements><nagare:dataItems>${opts.items}</nagare:dataItems></bpmn:extensionElements>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0"
  id="defs" targetNamespace="urn:test">
  <bpmn:process id="${opts.id ?? 'P'}" isExecutable="true">${items}${content}
  </bpmn:process>
</bpmn:definitions>`;
}

/** `a>b` sequence flows, ids f1, f2, ... (or `id:a>b`). */
export function flows(...specs: string[]): string {
  return specs
    .map((s, i) => {
      const [id, rest] = s.includes(':') ? (s.split(':') as [string, string]) : [`f${i + 1}`, s];
      const [src, tgt] = rest.split('>') as [string, string];
      return `<bpmn:sequenceFlow id="${id}" sourceRef="${src}" targetRef="${tgt}"/>`;
    })
    .join('\n');
}

/** S1: start → update data → exclusive gateway → end (TARGETS.md). */
export const S1 = bpmn(
  `<bpmn:startEvent id="start"/>
   <bpmn:serviceTask id="set"><bpmn:extensionElements><nagare:automation type="updateData"><nagare:assign item="amount" expression="42"/></nagare:automation></bpmn:extensionElements></bpmn:serviceTask>
   <bpmn:exclusiveGateway id="gw" default="low"/>
   <bpmn:sequenceFlow id="high" sourceRef="gw" targetRef="endHigh"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">amount &gt; 10</bpmn:conditionExpression></bpmn:sequenceFlow>
   <bpmn:sequenceFlow id="low" sourceRef="gw" targetRef="endLow"/>
   <bpmn:endEvent id="endHigh"/><bpmn:endEvent id="endLow"/>
   ${flows('a:start>set', 'b:set>gw')}`,
  { items: '<nagare:dataItem fieldName="amount" type="numeric"/>' },
);

/** S2: start → user task → end. */
export const S2 = bpmn(
  `<bpmn:startEvent id="start"/><bpmn:userTask id="review" name="Review"/><bpmn:endEvent id="end"/>
   ${flows('start>review', 'review>end')}`,
);

/** n parallel branches, each a user task, joined. */
export function parallelTasks(n: number): string {
  const ids = Array.from({ length: n }, (_, i) => `t${i + 1}`);
  return bpmn(
    `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="split"/><bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
     ${ids.map((id) => `<bpmn:userTask id="${id}"/>`).join('')}
     ${flows('start>split', 'join>end', ...ids.flatMap((id) => [`s_${id}:split>${id}`, `j_${id}:${id}>join`]))}`,
  );
}

/** start → automated step of `type` (configs as given) → end, with an optional error boundary. */
export function automated(type: string, configs: Record<string, string> = {}, maxAttempts?: number): string {
  const c = Object.entries(configs)
    .map(
      ([k, v]) =>
        `<nagare:config name="${k}">${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</nagare:config>`,
    )
    .join('');
  const max = maxAttempts === undefined ? '' : ` maxAttempts="${maxAttempts}"`;
  return bpmn(
    `<bpmn:startEvent id="start"/>
     <bpmn:serviceTask id="call"><bpmn:extensionElements><nagare:automation type="${type}"${max}>${c}</nagare:automation></bpmn:extensionElements></bpmn:serviceTask>
     <bpmn:endEvent id="end"/>${flows('start>call', 'call>end')}`,
    {
      items:
        '<nagare:dataItem fieldName="status" type="numeric"/><nagare:dataItem fieldName="body" type="string"/>',
    },
  );
}
