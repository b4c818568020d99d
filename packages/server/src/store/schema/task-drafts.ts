/** A task form saved but not finished (migration 0009): the values typed so far, per user. */
export interface TaskDraftTable {
  workspace_id: string;
  task_id: string;
  user_id: string;
  /** JSON object: field name → value, only what the user changed. */
  data: string;
  button: string | null;
  updated_at: string;
}

export interface TaskDraftTables {
  task_draft: TaskDraftTable;
}
