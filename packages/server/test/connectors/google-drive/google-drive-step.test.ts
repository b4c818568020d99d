import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthorizationSettings } from '../../../src/authorization/index.js';
import { googleDriveConnector } from '../../../src/connectors/google-drive/connector.js';
import type { FileRef } from '../../../src/files/file-store.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { createOutboundFetch } from '../../../src/outbound/index.js';
import { type OAuthServer, startOAuthServer } from '../../authorization/oauth-server.js';
import { describeEachDialect } from '../../support/dialects.js';
import { runStep, stepApp } from '../http/step-app.js';
import { type Recorded, startVendorServer, type VendorServer } from '../http/vendor-server.js';

const KEY = randomBytes(32).toString('base64');
const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
let oauth: OAuthServer;
let drive: VendorServer;

/** The parts of a multipart/related body. */
function parts(req: Recorded): { headers: string; body: Buffer }[] {
  const boundary = /boundary=([^;]+)/.exec(req.headers['content-type'] ?? '')?.[1];
  if (!boundary) return [];
  const text = req.body.toString('latin1');
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((p) => {
      const at = p.indexOf('\r\n\r\n');
      return { headers: p.slice(2, at), body: Buffer.from(p.slice(at + 4, -2), 'latin1') };
    });
}

beforeAll(async () => {
  oauth = await startOAuthServer();
  // files.create with uploadType=multipart as documented: Bearer token, multipart/related, metadata then media
  drive = await startVendorServer((req) => {
    if (req.path !== '/upload/drive/v3/files' || req.query.get('uploadType') !== 'multipart')
      return { status: 404, json: {} };
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!oauth.valid.has(token))
      return { status: 401, json: { error: { code: 401, message: 'Invalid Credentials' } } };
    if (!req.headers['content-type']?.startsWith('multipart/related; boundary='))
      return { status: 400, json: {} };
    const [meta, media] = parts(req);
    if (!meta?.headers.includes('application/json') || !media) return { status: 400, json: {} };
    const metadata = JSON.parse(meta.body.toString('utf8')) as { name: string };
    const id = `file-${drive.requests.length}`;
    return { status: 200, json: { id, name: metadata.name, webViewLink: `https://drive.example/${id}` } };
  });
});
afterAll(async () => {
  await drive.close();
  await oauth.close();
});

describeEachDialect('Google Drive step through the runtime', ({ config }) => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nagare-drive-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  it('uploads a file item with the OAuth 2.0 access token (refreshed when expired), multipart', async () => {
    let files: Promise<FileRef[]> | undefined;
    let settings: AuthorizationSettings | undefined;
    const now = { t: Date.now() };
    const run = await runStep(
      config(),
      'googleDrive',
      (t) => {
        const fileStore = new LocalFileStore({ store: t.store, root: join(dir, String(Math.random())) });
        files = fileStore
          .put('default', {
            name: '報告書.txt',
            contentType: 'text/plain',
            bytes: new TextEncoder().encode('本文 body'),
          })
          .then((f) => [{ id: f.id, name: f.name, contentType: f.contentType, size: f.size }]);
        settings = new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch, now: () => now.t });
        return googleDriveConnector({ fetch, baseUrl: drive.base, authorization: settings, fileStore });
      },
      stepApp(
        'googleDrive',
        {
          auth: 'drive',
          fileItem: 'q_files',
          folderId: '{{q_folder}}',
          fileIdItem: 'q_ids',
          urlItem: 'q_links',
        },
        { q_files: 'file', q_folder: 'string', q_ids: 'string', q_links: 'string' },
      ),
      {},
      async (_t, appId) => {
        await settings!.save('default', appId, {
          kind: 'oauth2',
          name: 'drive',
          authorizeUrl: `${oauth.base}/authorize`,
          tokenUrl: `${oauth.base}/token`,
          clientId: oauth.clientId,
          clientSecret: oauth.clientSecret,
          scope: 'https://www.googleapis.com/auth/drive.file',
          redirectUri: 'https://nagare.example/oauth2/callback',
        });
        const { url, state } = await settings!.beginAuthorization('default', appId, 'drive');
        const back = new URL((await globalThis.fetch(url, { redirect: 'manual' })).headers.get('location')!);
        await settings!.completeAuthorization({ state, code: back.searchParams.get('code')! });
      },
    );
    try {
      expect(run.status).toBe('completed'); // no files: nothing uploaded
      now.t += 2 * 3600 * 1000; // the access token has expired: the next upload refreshes it
      const { issueId } = await run.t.runtime.startIssue({
        appId: run.appId,
        data: { q_files: (await files!) as never, q_folder: 'folder-1' },
      });
      await run.t.runtime.createWorker().runOnce();
      const issue = await run.t.runtime.getIssue(issueId);
      expect(await run.t.runtime.listIncidents({ issueId })).toEqual([]);
      expect(issue.state.data.q_ids).toMatch(/^file-\d+$/);
      expect(issue.state.data.q_links).toMatch(/^https:\/\/drive.example\/file-\d+$/);
      expect(oauth.grants.at(-1)).toBe('refresh_token');
      const req = drive.requests.at(-1)!;
      const [meta, media] = parts(req);
      expect(JSON.parse(meta!.body.toString('utf8'))).toEqual({ name: '報告書.txt', parents: ['folder-1'] });
      expect(media!.headers).toContain('Content-Type: text/plain');
      expect(media!.body.toString('utf8')).toBe('本文 body');
    } finally {
      await run.t.close();
    }
  });
});
