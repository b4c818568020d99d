/**
 * For connector tests: a BPMN of start → one automated step of `type` (configs as given) →
 * end, with the data items given as `fieldName: type` pairs; and a runtime run of it.
 */
import type { DataValues } from '@nagare/engine';
import { type Connector, createConnectorRegistry } from '../../../src/connectors/connector.js';
import type { IncidentView } from '../../../src/runtime/runtime.js';
import type { StoreConfig } from '../../../src/store/config.js';
import { bpmn, flows, openRuntime, type TestRuntime } from '../../support/runtime.js';

export function stepApp(
  type: string,
  configs: Record<string, string>,
  items: Record<string, string>,
  options: { element?: 'serviceTask' | 'sendTask' | 'throwEvent' } = {},
): string {
  const xmlText = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const c = Object.entries(configs)
    .map(([k, v]) => `<nagare:config name="${k}">${xmlText(v)}</nagare:config>`)
    .join('');
  const automation = `<bpmn:extensionElements><nagare:automation type="${type}" maxAttempts="1">${c}</nagare:automation></bpmn:extensionElements>`;
  const step =
    options.element === 'throwEvent'
      ? `<bpmn:intermediateThrowEvent id="call">${automation}<bpmn:messageEventDefinition/></bpmn:intermediateThrowEvent>`
      : `<bpmn:${options.element ?? 'serviceTask'} id="call">${automation}</bpmn:${options.element ?? 'serviceTask'}>`;
  const dataItems = Object.entries(items)
    .map(([name, t]) => `<nagare:dataItem fieldName="${name}" type="${t}"/>`)
    .join('');
  return bpmn(
    `<bpmn:startEvent id="start"/>${step}<bpmn:endEvent id="end"/>${flows('start>call', 'call>end')}`,
    {
      items: dataItems,
    },
  );
}

export interface StepRun {
  readonly issueId: string;
  readonly appId: string;
  readonly status: string;
  readonly data: DataValues;
  readonly incidents: readonly IncidentView[];
  readonly t: TestRuntime;
}

/**
 * Deploys the app, starts an issue with `data`, runs one worker pass and returns the issue.
 * The connector is made once the runtime (and its store) exists. The runtime stays open
 * (`run.t.close()`), so callers can look further.
 */
export async function runStep(
  config: StoreConfig,
  type: string,
  connector: (t: TestRuntime) => Connector,
  app: string,
  data: DataValues,
  /** Runs after the deploy, before the issue starts (e.g. to save authorization settings). */
  before?: (t: TestRuntime, appId: string) => Promise<void>,
): Promise<StepRun> {
  let made: Connector | undefined;
  const registry = createConnectorRegistry([{ type, run: (job, signal) => made!.run(job, signal) }]);
  const t = await openRuntime(config, { connectors: registry });
  made = connector(t);
  const { appId } = await t.runtime.deploy({ bpmn: app });
  await before?.(t, appId);
  const { issueId } = await t.runtime.startIssue({ appId, data });
  await t.runtime.createWorker().runOnce();
  const issue = await t.runtime.getIssue(issueId);
  const incidents = await t.runtime.listIncidents({ issueId });
  return { issueId, appId, status: issue.status, data: issue.state.data, incidents, t };
}
