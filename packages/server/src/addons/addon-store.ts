/**
 * Imported add-ons, per Workspace and versioned: `importAddon` reads the XML (refusing bad
 * input with a coded error and its line, writing nothing) and stores it as the next version of
 * its id; `exportAddon` answers the XML exactly as imported. No query crosses workspaces.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { type AddonDefinition, type AddonProblem, parseAddonXml } from './addon-xml.js';

export const ADDON_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class AddonError extends Error {
  override readonly name = 'AddonError';
  constructor(
    /** An AddonCodes value, or `ADDON_BAD_ID` / `ADDON_NOT_FOUND`. */
    readonly code: string,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
  static of(problem: AddonProblem): AddonError {
    return new AddonError(problem.code, problem.message, problem.line);
  }
}

/** What lists and the modeler see: the definition without script, test and icon. */
export type AddonSummary = Omit<AddonDefinition, 'script' | 'test' | 'icon'>;

export interface StoredAddon {
  readonly workspaceId: string;
  readonly addonId: string;
  readonly version: number;
  readonly type: string;
  readonly label: string;
  readonly sha256: string;
  readonly createdAt: string;
  readonly definition: AddonSummary;
}

export interface ImportInput {
  readonly workspaceId: string;
  readonly addonId: string;
  readonly xml: string;
  readonly now?: string;
}

export async function importAddon(db: Kysely<Database>, input: ImportInput): Promise<StoredAddon> {
  if (!ADDON_ID.test(input.addonId))
    throw new AddonError(
      'ADDON_BAD_ID',
      `an add-on id is 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit; got "${input.addonId}"`,
    );
  const parsed = parseAddonXml(input.xml);
  if (!parsed.ok) throw AddonError.of(parsed.problem);
  const { script: _script, test: _test, icon: _icon, ...summary } = parsed.addon;
  const sha256 = createHash('sha256').update(input.xml, 'utf8').digest('hex');
  const createdAt = input.now ?? new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('addon')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('workspace_id', '=', input.workspaceId)
      .where('addon_id', '=', input.addonId)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    await trx
      .insertInto('addon')
      .values({
        workspace_id: input.workspaceId,
        addon_id: input.addonId,
        version,
        addon_type: summary.type,
        label: summary.label,
        definition: JSON.stringify(summary),
        xml: input.xml,
        sha256,
        created_at: createdAt,
      })
      .execute();
    return {
      workspaceId: input.workspaceId,
      addonId: input.addonId,
      version,
      type: summary.type,
      label: summary.label,
      sha256,
      createdAt,
      definition: summary,
    };
  });
}

type Row = Database['addon'];

function toStored(r: Pick<Row, Exclude<keyof Row, 'xml'>>): StoredAddon {
  return {
    workspaceId: r.workspace_id,
    addonId: r.addon_id,
    version: Number(r.version),
    type: r.addon_type,
    label: r.label,
    sha256: r.sha256,
    createdAt: r.created_at,
    definition: JSON.parse(r.definition) as AddonSummary,
  };
}

const SUMMARY_COLUMNS = [
  'workspace_id',
  'addon_id',
  'version',
  'addon_type',
  'label',
  'definition',
  'sha256',
  'created_at',
] as const;

/** The latest version of each add-on of the Workspace, by id. */
export async function listAddons(db: Kysely<Database>, workspaceId: string): Promise<StoredAddon[]> {
  const rows = await db
    .selectFrom('addon as a')
    .select(SUMMARY_COLUMNS.map((c) => `a.${c}` as const))
    .where('a.workspace_id', '=', workspaceId)
    .where((eb) =>
      eb(
        'a.version',
        '=',
        eb
          .selectFrom('addon as b')
          .select((e) => e.fn.max('b.version').as('v'))
          .whereRef('b.workspace_id', '=', 'a.workspace_id')
          .whereRef('b.addon_id', '=', 'a.addon_id'),
      ),
    )
    .orderBy('a.addon_id')
    .execute();
  return rows.map(toStored);
}

/** Every version of one add-on, oldest first. */
export async function addonVersions(
  db: Kysely<Database>,
  workspaceId: string,
  addonId: string,
): Promise<StoredAddon[]> {
  const rows = await db
    .selectFrom('addon')
    .select([...SUMMARY_COLUMNS])
    .where('workspace_id', '=', workspaceId)
    .where('addon_id', '=', addonId)
    .orderBy('version')
    .execute();
  return rows.map(toStored);
}

/** One version (default the latest) with its XML; undefined when there is none. */
export async function getAddon(
  db: Kysely<Database>,
  workspaceId: string,
  addonId: string,
  version?: number,
): Promise<(StoredAddon & { readonly xml: string }) | undefined> {
  let q = db
    .selectFrom('addon')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('addon_id', '=', addonId);
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  return row ? { ...toStored(row), xml: row.xml } : undefined;
}

/** The XML exactly as imported. */
export async function exportAddon(
  db: Kysely<Database>,
  workspaceId: string,
  addonId: string,
  version?: number,
): Promise<string> {
  const found = await getAddon(db, workspaceId, addonId, version);
  if (!found)
    throw new AddonError(
      'ADDON_NOT_FOUND',
      `no add-on "${addonId}"${version === undefined ? '' : ` version ${version}`} in this workspace`,
    );
  return found.xml;
}

/**
 * An automation's `addon` reference: `id` (latest version) or `id@version`.
 */
export function parseAddonRef(ref: string): { addonId: string; version?: number } | undefined {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,99})(?:@(\d+))?$/.exec(ref.trim());
  if (!m) return undefined;
  return m[2] === undefined ? { addonId: m[1]! } : { addonId: m[1]!, version: Number(m[2]) };
}

/** Loads an add-on's full definition (script included) for the add-on connector. */
export function addonLoader(db: Kysely<Database>) {
  return async (
    workspaceId: string,
    addonId: string,
    version?: number,
  ): Promise<AddonDefinition | undefined> => {
    const found = await getAddon(db, workspaceId, addonId, version);
    if (!found) return undefined;
    const parsed = parseAddonXml(found.xml);
    return parsed.ok ? parsed.addon : undefined;
  };
}
