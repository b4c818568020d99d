import { type CompiledApp, compile } from '@nagare/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { RuntimeError } from './errors.js';
import { LoadedOnce } from './loaded-once.js';

/**
 * Compiled apps by version id. A version's BPMN never changes once stored, so its compiled
 * form is derived, immutable data: every node may cache it for as long as it likes.
 */
export class AppCache extends LoadedOnce<CompiledApp> {
  constructor(db: Kysely<Database>) {
    super(async (versionId) => {
      const row = await db
        .selectFrom('app_version')
        .select('bpmn')
        .where('id', '=', versionId)
        .executeTakeFirst();
      if (row === undefined) throw new RuntimeError('UNKNOWN_VERSION', `no app version ${versionId}`);
      return compile(row.bpmn);
    });
  }
}
