import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface Installation {
  readonly id: string;
  readonly createdAt: string;
}

/** The row migration 0001 made; undefined before migrations ran. */
export async function getInstallation(db: Kysely<Database>): Promise<Installation | undefined> {
  const row = await db.selectFrom('installation').select(['id', 'created_at']).limit(1).executeTakeFirst();
  return row && { id: row.id, createdAt: row.created_at };
}
