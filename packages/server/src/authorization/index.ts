export { AuthorizationError, type AuthorizationErrorCode } from './authorization-error.js';
export {
  type AuthorizationResolver,
  AuthorizationSettings,
  type AuthorizationSettingsOptions,
  type AuthorizationSettingView,
} from './authorization-settings.js';
export { pkcePair, type TokenSet } from './oauth-client.js';
export { createSecretBox, parseSecretKey, SECRET_KEY_ENV, type SecretBox } from './secret-box.js';
export {
  AUTHORIZATION_KINDS,
  type AuthorizationKind,
  checkSettingInput,
  type SettingConfig,
  type SettingInput,
} from './setting-input.js';
