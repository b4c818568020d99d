/**
 * The ChatWork step's configs (`nagare:automation type="chatwork"`): post a message to a room.
 *
 * | name           | meaning                                                                 |
 * | -------------- | ----------------------------------------------------------------------- |
 * | `auth`         | required: an authorization setting with the API token: kind `header` named `X-ChatWorkToken`, or kind `token` |
 * | `roomId`       | required: the room id; may carry data items                             |
 * | `message`      | required: the text; may carry data items                                |
 * | `messageIdItem`| receives the posted message's id                                        |
 * | `baseUrl`      | default `https://api.chatwork.com`                                      |
 */
export const CHATWORK_TOKEN_HEADER = 'X-ChatWorkToken';
