export {
  HttpChoiceSource,
  type HttpChoiceSourceOptions,
  type HttpChoicesQuery,
} from './http-choice-source.js';
export { OptionsError, type OptionsErrorCode } from './options-error.js';
export { type CachedIndex, OptionsIndexCache } from './options-index-cache.js';
export { type MasterRevision, type OptionsMasterInfo, OptionsMasterStore } from './options-master-store.js';
export { OptionsService, type OptionsServiceOptions } from './options-service.js';
export {
  type Choice,
  type ChoicesPage,
  type ChoicesQuery,
  DEFAULT_CHOICES_LIMIT,
  MAX_CHOICES_LIMIT,
} from './search-select.js';
