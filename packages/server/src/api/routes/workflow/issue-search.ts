import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../store/schema.js';
import type { Principal } from '../../auth/principal.js';
import { BadRequest, NagareError } from '../../errors.js';
import { appsSeenWhole } from './access.js';
import { type AppModels, issueAccess } from './app-model.js';

export interface IssueSearch {
  readonly appId?: string | undefined;
  readonly status?: string | undefined;
  readonly title?: string | undefined;
  readonly startedBy?: string | undefined;
  readonly startedFrom?: string | undefined;
  readonly startedTo?: string | undefined;
  readonly endedFrom?: string | undefined;
  readonly endedTo?: string | undefined;
  readonly data?: string | readonly string[] | undefined;
  readonly order?: 'newest' | 'oldest' | undefined;
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Text of a JSON path in a text column, on either dialect. */
function jsonText(dialect: 'sqlite' | 'postgres', column: Expression<unknown>, path: readonly string[]) {
  if (dialect === 'sqlite') {
    return sql<string | null>`cast(json_extract(${column}, ${`$.${path.join('.')}`}) as text)`;
  }
  return sql<string | null>`((${column})::jsonb #>> ${`{${path.join(',')}}`})`;
}

/** Who started the issue: `by` of the first event of its first history row. */
function starterExpr(dialect: 'sqlite' | 'postgres') {
  return dialect === 'sqlite'
    ? sql<
        string | null
      >`(select json_extract(h.events, '$[0].by') from history h where h.issue_id = issue.id order by h.ordinal limit 1)`
    : sql<
        string | null
      >`(select (h.events::jsonb)->0->>'by' from history h where h.issue_id = issue.id order by h.ordinal limit 1)`;
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as [string, string];
    }
  } catch {
    // fall through
  }
  throw new NagareError(
    'NAGARE_INVALID_CURSOR',
    'The cursor was not given out by this search: start again without it',
  );
}

export const encodeCursor = (startedAt: string, id: string): string =>
  Buffer.from(JSON.stringify([startedAt, id])).toString('base64url');

/** `field=value` filters, checked: the field name must look like one. */
export function dataFilters(data: string | readonly string[] | undefined): [string, string][] {
  const list = data === undefined ? [] : typeof data === 'string' ? [data] : data;
  return list.map((entry) => {
    const at = entry.indexOf('=');
    const field = at < 0 ? '' : entry.slice(0, at);
    if (!FIELD.test(field)) {
      throw new BadRequest(`querystring.data: "${entry}" is not field=value with a data item field name`);
    }
    return [field, entry.slice(at + 1)];
  });
}

/**
 * The issues of the caller's workspace the caller may see (App authority, started by them,
 * or a task of theirs), filtered, newest first, one page. Read-only; every clause is scoped
 * to the workspace.
 */
export async function searchIssues(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  principal: Principal,
  search: IssueSearch,
  maxRows: number,
  models: AppModels,
) {
  const q = await issueSearchQuery(db, dialect, principal, search, maxRows, models);
  if (q === undefined) return { rows: [], nextCursor: undefined };
  const rows = await q.execute();
  const more = rows.length > maxRows;
  const page = more ? rows.slice(0, maxRows) : rows;
  const last = page.at(-1);
  return { rows: page, nextCursor: more && last ? encodeCursor(last.started_at, last.id) : undefined };
}

/**
 * The search as one query (up to `maxRows + 1` rows, in start order; the index
 * `issue (workspace_id, started_at, id)`, migration 0011, serves the order), or undefined
 * when no issue can match. Exported so a test can EXPLAIN it.
 */
