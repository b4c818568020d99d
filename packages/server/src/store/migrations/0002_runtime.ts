import { type Kysely, sql } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * The runtime's tables (docs/runtime.md). Every table carries `workspace_id`, so tenant
 * isolation later needs no schema change; one `default` workspace is created here.
 *
 * Timestamps are ISO-8601 UTC text (sortable as strings), JSON is text, on both dialects.
 * The hot tables (issue, history_event, task, job) have no foreign keys: every write to them
 * goes through the runtime's command batch, which keeps them consistent, and FK checks would
 * cost on every insert of the hottest path (T2).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspace')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into workspace (id, name, time_zone, created_at) values ('default', 'Default', 'UTC', ${new Date().toISOString()})`.execute(
    db,
  );

  await db.schema
    .createTable('app')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspace.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('released_version_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('app_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull().references('app.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | released | retired
    .addColumn('process_id', 'text', (c) => c.notNull())
    .addColumn('bpmn', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text')
    .addUniqueConstraint('app_version_app_version_key', ['app_id', 'version'])
    .execute();

  await db.schema
    .createTable('issue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('app_version_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | completed | terminated | cancelled
    .addColumn('mode', 'text', (c) => c.notNull()) // normal | test
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull()) // optimistic concurrency
    .addColumn('events', 'integer', (c) => c.notNull()) // history events so far: the next ordinal - 1
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('issue_app_status_idx').on('issue').columns(['app_id', 'status']).execute();
  await db.schema.createIndex('issue_ended_at_idx').on('issue').column('ended_at').execute();

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

  await db.schema
    .createTable('task')
    .addColumn('id', 'text', (c) => c.primaryKey()) // issueId:seq, or issueId:seq:operator for a team step
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('lane', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // offered | allocated | done | cancelled
    .addColumn('assignee', 'text')
    .addColumn('candidates', 'text') // JSON array of operators, or null
    .addColumn('team', 'text') // all | any | null
    .addColumn('buttons', 'text') // JSON
    .addColumn('due_at', 'text')
    .addColumn('deadline', 'text') // JSON StepDeadline
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('completed_by', 'text')
    .execute();
  await db.schema.createIndex('task_issue_seq_idx').on('task').columns(['issue_id', 'seq']).execute();
  await db.schema
    .createIndex('task_status_assignee_idx')
    .on('task')
    .columns(['status', 'assignee'])
    .execute();
  await db.schema
    .createIndex('task_app_node_status_idx')
    .on('task')
    .columns(['app_id', 'node', 'status'])
    .execute();

  await db.schema
    .createTable('job')
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // job | timer
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('payload', 'text') // JSON AutomationSpec for a job
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // One wait has one job: the key is the engine's (issue, seq).
    .addPrimaryKeyConstraint('job_pkey', ['issue_id', 'seq'])
    .execute();
  await db.schema.createIndex('job_run_at_idx').on('job').column('run_at').execute();

  await db.schema
    .createTable('incident')
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | resolved
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addPrimaryKeyConstraint('incident_pkey', ['issue_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('incident_status_idx')
    .on('incident')
    .columns(['status', 'created_at'])
    .execute();

  await db.schema
    .createTable('message_subscription')
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_subscription_pkey', ['issue_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('message_subscription_lookup_idx')
    .on('message_subscription')
    .columns(['app_id', 'node', 'key'])
    .execute();

  await db.schema
    .createTable('timer_start')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('app_version_id', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull()) // JSON TimerStartSpec
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('armed_at', 'text', (c) => c.notNull())
    .addColumn('next_at', 'text') // null: spent
    .addColumn('last_fired_at', 'text')
    .addColumn('fired', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addPrimaryKeyConstraint('timer_start_pkey', ['app_id', 'node'])
    .execute();
  await db.schema.createIndex('timer_start_next_at_idx').on('timer_start').column('next_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'timer_start',
    'message_subscription',
    'incident',
    'job',
    'task',
    'history_event',
    'issue',
    'app_version',
    'app',
    'workspace',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
