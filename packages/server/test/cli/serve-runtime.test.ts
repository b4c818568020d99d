import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/api/auth/sessions.js';
import { secretHash } from '../../src/identity/secrets.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startCli, waitForLine } from '../support/cli.js';
import { automated } from '../support/runtime.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nagare-cli-runtime-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nagare serve runs released apps', () => {
  it('--role all: its worker runs a job (an HTTP call with the Idempotency-Key); --role api does not, but purges expired sessions', async () => {
    const calls: IncomingHttpHeaders[] = [];
    const target = createServer((req, res) => {
      calls.push(req.headers);
      res.writeHead(200).end('{}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;

    const dataDir = join(dir, 'data');
    const store = await openStore(resolveStoreConfig({ dataDir }));
    await migrateToLatest(store);
    const runtime = createRuntime(store);
    const { appId } = await runtime.deploy({ bpmn: automated('http', { url }) });
    const { issueId } = await runtime.startIssue({ appId });
    // An expired and a live session: an API node purges the first at start.
    await createSession(store.db, 'default', 'someone', new Date(Date.now() - 13 * 3600_000));
    const live = await createSession(store.db, 'default', 'someone');

    const api = startCli([
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      '--role',
      'api',
    ]);
    const apiExited = new Promise<number | null>((resolve) => api.on('close', resolve));
    try {
      await waitForLine(api, /ready at/);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(calls).toEqual([]);
      const sessions = await store.db.selectFrom('auth_session').select('id_hash').execute();
      expect(sessions).toEqual([{ id_hash: secretHash(live.sessionId) }]);
    } finally {
      api.kill('SIGTERM');
      expect(await apiExited).toBe(0);
    }

    const all = startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);
    const allExited = new Promise<number | null>((resolve) => all.on('close', resolve));
    try {
      await waitForLine(all, /ready at/);
      for (let i = 0; i < 300 && (await runtime.getIssue(issueId)).status !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await runtime.getIssue(issueId)).status).toBe('completed');
      expect(calls.map((h) => h['idempotency-key'])).toEqual([`${issueId}:1`]);
    } finally {
      all.kill('SIGTERM');
      expect(await allExited).toBe(0);
      await runtime.close();
      await store.close();
      target.close();
    }
  });

  it('refuses an unknown --role (exit 2)', async () => {
    const child = startCli(['serve', '--role', 'boss']);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('invalid --role "boss"');
  });
});
