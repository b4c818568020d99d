// The server package's public API (for tests, embedding, and the bench).
// add-ons (import, store, export) and the script sandbox with the product's API (issue 7)
export * from './addons/index.js';
export { type AppOptions, buildApp, type NagareApp } from './api/app.js';
export { type Principal, requirePrincipal, type Scope } from './api/auth/principal.js';
export { type ErrorCode, errorCodes, NagareError } from './api/errors.js';
export type { NodeInfo, NodeRole } from './api/node-info.js';
// authorization settings, outbound requests, message start by e-mail (issue 7)
export * from './authorization/index.js';
export * from './connectors/index.js';
// files: FileStore and the local-disk implementation (issue 5)
export * from './files/index.js';
// identity: directory and swimlane operator rules (issue 5)
export * from './identity/index.js';
export * from './mail-in/index.js';
// options masters, search-select and the process log (issue 5)
export * from './options/index.js';
export * from './outbound/index.js';
export * from './process-log/index.js';
export type { CommandOutcome } from './runtime/batch-program.js';
export { type Clock, ManualClock, systemClock } from './runtime/clock.js';
export { RuntimeError, type RuntimeErrorCode } from './runtime/errors.js';
export * from './runtime/runtime.js';
export type { TaskFilter, TaskPage, TaskView } from './runtime/tasks.js';
export { backoffDelay, Worker, type WorkerEvent, type WorkerOptions } from './runtime/worker.js';
export * from './script/index.js';
export { checkStore, type StoreCheck } from './store/check.js';
export { maskDatabaseUrl, resolveStoreConfig, type StoreConfig } from './store/config.js';
export { openStore, type Store } from './store/database.js';
export { getInstallation, type Installation } from './store/installation.js';
export { type MigrationReport, migrateToLatest } from './store/migrate.js';
export { StoreError, type StoreErrorKind } from './store/store-error.js';
export { nagareVersion } from './version.js';
