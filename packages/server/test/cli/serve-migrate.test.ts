import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations/index.js';
import { expectOneLineError, runCli, startCli, waitForLine } from '../support/cli.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nagare-cli-serve-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('nagare serve', () => {
  it('migrates, answers /api/health on a free port, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = join(dir, 'serve-data');
    const child = startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const [, url] = await waitForLine(child, /ready at (http:\/\/127\.0\.0\.1:\d+) \(sqlite: (.+)\)\n/);

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { dialect: 'sqlite', ok: true } });
    const home = await fetch(`${url}/`);
    expect(await home.text()).toContain(join(dataDir, 'nagare.db'));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('says so in one line when the port is taken (exit 1)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli([
        'serve',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--data-dir',
        join(dir, 'taken'),
      ]);
      expect(result.code).toBe(1);
      expect(expectOneLineError(result.stderr)).toBe(
        `nagare: port ${port} is already in use (choose another with --port)`,
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses a malformed DATABASE_URL with one line (exit 2), without the password', async () => {
    const result = await runCli(['serve', '--port', '0'], {
      env: { DATABASE_URL: 'postgres//nagare:s3cret@db/nagare' },
    });
    expect(result.code).toBe(2);
    expect(expectOneLineError(result.stderr)).toMatch(/^nagare: DATABASE_URL is not a valid URL/);
    expect(result.stderr).not.toContain('s3cret');
  });

  it('reports an unreachable PostgreSQL with one line (exit 1), without the password', async () => {
    const result = await runCli(['serve', '--port', '0'], {
      env: { DATABASE_URL: 'postgres://nagare:s3cret@127.0.0.1:1/nagare' },
    });
    expect(result.code).toBe(1);
    expect(expectOneLineError(result.stderr)).toMatch(
      /^nagare: cannot connect to PostgreSQL at postgres:\/\/nagare:\*\*\*@127\.0\.0\.1:1\/nagare: .*ECONNREFUSED/,
    );
  });

  it('refuses a data dir it cannot use (exit 2)', async () => {
    const result = await runCli(['serve', '--port', '0', '--data-dir', '/proc/version']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result.stderr)).toMatch(
      /^nagare: cannot open the SQLite database \/proc\/version\/nagare\.db/,
    );
  });
});

describe.concurrent('nagare migrate', () => {
  it('applies the migrations once; a second run is a no-op', async () => {
    const dataDir = join(dir, 'migrate-data');
    const first = await runCli(['migrate', '--data-dir', dataDir]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      Object.keys(migrations)
        .map((name) => `sqlite ${join(dataDir, 'nagare.db')}: applied ${name}\n`)
        .join(''),
    );
    const second = await runCli(['migrate', '--data-dir', dataDir]);
    expect(second).toMatchObject({
      code: 0,
      stdout: `sqlite ${join(dataDir, 'nagare.db')}: already up to date\n`,
    });
  });

  it('two processes migrating one SQLite file at once: one applies, the other waits and finds nothing to do', async () => {
    const dataDir = join(dir, 'concurrent-data');
    const results = await Promise.all([1, 2, 3].map(() => runCli(['migrate', '--data-dir', dataDir])));
    for (const result of results) expect(result).toMatchObject({ code: 0, stderr: '' });
    const outputs = results.map((result) => result.stdout.replace(/^.*: /gm, '').trim()).sort();
    const applied = Object.keys(migrations)
      .map((name) => `applied ${name}`)
      .join('\n');
    expect(outputs).toEqual(['already up to date', 'already up to date', applied]);
  });
});
