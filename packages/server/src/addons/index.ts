export * from './addon-store.js';
export * from './addon-xml.js';
export { type AddonRoutesOptions, addonRoutes } from './routes.js';
