import { createHash } from 'node:crypto';
import { type OptionItem, type OptionsXmlLimits, parseOptionsXml } from '@nagare/engine';
import { sql } from 'kysely';
import type { Store } from '../store/database.js';
import { checkMasterName } from './master-name.js';
import { describeProblems, OptionsError } from './options-error.js';

/** One import of a master: its version and the hash of its XML. */
export interface MasterRevision {
  readonly version: number;
  readonly sha256: string;
}

/** What a master is, without its items. */
export interface OptionsMasterInfo {
  readonly name: string;
  /** 1 on the first import, +1 on each replacement. */
  readonly version: number;
  readonly itemCount: number;
  /** Hex SHA-256 of the XML last imported. */
  readonly sha256: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Options masters in the store, per Workspace. An import replaces the master's items whole,
 * in one statement (insert, or update with version + 1), after the XML has been read without a
 * problem: a bad file changes nothing. Every query is keyed by the Workspace id.
 */
export class OptionsMasterStore {
  readonly #store: Store;
  readonly #limits: OptionsXmlLimits;
  readonly #now: () => Date;

  constructor(store: Store, options: { limits?: OptionsXmlLimits; now?: () => Date } = {}) {
    this.#store = store;
    this.#limits = options.limits ?? {};
    this.#now = options.now ?? (() => new Date());
  }

  /** Reads the XML and stores its items as the master's new version. */
  async import(workspaceId: string, name: string, xml: string): Promise<OptionsMasterInfo> {
    checkMasterName(name);
    const parsed = parseOptionsXml(xml, this.#limits);
    if (!parsed.ok) {
      throw new OptionsError(
        'INVALID_OPTIONS_XML',
        `options master "${name}": ${describeProblems(parsed.problems)}`,
        {
          problems: parsed.problems,
        },
      );
    }
    const at = this.#now().toISOString();
    const items = JSON.stringify(parsed.items.map((i) => [i.value, i.display]));
    const sha256 = createHash('sha256').update(xml).digest('hex');
    const row = await this.#store.db
      .insertInto('options_master')
      .values({
        workspace_id: workspaceId,
        name,
        version: 1,
        item_count: parsed.items.length,
        sha256,
        items,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'name']).doUpdateSet({
          version: sql`options_master.version + 1`,
          item_count: parsed.items.length,
          sha256,
          items,
          updated_at: at,
        }),
      )
      .returning(['name', 'version', 'item_count', 'sha256', 'created_at', 'updated_at'])
      .executeTakeFirstOrThrow();
    return toInfo(row);
  }

  async list(workspaceId: string): Promise<OptionsMasterInfo[]> {
    const rows = await this.#store.db
      .selectFrom('options_master')
      .select(['name', 'version', 'item_count', 'sha256', 'created_at', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    return rows.map(toInfo);
  }

  /**
   * Which import of the master is current (one key lookup), or undefined when there is none of
   * that name. The hash tells two imports apart even when the version number repeats (a master
   * removed, then imported again, starts at 1).
   */
  async revision(workspaceId: string, name: string): Promise<MasterRevision | undefined> {
    const row = await this.#store.db
      .selectFrom('options_master')
      .select(['version', 'sha256'])
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? { version: Number(row.version), sha256: row.sha256 } : undefined;
  }

  /** The master's items and the revision they belong to, or undefined. */
  async items(
    workspaceId: string,
    name: string,
  ): Promise<(MasterRevision & { items: OptionItem[] }) | undefined> {
    const row = await this.#store.db
      .selectFrom('options_master')
      .select(['version', 'sha256', 'items'])
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) return undefined;
    const pairs = JSON.parse(row.items) as [string, string][];
    return {
      version: Number(row.version),
      sha256: row.sha256,
      items: pairs.map(([value, display]) => ({ value, display })),
    };
  }

  /** Removes the master; false when there was none. */
  async delete(workspaceId: string, name: string): Promise<boolean> {
    const result = await this.#store.db
      .deleteFrom('options_master')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function toInfo(row: {
  name: string;
  version: number;
  item_count: number;
  sha256: string;
  created_at: string;
  updated_at: string;
}): OptionsMasterInfo {
  return {
    name: row.name,
    version: Number(row.version),
    itemCount: Number(row.item_count),
    sha256: row.sha256,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
