/**
 * The tables as the application sees them today (after the latest migration). Migrations do
 * not import this: each one declares the shape it works with, so old migrations never change
 * meaning when the schema moves on.
 *
 * Timestamps are ISO-8601 UTC text on both dialects: one value shape everywhere, no driver
 * date conversion, and they sort correctly as strings.
 */
export interface InstallationTable {
  /** Random UUID made by migration 0001: identifies this installation. */
  id: string;
  created_at: string;
}

export interface Database {
  installation: InstallationTable;
}
