import { CompiledQuery, type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Principal } from '../../src/api/auth/principal.js';
import { AppModels } from '../../src/api/routes/workflow/app-model.js';
import { issueSearchQuery } from '../../src/api/routes/workflow/issue-search.js';
import { purgeCandidates } from '../../src/runtime/reads.js';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/schema.js';
import { describeEachDialect } from '../support/dialects.js';

const WORKSPACES = ['default', 'ws-b', 'ws-c'];
const PER_WORKSPACE = 2_000;

/** Issues (with their first history row) in three workspaces, then statistics for the planner. */
async function fill(store: Store): Promise<void> {
  const db = store.db;
  const at = '2026-01-01T00:00:00.000Z';
  for (const ws of WORKSPACES) {
    if (ws !== 'default') {
      await db
        .insertInto('workspace')
        .values({ id: ws, name: ws, time_zone: 'UTC', created_at: at })
        .execute();
    }
    await db
      .insertInto('app')
      .values({
        id: `app-${ws}`,
        workspace_id: ws,
        name: 'App',
        released_version_id: `v-${ws}`,
        created_at: at,
      })
      .execute();
    await db
      .insertInto('app_version')
      .values({
        id: `v-${ws}`,
        workspace_id: ws,
        app_id: `app-${ws}`,
        version: 1,
        status: 'released',
        process_id: 'p',
        bpmn: '<definitions/>',
        created_at: at,
        released_at: at,
      })
      .execute();
    for (let from = 0; from < PER_WORKSPACE; from += 500) {
      const n = Array.from({ length: 500 }, (_, i) => from + i);
      const startedAt = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      await db
        .insertInto('issue')
        .values(
          n.map((i) => ({
            id: `${ws}-${String(i).padStart(5, '0')}`,
            workspace_id: ws,
            app_id: `app-${ws}`,
            app_version_id: `v-${ws}`,
            status: i % 3 === 0 ? 'completed' : 'active',
            mode: 'normal',
            state: JSON.stringify({ data: { title: `Issue ${i}` } }),
            version: 1,
            events: 1,
            started_at: startedAt(i),
            ended_at: i % 3 === 0 ? startedAt(i + 1) : null,
            updated_at: startedAt(i),
          })),
        )
        .execute();
      await db
        .insertInto('history')
        .values(
          n.map((i) => ({
            issue_id: `${ws}-${String(i).padStart(5, '0')}`,
            ordinal: 1,
            count: 1,
            workspace_id: ws,
            events: JSON.stringify([{ type: 'IssueStarted', by: `user-${i % 7}` }]),
            at: startedAt(i),
          })),
        )
        .execute();
    }
  }
  await sql`analyze`.execute(db);
}

/** The plan as text: SQLite's EXPLAIN QUERY PLAN details, PostgreSQL's EXPLAIN lines. */
async function plan(db: Kysely<Database>, dialect: string, query: CompiledQuery): Promise<string> {
  const prefix = dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
  const result = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(prefix + query.sql, [...query.parameters]),
  );
  return result.rows.map((r) => String(dialect === 'sqlite' ? r.detail : r['QUERY PLAN'])).join('\n');
}

