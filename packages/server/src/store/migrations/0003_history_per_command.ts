import { type Kysely, sql } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * The process log as one row per command instead of one row per event (T2): a command's
 * events go in as one JSON array, so S1's start writes 1 history row instead of 7.
 *
 * `history`: key (issue_id, ordinal), `ordinal` = the ordinal of the row's first event (the
 * issue's events are numbered 1, 2, ... without gaps across rows), `count` = events in the
 * row, `events` = their JSON array, `at` = when the command was committed. Read per event
 * by expanding the arrays in ordinal order (runtime.getIssue; SQL: json_each / jsonb_array_elements).
 *
 * Existing `history_event` rows are carried over as one-event rows, then that table goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('history')
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_pkey', ['issue_id', 'ordinal'])
    .execute();
  await sql`insert into history (issue_id, ordinal, count, workspace_id, events, at)
    select issue_id, ordinal, 1, workspace_id, '[' || payload || ']', at from history_event`.execute(db);
  await db.schema.dropTable('history_event').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('history_event')
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_event_pkey', ['issue_id', 'ordinal'])
    .execute();
  await db.schema.dropTable('history').execute();
}
