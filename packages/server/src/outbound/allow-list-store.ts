/**
 * Each Workspace's outbound allow-list as its administrator set it (table `outbound_allow`,
 * migration 0005), plus installation-wide entries from NAGARE_OUTBOUND_ALLOW. The `allow`
 * function plugs into createOutboundFetch.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { cidrProblem } from './address-policy.js';
import { OutboundError } from './outbound-error.js';

export const OUTBOUND_ALLOW_ENV = 'NAGARE_OUTBOUND_ALLOW';

/** Comma- or space-separated CIDR ranges; an error naming the bad entry otherwise. */
export function parseAllowList(text: string | undefined): string[] {
  const entries = (text ?? '').split(/[\s,]+/).filter((e) => e !== '');
  for (const entry of entries) {
    const problem = cidrProblem(entry);
    if (problem) throw new OutboundError('BAD_URL', `${OUTBOUND_ALLOW_ENV}: ${problem}`);
  }
  return entries;
}

/** How long `allow` reuses a workspace's list: a change reaches every node within this. */
export const ALLOW_LIST_CACHE_MS = 5_000;

export class OutboundAllowList {
  readonly #db: Kysely<Database>;
  readonly #everywhere: readonly string[];
  readonly #now: () => Date;
  readonly #cache = new Map<string, { at: number; list: Promise<string[]> }>();

  constructor(db: Kysely<Database>, options: { everywhere?: readonly string[]; now?: () => Date } = {}) {
    this.#db = db;
    this.#everywhere = options.everywhere ?? [];
    this.#now = options.now ?? (() => new Date());
  }

  /** Opens a range for the workspace; refuses (BAD_URL) what is not a CIDR range or address. */
  async add(workspaceId: string, cidr: string): Promise<void> {
    const entry = cidr.trim();
    const problem = cidrProblem(entry);
    if (problem) throw new OutboundError('BAD_URL', problem);
    const exists = await this.#db
      .selectFrom('outbound_allow')
      .select('cidr')
      .where('workspace_id', '=', workspaceId)
      .where('cidr', '=', entry)
      .executeTakeFirst();
    if (exists) return;
    await this.#db
      .insertInto('outbound_allow')
      .values({ workspace_id: workspaceId, cidr: entry, created_at: this.#now().toISOString() })
      .execute();
    this.#cache.delete(workspaceId);
  }

  async remove(workspaceId: string, cidr: string): Promise<void> {
    await this.#db
      .deleteFrom('outbound_allow')
      .where('workspace_id', '=', workspaceId)
      .where('cidr', '=', cidr.trim())
      .execute();
    this.#cache.delete(workspaceId);
  }

  async list(workspaceId: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('outbound_allow')
      .select('cidr')
      .where('workspace_id', '=', workspaceId)
      .orderBy('cidr')
      .execute();
    return rows.map((r) => r.cidr);
  }

  /**
   * For createOutboundFetch: the workspace's entries and the installation-wide ones, read at
   * most every ALLOW_LIST_CACHE_MS per workspace (not once per request).
   */
  readonly allow = async (workspaceId: string): Promise<readonly string[]> => {
    const now = Date.now();
    let cached = this.#cache.get(workspaceId);
    if (!cached || now - cached.at > ALLOW_LIST_CACHE_MS) {
      cached = { at: now, list: this.list(workspaceId) };
      this.#cache.set(workspaceId, cached);
      cached.list.catch(() => this.#cache.delete(workspaceId));
    }
    return [...this.#everywhere, ...(await cached.list)];
  };
}
