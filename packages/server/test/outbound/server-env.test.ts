import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorDepsFromEnv } from '../../src/cli/connector-deps.js';
import { startMailInFromEnv } from '../../src/mail-in/from-env.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { resolveStoreConfig } from '../../src/store/config.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

const lines: { level: string; args: unknown[] }[] = [];
const log = {
  info: (...args: unknown[]) => lines.push({ level: 'info', args }),
  error: (...args: unknown[]) => lines.push({ level: 'error', args }),
} as unknown as FastifyBaseLogger;

let dir = '';
let store: Store;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nagare-env-'));
  store = await openStore(resolveStoreConfig({ dataDir: dir }));
  await migrateToLatest(store);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('nagare serve: connector settings from the environment', () => {
  const deps = (env: NodeJS.ProcessEnv) => () => connectorDepsFromEnv(store, { dataDir: dir, log, env });

  it('refuses malformed values, naming the variable', () => {
    expect(deps({ NAGARE_SECRET_KEY: 'short' })).toThrow(/NAGARE_SECRET_KEY must be 32 bytes/);
    expect(deps({ NAGARE_OUTBOUND_ALLOW: '10.0.0.0/8,intranet' })).toThrow(
      /NAGARE_OUTBOUND_ALLOW: .*"intranet"/,
    );
    expect(deps({ NAGARE_SMTP_URL: 'http://mail.example.com' })).toThrow(/NAGARE_SMTP_URL must be an smtp/);
  });

  it('accepts good values (or none): mail only with an SMTP URL', () => {
    expect(deps({})().mail).toBeUndefined();
    const ok = deps({
      NAGARE_SECRET_KEY: randomBytes(32).toString('hex'),
      NAGARE_OUTBOUND_ALLOW: '10.0.0.0/8',
      NAGARE_SMTP_URL: 'smtp://user:pw@127.0.0.1:2525',
      NAGARE_MAIL_FROM: 'nagare@example.com',
    })();
    expect(ok.mail?.defaultFrom).toBe('nagare@example.com');
    ok.mail?.close?.();
  });

  it('mail start events: off without a port, a bad port is logged and left off', async () => {
    const runtime = createRuntime(store);
    try {
      expect(await startMailInFromEnv(runtime, store, undefined, log, {})).toBeUndefined();
      expect(
        await startMailInFromEnv(runtime, store, undefined, log, { NAGARE_MAIL_IN_PORT: 'seventy' }),
      ).toBeUndefined();
      expect(JSON.stringify(lines)).toMatch(/NAGARE_MAIL_IN_PORT must be a port number, got \\"seventy\\"/);
      const on = await startMailInFromEnv(runtime, store, undefined, log, {
        NAGARE_MAIL_IN_PORT: '0',
        NAGARE_MAIL_IN_HOST: '127.0.0.1',
      });
      expect(on?.port).toBeGreaterThan(0);
      await on?.close();
    } finally {
      await runtime.close();
    }
  });
});
