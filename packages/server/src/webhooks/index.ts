export { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign, verify } from './signature.js';
export { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.js';
export * from './webhook-store.js';
