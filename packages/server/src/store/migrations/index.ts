import type { Migration } from 'kysely';
import * as m0001 from './0001_installation.js';
import * as m0002 from './0002_runtime.js';
import * as m0003 from './0003_history_per_command.js';
import * as m0004 from './0004_identity.js';
import * as m0005 from './0005_authorization_settings.js';
import * as m0006 from './0006_addons.js';
import * as m0007 from './0007_data.js';
import * as m0008 from './0008_tasks.js';
import * as m0009 from './0009_webhooks.js';
import * as m0010 from './0010_task_events.js';
import * as m0011 from './0011_list_indexes.js';
import * as m0012 from './0012_addon_starts.js';
import * as m0013 from './0013_issue_indexes.js';

/**
 * Every migration, by name, in order. Listed by hand rather than read from the folder so that
 * src (tests) and dist (the CLI) load them the same way; a test checks that every file in this
 * folder is listed here.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_installation': m0001,
  '0002_runtime': m0002,
  '0003_history_per_command': m0003,
  '0004_identity': m0004,
  '0005_authorization_settings': m0005,
  '0006_addons': m0006,
  '0007_data': m0007,
  '0008_tasks': m0008,
  '0009_webhooks': m0009,
  '0010_task_events': m0010,
  '0011_list_indexes': m0011,
  '0012_addon_starts': m0012,
  '0013_issue_indexes': m0013,
});
