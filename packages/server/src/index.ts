// The server package's public API (for tests, embedding, and the bench).
export { type AppOptions, buildApp, type NagareApp } from './api/app.js';
export { type ErrorCode, errorCodes, NagareError } from './api/errors.js';
export type { NodeInfo, NodeRole } from './api/node-info.js';
// identity: directory and swimlane operator rules (issue 5)
export * from './identity/index.js';
export { checkStore, type StoreCheck } from './store/check.js';
export { maskDatabaseUrl, resolveStoreConfig, type StoreConfig } from './store/config.js';
export { openStore, type Store } from './store/database.js';
export { getInstallation, type Installation } from './store/installation.js';
export { type MigrationReport, migrateToLatest } from './store/migrate.js';
export { StoreError, type StoreErrorKind } from './store/store-error.js';
export { nagareVersion } from './version.js';