describeEachDialect('list indexes (migration 0011)', ({ dialect, config }) => {
  let store: Store;
  let runtime: Runtime;

  beforeEach(async () => {
    store = await openStore(config());
    await migrateToLatest(store);
    await fill(store);
    runtime = createRuntime(store);
  });
  afterEach(async () => {
    await runtime.close();
    await store.close();
  });

  const admin: Principal = {
    workspaceId: 'default',
    userId: 'user-1',
    via: 'session',
    scopes: ['read', 'any'],
  };

  it('the issue list by start time (GET /api/issues) reads issue_workspace_started_idx, not a scan and sort', async () => {
    // given: the caller sees the whole App (an App administrator grant)
    await store.db
      .insertInto('app_authority')
      .values({
        workspace_id: 'default',
        id: 'grant-1',
        app_id: 'app-default',
        authority: 'appAdministrator',
        grantee_kind: 'user',
        grantee_id: 'user-1',
        include_sub_organizations: 0,
        position: null,
        created_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    const models = new AppModels(runtime);

    for (const order of ['newest', 'oldest'] as const) {
      // when
      const query = await issueSearchQuery(store.db, dialect, admin, { order }, 50, models);
      expect(query).toBeDefined();
      const text = await plan(store.db, dialect, query!.compile());

      // then
      expect(text).toContain('issue_workspace_started_idx');
      if (dialect === 'sqlite') expect(text).not.toContain('USE TEMP B-TREE FOR ORDER BY');
      else expect(text).not.toMatch(/Sort Key: issue\.started_at/);
      const rows = await query!.execute();
      expect(rows).toHaveLength(51);
      expect(rows.every((r) => r.id.startsWith('default-'))).toBe(true);
      expect(rows[0]?.id).toBe(order === 'newest' ? 'default-01999' : 'default-00000');
    }
  });

  it('the plain workspace list by start time uses its index', async () => {
    const list = store.db
      .selectFrom('issue')
      .select(['id', 'started_at'])
      .where('workspace_id', '=', 'ws-b')
      .where('started_at', '<', '2026-01-02T00:00:00.000Z')
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(51)
      .compile();
    expect(await plan(store.db, dialect, list)).toContain('issue_workspace_started_idx');
  });

  it('the purge picks ended issues along issue_ended_idx, which holds no running issue (migration 0013)', async () => {
    for (const deleteIssues of [false, true]) {
      const query = purgeCandidates(store.db, '2026-01-01T12:00:00.000Z', 100, deleteIssues);
      const text = await plan(store.db, dialect, query.compile());
      expect(text).toContain('issue_ended_idx');
      // (PostgreSQL may read it as a bitmap and sort the few hundred matches: fine at this size.)
      if (dialect === 'sqlite') expect(text).not.toContain('USE TEMP B-TREE FOR ORDER BY');
      const rows = await query.execute();
      expect(rows).toHaveLength(100);
    }
    // Only ended issues have an entry: the index of 6,000 issues holds the 2,001 that ended.
    const entries =
      dialect === 'sqlite'
        ? await sql<{
            n: number;
          }>`select count(*) as n from issue indexed by issue_ended_idx where ended_at is not null`.execute(
            store.db,
          )
        : await sql<{
            n: number;
          }>`select (reltuples)::int as n from pg_class where relname = 'issue_ended_idx'`.execute(store.db);
    expect(Number(entries.rows[0]?.n)).toBe(3 * 667);
  });

  it("one App's issues by start time read issue_app_started_idx (migration 0013)", async () => {
    const list = store.db
      .selectFrom('issue')
      .select(['id', 'started_at'])
      .where('app_id', '=', 'app-ws-b')
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(51)
      .compile();
    expect(await plan(store.db, dialect, list)).toContain('issue_app_started_idx');
  });

  it('no issue index holds a column that changes while the issue runs (status, state, version, updated_at)', async () => {
    const rows =
      dialect === 'sqlite'
        ? await sql<{
            def: string;
          }>`select coalesce(sql, name) as def from sqlite_master where type = 'index' and tbl_name = 'issue'`.execute(
            store.db,
          )
        : await sql<{
            def: string;
          }>`select indexdef as def from pg_indexes where tablename = 'issue'`.execute(store.db);
    const defs = rows.rows.map((r) => r.def);
    expect(defs.length).toBeGreaterThanOrEqual(4);
    for (const def of defs) expect(def).not.toMatch(/\b(status|state|version|events|updated_at)\b/);
    // ended_at: only in the partial index of ended issues, which an issue enters once.
    expect(defs.filter((d) => /ended_at/.test(d))).toHaveLength(1);
  });
});