export async function issueSearchQuery(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  principal: Principal,
  search: IssueSearch,
  maxRows: number,
  models: AppModels,
) {
  const filters = dataFilters(search.data);
  // A value can be searched for only where the issue view shows its item: otherwise the
  // search itself would tell a hidden value (is there an issue whose q_secret is "x"?).
  const searchable = filters.length === 0 ? undefined : await versionsShowing(db, principal, filters, models);
  const seen = await appsSeenWhole(db, principal);
  const starter = starterExpr(dialect);
  const me = principal.userId;
  const startedBy = search.startedBy === 'me' ? me : search.startedBy;
  const newest = search.order !== 'oldest';
  let q = db
    .selectFrom('issue')
    .innerJoin('app', (join) =>
      join.onRef('app.id', '=', 'issue.app_id').onRef('app.workspace_id', '=', 'issue.workspace_id'),
    )
    .innerJoin('app_version', 'app_version.id', 'issue.app_version_id')
    .select([
      'issue.id',
      'issue.app_id',
      'issue.status',
      'issue.mode',
      'issue.state',
      'issue.started_at',
      'issue.ended_at',
      'app.name as app_name',
      'app_version.version',
      starter.as('started_by'),
    ])
    .where('issue.workspace_id', '=', principal.workspaceId)
    .where((eb) =>
      eb.or([
        ...(seen.length > 0 ? [eb('issue.app_id', 'in', seen)] : []),
        eb(starter, '=', me),
        eb.exists(
          eb
            .selectFrom('task')
            .select(sql`1`.as('one'))
            .whereRef('task.issue_id', '=', 'issue.id')
            .where('task.workspace_id', '=', principal.workspaceId)
            .where((t) =>
              t.or([
                t('task.assignee', '=', me),
                t('task.completed_by', '=', me),
                t.and([t('task.status', '=', 'offered'), t('task.candidates', 'is', null)]),
                t.exists(
                  t
                    .selectFrom('task_candidate')
                    .select(sql`1`.as('one'))
                    .whereRef('task_candidate.task_id', '=', 'task.id')
                    .where('task_candidate.user_id', '=', me),
                ),
              ]),
            ),
        ),
      ] as Expression<SqlBool>[]),
    );
  if (search.appId !== undefined) q = q.where('issue.app_id', '=', search.appId);
  if (search.status !== undefined) q = q.where('issue.status', '=', search.status);
  if (startedBy !== undefined) q = q.where(starter, '=', startedBy);
  if (search.startedFrom !== undefined) q = q.where('issue.started_at', '>=', search.startedFrom);
  if (search.startedTo !== undefined) q = q.where('issue.started_at', '<', search.startedTo);
  if (search.endedFrom !== undefined) q = q.where('issue.ended_at', '>=', search.endedFrom);
  if (search.endedTo !== undefined) q = q.where('issue.ended_at', '<', search.endedTo);
  if (search.title !== undefined) {
    const pattern = `%${search.title.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(
      sql<SqlBool>`${jsonText(dialect, sql.ref('issue.state'), ['data', 'title'])} like ${pattern} escape '\\'`,
    );
  }
  for (const [field, value] of filters) {
    q = q.where(jsonText(dialect, sql.ref('issue.state'), ['data', field]), '=', value);
  }
  if (searchable !== undefined) {
    if (searchable.length === 0) return undefined;
    q = q.where('issue.app_version_id', 'in', searchable);
  }
  if (search.cursor !== undefined) {
    const [at, id] = decodeCursor(search.cursor);
    q = q.where((eb) =>
      newest
        ? eb.or([
            eb('issue.started_at', '<', at),
            eb.and([eb('issue.started_at', '=', at), eb('issue.id', '<', id)]),
          ])
        : eb.or([
            eb('issue.started_at', '>', at),
            eb.and([eb('issue.started_at', '=', at), eb('issue.id', '>', id)]),
          ]),
    );
  }
  const direction = newest ? 'desc' : 'asc';
  return q
    .orderBy('issue.started_at', direction)
    .orderBy('issue.id', direction)
    .limit(maxRows + 1);
}

/** The workspace's app versions whose issue view shows every filtered item. */
async function versionsShowing(
  db: Kysely<Database>,
  principal: Principal,
  filters: readonly [string, string][],
  models: AppModels,
): Promise<string[]> {
  const versions = await db
    .selectFrom('app_version')
    .select('id')
    .where('workspace_id', '=', principal.workspaceId)
    .execute();
  const out: string[] = [];
  for (const { id } of versions) {
    const shown = issueAccess(await models.load(id));
    if (filters.every(([field]) => shown[field] !== undefined && shown[field]!.mode !== 'hidden'))
      out.push(id);
  }
  return out;
}
