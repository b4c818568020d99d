import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type NagareApp } from '../../../src/api/app.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { createRuntime, type Runtime } from '../../../src/runtime/runtime.js';
import { resolveStoreConfig, type StoreConfig } from '../../../src/store/config.js';
import { openStore, type Store } from '../../../src/store/database.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { type SeededWorkspace, seedWorkspace } from '../../support/identity.js';

export interface WorkflowTestApp {
  readonly app: NagareApp;
  readonly store: Store;
  readonly runtime: Runtime;
  readonly files: LocalFileStore;
  readonly ws: SeededWorkspace;
  readonly other: SeededWorkspace;
  close(): Promise<void>;
}

/**
 * The app over a migrated SQLite store with a runtime whose tasks go to `alice`, a real
 * LocalFileStore, the default workspace (alice: App creator; bob: a plain user) and a second
 * workspace (eve) for the cross-workspace checks.
 */
export async function buildWorkflowApp(
  config?: StoreConfig,
  options: { lanes?: boolean; webhooks?: boolean; messageRatePerMinute?: number } = {},
): Promise<WorkflowTestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nagare-wf-'));
  const store = await openStore(config ?? resolveStoreConfig({ dataDir }));
  await migrateToLatest(store);
  const ws = await seedWorkspace(store, {
    workspaceId: 'default',
    users: [{ key: 'alice', authorities: ['appCreator'] }, { key: 'bob' }, { key: 'carol' }],
  });
  const other = await seedWorkspace(store, { users: [{ key: 'eve', authorities: ['appCreator'] }] });
  const alice = ws.users.alice?.id as string;
  // Tasks go to alice unless the test asks for the swimlane rules (`lanes: true`).
  const runtime = createRuntime(store, options.lanes ? {} : { operators: () => [alice] });
  const files = new LocalFileStore({ store, root: join(dataDir, 'files'), maxFileBytes: 1024 * 1024 });
  const app = await buildApp({
    store,
    workflow: {
      runtime,
      files,
      webhooks: options.webhooks ?? false,
      ...(options.messageRatePerMinute === undefined
        ? {}
        : { messageRatePerMinute: options.messageRatePerMinute }),
    },
  });
  return {
    app,
    store,
    runtime,
    files,
    ws,
    other,
    async close() {
      await app.close();
      await runtime.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** An App: start form (title, amount), a review task (amount read, note edit, secret hidden, file edit), message start and catch. */
export const REVIEW_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="defs" targetNamespace="urn:test">
  <bpmn:process id="Review" name="Review" isExecutable="true">
    <bpmn:extensionElements>
      <nagare:dataItems>
        <nagare:dataItem number="0" fieldName="title" name="Title" type="string" />
        <nagare:dataItem number="1" fieldName="amount" name="Amount" type="numeric" />
        <nagare:dataItem number="2" fieldName="note" name="Note" type="string" />
        <nagare:dataItem number="3" fieldName="secret" name="Secret" type="string" />
        <nagare:dataItem number="4" fieldName="attachment" name="Attachment" type="file" />
      </nagare:dataItems>
    </bpmn:extensionElements>
    <bpmn:startEvent id="start" name="Apply">
      <bpmn:extensionElements>
        <nagare:dataAccess>
          <nagare:access item="title" mode="edit" required="true" />
          <nagare:access item="amount" mode="edit" />
        </nagare:dataAccess>
      </bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:startEvent id="byHttp" name="By HTTP">
      <bpmn:extensionElements><nagare:messageKey channel="http" key="s3cret" /></bpmn:extensionElements>
      <bpmn:messageEventDefinition id="md1" />
    </bpmn:startEvent>
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements>
        <nagare:dataAccess>
          <nagare:access item="title" mode="read" />
          <nagare:access item="amount" mode="read" />
          <nagare:access item="note" mode="edit" required="true" />
          <nagare:access item="attachment" mode="edit" />
        </nagare:dataAccess>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:intermediateCatchEvent id="wait" name="Wait for payment">
      <bpmn:extensionElements><nagare:messageKey channel="http" key="paykey" /></bpmn:extensionElements>
      <bpmn:messageEventDefinition id="md2" />
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f0" sourceRef="byHttp" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="wait" />
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** Creates an App from `bpmn` through the API and releases its first version; its id. */
export async function releasedApp(
  t: WorkflowTestApp,
  headers: Record<string, string>,
  bpmn: string,
): Promise<string> {
  const appId: string = (
    await t.app.inject({ method: 'POST', url: '/api/apps', headers, payload: { bpmn } })
  ).json().appId;
  await t.app.inject({ method: 'POST', url: `/api/apps/${appId}/versions/1/release`, headers, payload: {} });
  return appId;
}
