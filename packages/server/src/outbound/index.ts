export { AllowList, cidrProblem, embeddedIpv4, isRefusedAddress } from './address-policy.js';
export {
  ALLOW_LIST_CACHE_MS,
  OUTBOUND_ALLOW_ENV,
  OutboundAllowList,
  parseAllowList,
} from './allow-list-store.js';
export { OutboundError, type OutboundErrorCode } from './outbound-error.js';
export {
  createOutboundFetch,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_OUTBOUND_TIMEOUT_MS,
  type OutboundContext,
  type OutboundFetch,
  type OutboundLogEntry,
  type OutboundOptions,
  type ResolvedAddress,
} from './outbound-fetch.js';
export { redactUrl } from './redact.js';
