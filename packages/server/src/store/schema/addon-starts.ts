/**
 * The table of migration 0012_addon_starts: the items a polling start-event add-on started an
 * issue for (one per workspace, app, start event and item id), so an id never starts two issues.
 */
export interface AddonStartItemTable {
  workspace_id: string;
  app_id: string;
  /** The start event. */
  node: string;
  /** The item's `id` as text. */
  item_id: string;
  issue_id: string;
  /** The item's `timestamp` (ISO UTC), when it had one. */
  item_at: string | null;
  created_at: string;
}

export interface AddonStartTables {
  addon_start_item: AddonStartItemTable;
}
