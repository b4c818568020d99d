/**
 * The Slack step's configs (`nagare:automation type="slack"`): `chat.postMessage`.
 *
 * | name        | meaning                                                               |
 * | ----------- | --------------------------------------------------------------------- |
 * | `auth`      | required: an authorization setting with the bot token (kind `token`, or `oauth2`) |
 * | `channel`   | required: channel id or name; may carry data items                    |
 * | `text`      | required: the message; may carry data items                           |
 * | `threadTs`  | reply in this thread (a message `ts`)                                 |
 * | `tsItem`    | receives the posted message's `ts`                                    |
 * | `baseUrl`   | default `https://slack.com`                                           |
 */
export const SLACK_CONFIGS = ['auth', 'channel', 'text', 'threadTs', 'tsItem', 'baseUrl'] as const;
