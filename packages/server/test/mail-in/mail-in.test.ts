import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { beforeAll, expect, it } from 'vitest';
import type { FileRef } from '../../src/files/file-store.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { mailStartEvents, startMailIn } from '../../src/mail-in/index.js';
import { describeEachDialect } from '../support/dialects.js';
import { bpmn, flows, openRuntime } from '../support/runtime.js';

function mailApp(configs: Record<string, string>, extraStart = ''): string {
  const c = Object.entries(configs)
    .map(([k, v]) => `<nagare:config name="${k}">${v}</nagare:config>`)
    .join('');
  return bpmn(
    `<bpmn:startEvent id="byMail"><bpmn:extensionElements><nagare:messageKey channel="email"/><nagare:automation type="email">${c}</nagare:automation></bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:startEvent>
     ${extraStart}
     <bpmn:userTask id="review"/><bpmn:endEvent id="end"/>
     ${flows('byMail>review', 'review>end', ...(extraStart ? ['other>review'] : []))}`,
    {
      items:
        '<nagare:dataItem fieldName="q_subject" type="string"/><nagare:dataItem fieldName="q_body" type="text"/><nagare:dataItem fieldName="q_from" type="string"/><nagare:dataItem fieldName="q_to" type="string"/><nagare:dataItem fieldName="q_sent" type="datetime"/><nagare:dataItem fieldName="q_files" type="file"/>',
    },
  );
}

const configs = {
  subjectItem: 'q_subject',
  bodyItem: 'q_body',
  fromItem: 'q_from',
  toItem: 'q_to',
  dateItem: 'q_sent',
  attachmentsItem: 'q_files',
};

describeEachDialect('message start by e-mail', ({ config }) => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nagare-mail-in-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  async function setup(maxBytes?: number) {
    const t = await openRuntime(config());
    const fileStore = new LocalFileStore({ store: t.store, root: join(dir, String(Math.random())) });
    const mailIn = await startMailIn({
      runtime: t.runtime,
      store: t.store,
      fileStore,
      port: 0,
      ...(maxBytes ? { maxBytes } : {}),
    });
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: mailIn.port,
      secure: false,
      ignoreTLS: true,
    });
    return {
      t,
      fileStore,
      transport,
      async close() {
        transport.close();
        await mailIn.close();
        await t.close();
      },
    };
  }

  it('a mail starts an issue with subject, body, sender, recipients, date and attachments; a redelivery starts none', async () => {
    const s = await setup();
    try {
      const { appId } = await s.t.runtime.deploy({ bpmn: mailApp(configs) });
      const message = {
        from: '"山田" <yamada@example.com>',
        to: `${appId}@nagare.test`,
        cc: 'boss@example.com',
        subject: '見積依頼',
        text: '見積をお願いします。\n数量: 3',
        date: new Date('2026-01-05T09:00:00Z'),
        messageId: '<req-1@example.com>',
        attachments: [{ filename: '仕様書.txt', content: '仕様 spec', contentType: 'text/plain' }],
      };
      const info = await s.transport.sendMail(message);
      expect(info.response).toMatch(/^250 .*started/);
      const issues = await s.t.store.db.selectFrom('issue').select('id').execute();
      expect(issues).toHaveLength(1);
      const issue = await s.t.runtime.getIssue(issues[0]!.id);
      expect(issue.state.data).toMatchObject({
        q_subject: '見積依頼',
        q_body: '見積をお願いします。\n数量: 3',
        q_from: 'yamada@example.com',
        q_to: `${appId}@nagare.test, boss@example.com`,
        q_sent: '2026-01-05T09:00:00.000Z',
      });
      const [file] = issue.state.data.q_files as FileRef[];
      expect(file).toMatchObject({ name: '仕様書.txt' });
      expect(new TextDecoder().decode(await s.fileStore.read('default', file!.id))).toBe('仕様 spec');
      expect((await s.t.runtime.listTasks({ issueId: issue.id })).map((task) => task.node)).toEqual([
        'review',
      ]);
      // the same mail again (the sender retried): still one issue
      await s.transport.sendMail(message);
      expect(await s.t.store.db.selectFrom('issue').select('id').execute()).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('refuses unknown addresses, senders not allowed and mail over the size limit; nothing starts', async () => {
    const s = await setup(64 * 1024);
    try {
      const { appId } = await s.t.runtime.deploy({
        bpmn: mailApp({ ...configs, allowFrom: '@example.com, ok@partner.test' }),
      });
      const { appId: plain } = await s.t.runtime.deploy({
        bpmn: bpmn(`<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows('s>e')}`),
      });
      const send = (to: string, extra: Record<string, unknown> = {}) =>
        s.transport.sendMail({ from: 'a@example.com', to, subject: 's', text: 'b', ...extra });
      await expect(send('nobody@nagare.test')).rejects.toMatchObject({ responseCode: 550 });
      await expect(send(`${plain}@nagare.test`)).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(/takes no mail/),
      });
      await expect(send(`${appId}+nope@nagare.test`)).rejects.toMatchObject({ responseCode: 550 });
      await expect(send(`${appId}@nagare.test`, { from: 'eve@evil.test' })).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(/eve@evil.test may not send/),
      });
      await expect(send(`${appId}@nagare.test`, { text: 'x'.repeat(200 * 1024) })).rejects.toMatchObject({
        responseCode: 552,
      });
      expect(await s.t.store.db.selectFrom('issue').select('id').execute()).toEqual([]);
      // an allowed sender, addressed with the start event's id
      await send(`${appId}+byMail@nagare.test`, { from: 'ok@partner.test' });
      expect(await s.t.store.db.selectFrom('issue').select('id').execute()).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});

it('finds only message start events on the email channel', async () => {
  const starts = await mailStartEvents(
    mailApp(
      configs,
      '<bpmn:startEvent id="other"><bpmn:extensionElements><nagare:messageKey channel="http"/></bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:startEvent>',
    ),
  );
  expect(starts).toEqual([{ startEvent: 'byMail', configs }]);
});
