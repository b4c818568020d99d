// Data items: definitions with the product's settings, validation, computed values, the
// per-step access matrix (and its CSV form), options masters and the search-select index.

export {
  ACCESS_CSV_ITEM,
  ACCESS_CSV_LABEL,
  ACCESS_CSV_NAMES,
  type AccessCsvImport,
  type AccessMatrix,
  type AccessMode,
  type AccessProblem,
  type AccessStep,
  accessOf,
  applyWrite,
  type CsvLineError,
  exportAccessCsv,
  type ItemAccess,
  importAccessCsv,
  readAccessMatrix,
  type StepAccess,
  stepAccess,
  validateForm,
  visibleData,
  type WriteOptions,
  type WriteResult,
} from './access-matrix.js';
export { type ComputeOptions, computeDerived, type Derived, isComputed } from './compute.js';
export { type CsvParse, type CsvRecord, type FormatCsvOptions, formatCsv, parseCsv } from './csv.js';
export { decimalPlacesOf, numericValue, roundDecimal } from './decimal.js';
export { checkDefinitions, FIELD_NAME, normalizeValue, readDataItem, readDataItems } from './definitions.js';
export {
  DEFAULT_MAX_OPTIONS_BYTES,
  DEFAULT_MAX_OPTIONS_ITEMS,
  type OptionItem,
  type OptionsCode,
  OptionsCodes,
  OptionsIndex,
  type OptionsParse,
  type OptionsProblem,
  type OptionsQuery,
  type OptionsXmlLimits,
  parseOptionsXml,
  searchForm,
} from './options-master.js';
export * from './types.js';
export {
  type ChoiceLookup,
  checkParentChoice,
  describeItem,
  isEmptyValue,
  selectedIds,
  type ValidateOptions,
  validateValue,
} from './validate.js';
