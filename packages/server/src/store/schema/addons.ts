/**
 * The table of migration 0006_addons: imported Add-on XML definitions, per Workspace, one row
 * per version. `xml` is the text exactly as imported (exported again byte for byte); the
 * other columns are what the importer read from it, for lists and the modeler's form.
 */
export interface AddonTable {
  workspace_id: string;
  /** Chosen at import (e.g. the file name without `.xml`); stable across versions. */
  addon_id: string;
  /** 1, 2, …: each import of the same id adds the next version. */
  version: number;
  /** `SERVICE_TASK`, `START_EVENT`, `START_EVENT_TIMER`, `START_EVENT_WEBHOOK`. */
  addon_type: string;
  label: string;
  /** JSON of the parsed definition without script, test and icon (configs, labels, …). */
  definition: string;
  xml: string;
  /** Hex SHA-256 of the UTF-8 of `xml`. */
  sha256: string;
  created_at: string;
}

export interface AddonTables {
  addon: AddonTable;
}
