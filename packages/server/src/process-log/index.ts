export { deriveEntries, type HistoryRow, type TaskAllocation } from './derive-entries.js';
export {
  DEFAULT_LOG_LIMIT,
  MAX_LOG_LIMIT,
  ProcessLog,
  type ProcessLogFilter,
  type ProcessLogPage,
} from './process-log.js';
export { PROCESS_LOG_CSV_COLUMNS, processLogCsv } from './process-log-csv.js';
export type { DataChange, ProcessLogEntry, ProcessLogKind } from './process-log-entry.js';
export { ProcessLogError, type ProcessLogErrorCode } from './process-log-error.js';
