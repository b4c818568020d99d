import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/database.js';
import { expectOneLineError, runCli } from '../support/cli.js';

describe('nagare create-admin', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nagare-admin-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const env = { NAGARE_ADMIN_PASSWORD: 'correct horse battery staple' };

  it('creates the first system administrator once; the password is stored hashed', async () => {
    const dataDir = join(dir, 'once');
    const args = ['create-admin', '--email', 'ann@example.com', '--name', 'Ann', '--data-dir', dataDir];
    const first = await runCli(args, { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /created system administrator ann@example.com \(.+\) in workspace "default"/,
    );

    const store = await openStore(resolveStoreConfig({ dataDir }));
    try {
      const users = await store.db.selectFrom('workspace_user').selectAll().execute();
      expect(users).toHaveLength(1);
      expect(JSON.stringify(users)).not.toContain(env.NAGARE_ADMIN_PASSWORD);
      const admins = await store.db.selectFrom('system_authority').select(['user_id', 'authority']).execute();
      expect(admins).toEqual([{ user_id: users[0]!.id, authority: 'systemAdministrator' }]);
    } finally {
      await store.close();
    }

    const again = await runCli([...args.slice(0, 2), 'bob@example.com', ...args.slice(3)], { env });
    expect(again.code).toBe(1);
    expect(expectOneLineError(again.stderr)).toMatch(/already has a system administrator/);
  });

  it.each([
    [['create-admin', '--name', 'Ann'], env, /--email is required/],
    [['create-admin', '--email', 'ann@example.com'], env, /--name is required/],
    [['create-admin', '--email', 'ann@example.com', '--name', 'Ann'], {}, /NAGARE_ADMIN_PASSWORD/],
    [['create-admin', '--email', 'ann@example.com', '--name', 'Ann', 'extra'], env, /unexpected|argument/i],
    [['create-admin', '--email', 'not an address', '--name', 'Ann'], env, /e-?mail/i],
  ])('refuses %j with one line and exit 2', async (args, extraEnv, message) => {
    const dataDir = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    const r = await runCli([...args, '--data-dir', dataDir], {
      env: { NAGARE_ADMIN_PASSWORD: '', ...extraEnv },
    });
    expect(r.code).toBe(2);
    expect(expectOneLineError(r.stderr)).toMatch(message);
  });
});
