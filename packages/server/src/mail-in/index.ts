export { MAIL_IN_HOST_ENV, startMailInFromEnv } from './from-env.js';
export {
  DEFAULT_MAIL_IN_MAX_BYTES,
  MAIL_IN_PORT_ENV,
  type MailIn,
  type MailInOptions,
  startMailIn,
} from './mail-in-server.js';
export { MAIL_CHANNELS, type MailRoute, MailRoutes, mailStartEvents } from './mail-routes.js';
