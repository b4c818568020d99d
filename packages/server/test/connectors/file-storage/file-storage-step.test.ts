import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { readFileStorageConfig } from '../../../src/connectors/file-storage/config.js';
import { fileStorageConnector } from '../../../src/connectors/file-storage/connector.js';
import { localFolderStore } from '../../../src/connectors/file-storage/folder-store.js';
import type { FileRef } from '../../../src/files/file-store.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { describeEachDialect } from '../../support/dialects.js';
import { runStep, stepApp } from '../http/step-app.js';

describeEachDialect('file-storage step through the runtime', ({ config }) => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nagare-folders-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  it('writes a file item into a folder named from data; a repeat reuses, another content is renamed', async () => {
    const root = join(dir, String(Math.random()));
    let files: Promise<FileRef[]> | undefined;
    const items = { q_files: 'file', q_customer: 'string', q_paths: 'string' };
    const app = stepApp(
      'fileStorage',
      { fileItem: 'q_files', folder: 'customers/#{q_customer}', pathItem: 'q_paths' },
      items,
    );
    const run = await runStep(
      config(),
      'fileStorage',
      (t) => {
        const fileStore = new LocalFileStore({ store: t.store, root: join(root, 'files') });
        const put = (text: string) =>
          fileStore
            .put('default', {
              name: '請求書.txt',
              contentType: 'text/plain',
              bytes: new TextEncoder().encode(text),
            })
            .then((f) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.size }));
        files = Promise.all([put('one'), put('two')]);
        return fileStorageConnector({
          fileStore,
          folders: { local: localFolderStore(join(root, 'folders')) },
        });
      },
      app,
      { q_customer: '山田' },
    );
    try {
      expect(run.status).toBe('completed'); // no files: nothing written
      const [one, two] = await files!;
      const start = async (f: FileRef) => {
        const { issueId } = await run.t.runtime.startIssue({
          appId: run.appId,
          data: { q_customer: '山田', q_files: [f] as never },
        });
        await run.t.runtime.createWorker().runOnce();
        return run.t.runtime.getIssue(issueId);
      };
      expect((await start(one!)).state.data.q_paths).toBe('customers/山田/請求書.txt');
      expect((await start(one!)).state.data.q_paths).toBe('customers/山田/請求書.txt'); // same content reused
      expect((await start(two!)).state.data.q_paths).toBe('customers/山田/請求書 (1).txt');
      const folder = join(root, 'folders', 'default', 'customers', '山田');
      expect((await readdir(folder)).sort()).toEqual(['請求書 (1).txt', '請求書.txt']);
      expect(await readFile(join(folder, '請求書 (1).txt'), 'utf8')).toBe('two');
      // a folder that climbs out is refused
      const { appId } = await run.t.runtime.deploy({
        bpmn: stepApp('fileStorage', { fileItem: 'q_files', folder: '#{q_customer}/x' }, items),
      });
      const { issueId } = await run.t.runtime.startIssue({
        appId,
        data: { q_customer: '..', q_files: [one] as never },
      });
      await run.t.runtime.createWorker().runOnce();
      expect((await run.t.runtime.listIncidents({ issueId }))[0]?.message).toMatch(
        /BAD_CONFIG: config "folder": ".." is not allowed/,
      );
    } finally {
      await run.t.close();
    }
  });
});

it('file-storage configs are checked', async () => {
  expect(readFileStorageConfig({})).toMatchObject({ ok: false, error: expect.stringMatching(/"fileItem"/) });
  expect(readFileStorageConfig({ fileItem: 'f', onExists: 'merge' })).toMatchObject({ ok: false });
  const c = fileStorageConnector({ folders: {} });
  expect(
    await c.run(
      {
        workspaceId: 'W',
        issueId: 'I',
        seq: 1,
        node: 'n',
        attempt: 1,
        maxAttempts: 1,
        idempotencyKey: 'I:1',
        automation: { type: 'fileStorage', configs: { fileItem: 'f', store: 's3' } },
        issue: () => Promise.reject(new Error('not read')),
      },
      new AbortController().signal,
    ),
  ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no folder store "s3"/) } });
});
