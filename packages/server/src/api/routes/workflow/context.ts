import type { FileStore } from '../../../files/file-store.js';
import type { Runtime } from '../../../runtime/runtime.js';
import type { Store } from '../../../store/database.js';
import { AppModels } from './app-model.js';

/** What every workflow route needs: the store (reads), the runtime (commands), the files. */
export interface WorkflowContext {
  readonly store: Store;
  readonly runtime: Runtime;
  readonly files: FileStore;
  /** Parsed App versions (data items, access matrix), cached by version id: versions never change. */
  readonly models: AppModels;
}

export function workflowContext(store: Store, runtime: Runtime, files: FileStore): WorkflowContext {
  return { store, runtime, files, models: new AppModels(store.db) };
}
