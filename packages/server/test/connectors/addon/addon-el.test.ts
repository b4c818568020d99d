/**
 * `#{…}` in el-enabled add-on configs: the documented forms expanded with the issue's data
 * (data items by field name, the issue's id, title, start time and starter, dates formatted
 * with #dateFormatter, numbers with #sformat), clear errors for what is unknown and for
 * anything beyond the grammar; every el-enabled config of the shared corpus expands; and the
 * corpus's text-file generator run through the runtime writes the expanded text into a file
 * (LocalFileStore on a temp dir) named after the issue.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataItemSpec } from '@nagare/engine';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../../../../scripts/shared-dir.js';
import { addonLoader, importAddon } from '../../../src/addons/addon-store.js';
import { parseAddonXml } from '../../../src/addons/addon-xml.js';
import { readAddonConfigs } from '../../../src/connectors/addon/config.js';
import { addonConnector } from '../../../src/connectors/addon/connector.js';
import { type ElContext, expandEl } from '../../../src/connectors/addon/el.js';
import { createConnectorRegistry } from '../../../src/connectors/connector.js';
import type { FileRef } from '../../../src/files/file-store.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { createUser } from '../../../src/identity/users.js';
import { ManualClock } from '../../../src/runtime/clock.js';
import { createRuntime } from '../../../src/runtime/runtime.js';
import { addonFiles } from '../../../src/script/harness/run-corpus.js';
import { openStore } from '../../../src/store/database.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { describeEachDialect } from '../../support/dialects.js';
import { bpmn, flows, T0 } from '../../support/runtime.js';

const dir = join(sharedDir(), 'addon-corpus', 'questetra-addon-xml');

const spec = (fieldName: string, valueType: string): DataItemSpec =>
  ({ fieldName, type: valueType, valueType }) as DataItemSpec;

const ctx: ElContext = {
  issueId: '12345',
  title: 'Order from ACME',
  startedAt: '2026-03-13T23:45:00.000Z',
  starter: { id: 'u1', name: 'SUZUKI Ichiro', email: 'suzuki@example.com' },
  appId: 'app-7',
  appName: 'Orders',
  items: {
    q_customer: spec('q_customer', 'string'),
    q_amount: spec('q_amount', 'numeric'),
    q_due: spec('q_due', 'date'),
    q_at: spec('q_at', 'datetime'),
    q_owner: spec('q_owner', 'user'),
    q_kind: spec('q_kind', 'select'),
    q_empty: spec('q_empty', 'string'),
    q_lines: spec('q_lines', 'table'),
  },
  data: {
    q_customer: 'ACME, Inc.',
    q_amount: 1234567,
    q_due: '2026-04-01',
    q_at: '2026-03-31T15:30:00.000Z',
    q_owner: { id: 'u2', name: 'Hanako', email: 'hanako@example.com' },
    q_kind: ['rush'],
    q_lines: [],
  },
  zone: 'Asia/Tokyo',
};

const expand = (text: string) => expandEl(text, ctx);

describe('EL in add-on configs', () => {
  it.each([
    ['Customer: #{#q_customer}', 'Customer: ACME, Inc.'],
    ['p#{processInstanceId}', 'p12345'],
    [
      '#{processInstanceTitle} (#{processModelInfoName}, #{processModelInfoId})',
      'Order from ACME (Orders, app-7)',
    ],
    ['#{processInstanceStartDatetime}', '2026-03-14 08:45:00'],
    [
      '#{processInstanceInitQuserName} <#{processInstanceInitQuser?.getEmail()}>',
      'SUZUKI Ichiro <suzuki@example.com>',
    ],
    ['#{#q_owner?.getName()} / #{#q_owner.email} / #{#q_owner}', 'Hanako / hanako@example.com / Hanako'],
    ['#{#q_kind.getValue()}', 'rush'],
    ['[#{#q_empty}] [#{#q_empty?.toString()}]', '[] []'],
    ["#{#dateFormatter.format('yyyy/MM/dd', #q_due)}", '2026/04/01'],
    [
      "#{#dateFormatter.format('dd.MM.yyyy HH:mm (E) Z', processInstanceStartDatetime)}",
      '14.03.2026 08:45 (Sat) +0900',
    ],
    ["#{#dateFormatter.format('yyyy-MM-dd HH:mm', #q_at)} / #{#q_at}", '2026-04-01 00:30 / 2026-04-01 00:30'],
    ["#{#dateFormatter.format('GMT', 'HH:mm', #q_at)}", '15:30'],
    ["#{#sformat('%06d', processInstanceId)}-#{#sformat('%,d', #q_amount)}", '012345-1,234,567'],
    ["#{#sformat('%s is %.2f', #q_customer, #q_amount)}", 'ACME, Inc. is 1234567.00'],
    ['no expression, just #text and {braces}', 'no expression, just #text and {braces}'],
    ["#{'a quoted } brace'}", 'a quoted } brace'],
  ])('%s', (text, expected) => {
    expect(expand(text)).toEqual({ ok: true, text: expected });
  });

  it.each([
    ['#{#q_nope}', 'no data item "q_nope" in this App'],
    ['#{processInstanceFoo}', 'unknown name processInstanceFoo'],
    ['#{#q_owner.getPassword()}', '.getPassword is not available here'],
    ['#{#q_lines}', 'data item "q_lines" is a table'],
    ['#{#q_empty.getName()}', '.getName of an empty value (use ?.getName)'],
    ["#{T(java.lang.Runtime).getRuntime().exec('id')}", 'unknown name T'],
    ["#{new java.io.File('/etc/passwd')}", 'unknown name new'],
    ['#{#q_customer + 1}', 'expected }'],
    ["#{#dateFormatter.format('yyyy', #q_customer)}", 'the value is not a date or datetime'],
    ["#{#sformat('%d', #q_customer)}", '%d needs a number'],
    ['#{#q_customer', 'expected }'],
  ])('refuses %s', (text, message) => {
    const r = expand(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('expands every el-enabled config of the shared corpus (and leaves other configs as written)', () => {
    let count = 0;
    for (const file of addonFiles(dir)) {
      const parsed = parseAddonXml(readFileSync(join(dir, file), 'utf8'));
      if (!parsed.ok) throw new Error(`${file}: ${parsed.problem.message}`);
      for (const c of parsed.addon.configs) {
        if (!c.elEnabled) continue;
        count++;
        const r = readAddonConfigs(
          { configs: [c] },
          { [c.name]: 'Dear #{#q_customer}, #{processInstanceId}' },
          [],
          ctx,
        );
        expect(r.ok, `${file} ${c.name}`).toBe(true);
        if (r.ok) expect(r.configs[c.name]!.value, `${file} ${c.name}`).toBe('Dear ACME, Inc., 12345');
        const bad = readAddonConfigs({ configs: [c] }, { [c.name]: '#{#q_missing}' }, [], ctx);
        expect(bad).toEqual({ ok: false, error: `config "${c.name}": no data item "q_missing" in this App` });
      }
    }
    expect(count).toBeGreaterThanOrEqual(30);
    const plain = parseAddonXml(readFileSync(join(dir, 'slack-chat-post-webhook.xml'), 'utf8'));
    if (!plain.ok) throw new Error('slack-chat-post-webhook.xml');
    const notEl = plain.addon.configs.find((c) => !c.elEnabled && c.formType === 'TEXTFIELD');
    if (notEl) {
      const r = readAddonConfigs(
        { configs: [notEl] },
        { [notEl.name]: 'as #{#q_customer} written' },
        [],
        ctx,
      );
      expect(r.ok && r.configs[notEl.name]!.value).toBe('as #{#q_customer} written');
    }
  });
});

describeEachDialect('EL through an add-on step', ({ config }) => {
  it('the corpus text-file generator writes the expanded text into a file named after the issue', async () => {
    const root = await mkdtemp(join(tmpdir(), 'nagare-el-'));
    const store = await openStore(config());
    await migrateToLatest(store);
    const fileStore = new LocalFileStore({ store, root });
    const connectors = createConnectorRegistry([
      addonConnector({ addons: addonLoader(store.db), fileStore }),
    ]);
    const t = { store, runtime: createRuntime(store, { connectors, clock: new ManualClock(T0) }) };
    const files = { store: fileStore };
    try {
      await t.store.db
        .updateTable('workspace')
        .set({ time_zone: 'Asia/Tokyo' })
        .where('id', '=', 'default')
        .execute();
      const user = await createUser(t.store.db, 'default', {
        name: 'SUZUKI Ichiro',
        email: 'suzuki@example.com',
      });
      await importAddon(t.store.db, {
        workspaceId: 'default',
        addonId: 'generator-textfile',
        xml: readFileSync(join(dir, 'generator-textfile.xml'), 'utf8'),
      });
      const configs: Record<string, string> = {
        File_DataId: 'q_file',
        File_Name: 'order-#{processInstanceId}.txt',
        Text_Data:
          "Dear #{#q_customer},\nwe received #{#sformat('%,d', #q_amount)} yen on #{#dateFormatter.format('yyyy/MM/dd HH:mm', #q_at)}.\n#{processInstanceInitQuserName}",
      };
      const c = Object.entries(configs)
        .map(
          ([k, v]) =>
            `<nagare:config name="${k}">${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</nagare:config>`,
        )
        .join('');
      const { appId } = await t.runtime.deploy({
        bpmn: bpmn(
          `<bpmn:startEvent id="start"/>
           <bpmn:serviceTask id="step"><bpmn:extensionElements><nagare:automation type="addon" addon="generator-textfile">${c}</nagare:automation></bpmn:extensionElements></bpmn:serviceTask>
           <bpmn:endEvent id="end"/>${flows('start>step', 'step>end')}`,
          {
            items: [
              '<nagare:dataItem number="1" fieldName="q_customer" type="string"/>',
              '<nagare:dataItem number="2" fieldName="q_amount" type="numeric"/>',
              '<nagare:dataItem number="3" fieldName="q_at" type="datetime"/>',
              '<nagare:dataItem number="4" fieldName="q_file" type="file"/>',
            ].join(''),
          },
        ),
      });
      const { issueId } = await t.runtime.startIssue({
        appId,
        by: user.id,
        data: { q_customer: 'ACME', q_amount: 1980000, q_at: '2026-03-31T15:30:00.000Z' },
      });
      await t.runtime.createWorker().runOnce();
      const issue = await t.runtime.getIssue(issueId);
      expect(await t.runtime.listIncidents({ issueId })).toEqual([]);
      expect(issue.status).toBe('completed');
      const stored = (issue.state.data as Record<string, unknown>).q_file as FileRef[];
      expect(stored.map((f) => [f.name, f.contentType])).toEqual([
        [`order-${issueId}.txt`, 'text/plain; charset=UTF-8'],
      ]);
      expect(new TextDecoder().decode(await files.store.read('default', stored[0]!.id))).toBe(
        'Dear ACME,\nwe received 1,980,000 yen on 2026/04/01 00:30.\nSUZUKI Ichiro',
      );

      // an unknown data item fails the step before the script runs
      const { appId: bad } = await t.runtime.deploy({
        bpmn: bpmn(
          `<bpmn:startEvent id="start"/>
           <bpmn:serviceTask id="step"><bpmn:extensionElements><nagare:automation type="addon" addon="generator-textfile"><nagare:config name="File_DataId">q_file</nagare:config><nagare:config name="File_Name">x.txt</nagare:config><nagare:config name="Text_Data">#{#q_nope}</nagare:config></nagare:automation></bpmn:extensionElements></bpmn:serviceTask>
           <bpmn:endEvent id="end"/>${flows('start>step', 'step>end')}`,
          { items: '<nagare:dataItem number="4" fieldName="q_file" type="file"/>' },
        ),
      });
      const { issueId: badIssue } = await t.runtime.startIssue({ appId: bad });
      await t.runtime.createWorker().runOnce();
      expect((await t.runtime.listIncidents({ issueId: badIssue })).map((i) => i.message)).toEqual([
        expect.stringContaining('config "Text_Data": no data item "q_nope" in this App'),
      ]);
    } finally {
      await t.runtime.close();
      await store.close();
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('corpus file add-ons: a text file read into a string, a file copied under an EL name', async () => {
    const root = await mkdtemp(join(tmpdir(), 'nagare-el-'));
    const store = await openStore(config());
    await migrateToLatest(store);
    const fileStore = new LocalFileStore({ store, root });
    const connectors = createConnectorRegistry([
      addonConnector({ addons: addonLoader(store.db), fileStore }),
    ]);
    const runtime = createRuntime(store, { connectors, clock: new ManualClock(T0) });
    try {
      for (const [addonId, file] of [
        ['textfile-to-string', 'converter-textfile-to-string.xml'],
        ['file-copy', 'converter-file-copy.xml'],
      ] as const)
        await importAddon(store.db, {
          workspaceId: 'default',
          addonId,
          xml: readFileSync(join(dir, file), 'utf8'),
        });
      const step = (id: string, addon: string, configs: Record<string, string>) =>
        `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><nagare:automation type="addon" addon="${addon}">${Object.entries(
          configs,
        )
          .map(([k, v]) => `<nagare:config name="${k}">${v}</nagare:config>`)
          .join('')}</nagare:automation></bpmn:extensionElements></bpmn:serviceTask>`;
      const { appId } = await runtime.deploy({
        bpmn: bpmn(
          `<bpmn:startEvent id="start"/>
           ${step('read', 'textfile-to-string', { File_DataId: 'q_in', String_DataId: 'q_text' })}
           ${step('copy', 'file-copy', {
             conf_SourceFileDataId: 'q_in',
             conf_DestinationFileDataId: 'q_out',
             conf_FileName: "copy-#{processInstanceId}-#{#dateFormatter.format('yyyyMMdd', #q_day)}.txt",
           })}
           <bpmn:endEvent id="end"/>${flows('start>read', 'read>copy', 'copy>end')}`,
          {
            items: [
              '<nagare:dataItem number="1" fieldName="q_in" type="file"/>',
              '<nagare:dataItem number="2" fieldName="q_text" type="string" formType="textarea"/>',
              '<nagare:dataItem number="3" fieldName="q_out" type="file"/>',
              '<nagare:dataItem number="4" fieldName="q_day" type="date"/>',
            ].join(''),
          },
        ),
      });
      const content = 'こんにちは\nline 2\n';
      const put = await fileStore.put('default', {
        name: 'greeting.txt',
        contentType: 'text/plain; charset=UTF-8',
        bytes: new TextEncoder().encode(content),
      });
      const ref = { id: put.id, name: put.name, contentType: put.contentType, size: put.size };
      const { issueId } = await runtime.startIssue({ appId, data: { q_in: [ref], q_day: '2026-04-01' } });
      const worker = runtime.createWorker();
      for (let i = 0; i < 3 && (await runtime.getIssue(issueId)).status !== 'completed'; i++)
        await worker.runOnce();
      expect(await runtime.listIncidents({ issueId })).toEqual([]);
      const data = (await runtime.getIssue(issueId)).state.data as Record<string, unknown>;
      expect(data.q_text).toBe(content);
      const out = data.q_out as FileRef[];
      expect(out.map((f) => f.name)).toEqual([`copy-${issueId}-20260401.txt`]);
      expect(out[0]!.id).not.toBe(ref.id);
      expect(new TextDecoder().decode(await fileStore.read('default', out[0]!.id))).toBe(content);
    } finally {
      await runtime.close();
      await store.close();
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
