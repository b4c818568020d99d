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
  /** HTTP message event requests per minute per client address (or per signed-in user). */
  readonly messageRatePerMinute: number;
}

export const DEFAULT_MESSAGE_RATE_PER_MINUTE = 600;

export function workflowContext(
  store: Store,
  runtime: Runtime,
  files: FileStore,
  messageRatePerMinute = DEFAULT_MESSAGE_RATE_PER_MINUTE,
): WorkflowContext {
  return { store, runtime, files, models: new AppModels(runtime), messageRatePerMinute };
}
