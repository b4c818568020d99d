import type { Kysely, Transaction } from 'kysely';
import type { MembershipTable } from '../store/schema/identity.js';
import type { Database } from '../store/schema.js';
import type { Position } from './directory.js';
import { IdentityError } from './identity-error.js';
import { decodePairCursor, encodeCursor, type Page, type PageRequest, pageSize } from './page.js';

/** A user's place in an organization: leader or member (Questetra's position). */
export interface MembershipRecord {
  readonly organizationId: string;
  readonly userId: string;
  readonly position: Position;
  readonly createdAt: string;
}

type Db = Kysely<Database> | Transaction<Database>;

const toRecord = (row: MembershipTable): MembershipRecord => ({
  organizationId: row.organization_id,
  userId: row.user_id,
  position: row.position,
  createdAt: row.created_at,
});

async function checkBoth(db: Db, workspaceId: string, organizationId: string, userId: string) {
  const org = await db
    .selectFrom('organization')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!org) throw new IdentityError('notFound', `No organization with id "${organizationId}"`);
  const user = await db
    .selectFrom('workspace_user')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw new IdentityError('notFound', `No user with id "${userId}"`);
}

/** Adds the user to the organization, or changes their position there. */
export async function setMembership(
  db: Kysely<Database>,
  workspaceId: string,
  organizationId: string,
  userId: string,
  position: Position,
): Promise<MembershipRecord> {
  return db.transaction().execute(async (trx) => {
    await checkBoth(trx, workspaceId, organizationId, userId);
    const row: MembershipTable = {
      workspace_id: workspaceId,
      organization_id: organizationId,
      user_id: userId,
      position,
      created_at: new Date().toISOString(),
    };
    await trx
      .insertInto('membership')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'organization_id', 'user_id']).doUpdateSet({ position }),
      )
      .execute();
    const stored = await trx
      .selectFrom('membership')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return toRecord(stored);
  });
}

export async function removeMembership(
  db: Kysely<Database>,
  workspaceId: string,
  organizationId: string,
  userId: string,
): Promise<void> {
  const result = await db
    .deleteFrom('membership')
    .where('workspace_id', '=', workspaceId)
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new IdentityError(
      'notFound',
      `User "${userId}" is not a member of organization "${organizationId}"`,
    );
  }
}

/** Memberships of an organization or of a user (or all), in (organization, user) order. */
export async function listMemberships(
  db: Db,
  workspaceId: string,
  request: PageRequest & { readonly organizationId?: string; readonly userId?: string },
): Promise<Page<MembershipRecord>> {
  const limit = pageSize(request);
  const after = decodePairCursor(request.cursor);
  let query = db.selectFrom('membership').selectAll().where('workspace_id', '=', workspaceId);
  if (request.organizationId !== undefined)
    query = query.where('organization_id', '=', request.organizationId);
  if (request.userId !== undefined) query = query.where('user_id', '=', request.userId);
  if (after !== undefined) {
    const [org, user] = after;
    query = query.where((eb) =>
      eb.or([
        eb('organization_id', '>', org),
        eb.and([eb('organization_id', '=', org), eb('user_id', '>', user)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('organization_id')
    .orderBy('user_id')
    .limit(limit + 1)
    .execute();
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return rows.length > limit && last
    ? {
        items: kept.map(toRecord),
        nextCursor: encodeCursor(JSON.stringify([last.organization_id, last.user_id])),
      }
    : { items: kept.map(toRecord) };
}
