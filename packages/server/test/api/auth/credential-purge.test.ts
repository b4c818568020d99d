import { afterEach, beforeEach, expect, it } from 'vitest';
import { registerClient } from '../../../src/api/auth/oauth-clients.js';
import { clientCredentials, createCode } from '../../../src/api/auth/oauth-grants.js';
import { startCredentialPurge } from '../../../src/api/auth/purge-schedule.js';
import { createSession, findSession } from '../../../src/api/auth/sessions.js';
import { createUser } from '../../../src/identity/users.js';
import { createWorkspace } from '../../../src/identity/workspaces.js';
import { openStore, type Store } from '../../../src/store/database.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { describeEachDialect } from '../../support/dialects.js';

const DAY = 24 * 3600_000;
const waitFor = async (check: () => Promise<boolean>, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describeEachDialect('expired credentials are purged on a schedule', ({ config }) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(config());
    await migrateToLatest(store);
    await createWorkspace(store.db, { id: 'acme', name: 'Acme' });
    await createUser(store.db, 'acme', { id: 'u', name: 'U', email: 'u@example.com' });
  });
  afterEach(async () => {
    await store.close();
  });

  /** An expired and a live session, OAuth code and access token each. */
  async function credentials() {
    const db = store.db;
    const { client } = await registerClient(db, 'acme', 'u', {
      name: 'c',
      type: 'confidential',
      redirectUris: ['https://cb.example/cb'],
    });
    const longAgo = new Date(Date.now() - 31 * DAY);
    const code = {
      client,
      userId: 'u',
      redirectUri: 'https://cb.example/cb',
      scopes: ['read' as const],
      codeChallenge: 'x'.repeat(43),
    };
    return {
      oldSession: await createSession(db, 'acme', 'u', longAgo),
      liveSession: await createSession(db, 'acme', 'u'),
      oldCode: await createCode(db, code, longAgo),
      liveCode: await createCode(db, code),
      oldToken: await clientCredentials(db, client, 'read', longAgo),
      liveToken: await clientCredentials(db, client, 'read'),
    };
  }

  const counts = async () => ({
    sessions: (await store.db.selectFrom('auth_session').select('id_hash').execute()).length,
    codes: (await store.db.selectFrom('oauth_code').select('code_hash').execute()).length,
    tokens: (await store.db.selectFrom('oauth_token').select('token_hash').execute()).length,
  });

  it('expired sessions, codes and tokens go at once and on every run; live ones stay; stop ends the runs', async () => {
    const c = await credentials();
    expect(await counts()).toEqual({ sessions: 2, codes: 2, tokens: 2 });
    const logged: object[] = [];

    // when
    const purge = startCredentialPurge(store.db, {
      everyMs: 50,
      log: { info: (o) => logged.push(o), error: (o) => logged.push(o) },
    });
    try {
      // then: the first run is at start
      await waitFor(async () => (await counts()).sessions === 1);
      expect(await counts()).toEqual({ sessions: 1, codes: 1, tokens: 1 });
      expect(await findSession(store.db, c.liveSession.sessionId)).toBeDefined();
      expect(await findSession(store.db, c.oldSession.sessionId)).toBeUndefined();
      expect(logged).toEqual([{ sessions: 1, codes: 1, tokens: 1 }]);

      // and later runs find what has expired since
      await createSession(store.db, 'acme', 'u', new Date(Date.now() - DAY));
      await waitFor(async () => (await counts()).sessions === 1);
    } finally {
      await purge.stop();
    }

    // stopped: nothing runs any more
    await createSession(store.db, 'acme', 'u', new Date(Date.now() - DAY));
    await new Promise((r) => setTimeout(r, 200));
    expect((await counts()).sessions).toBe(2);
    expect(await purge.runOnce()).toBeUndefined();
  });

  it('two nodes purging at once delete each row once between them and neither fails', async () => {
    await credentials();
    const a = startCredentialPurge(store.db, { everyMs: 60_000 });
    const b = startCredentialPurge(store.db, { everyMs: 60_000 });
    try {
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(ra).toBeDefined();
      expect(rb).toBeDefined();
      expect(await counts()).toEqual({ sessions: 1, codes: 1, tokens: 1 });
      const again = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(again).toEqual([
        { sessions: 0, codes: 0, tokens: 0 },
        { sessions: 0, codes: 0, tokens: 0 },
      ]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
