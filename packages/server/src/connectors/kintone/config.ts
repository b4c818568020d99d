/**
 * The kintone step's configs (`nagare:automation type="kintone"`).
 *
 * | name            | meaning                                                                    |
 * | --------------- | -------------------------------------------------------------------------- |
 * | `auth`          | required: an authorization setting with the API token: kind `header` named `X-Cybozu-API-Token`, or kind `token` |
 * | `baseUrl`       | required: the kintone domain, e.g. `https://example.cybozu.com`            |
 * | `action`        | required: `addRecord` or `getRecord`                                       |
 * | `app`           | required: the kintone app id                                               |
 * | `fields`        | `kintoneFieldCode=q_item` lines: addRecord sends the item's value as the field's; getRecord writes the field's value into the item |
 * | `recordId`      | getRecord: the record id; may carry data items                             |
 * | `recordIdItem`  | addRecord: receives the new record's id                                    |
 */
import { readFieldMap } from '../http/json-path.js';

export const KINTONE_TOKEN_HEADER = 'X-Cybozu-API-Token';

export interface KintoneConfig {
  readonly action: 'addRecord' | 'getRecord';
  readonly app: string;
  readonly fields: readonly (readonly [string, string])[];
  readonly recordIdItem: string | undefined;
}

export function readKintoneConfig(configs: Readonly<Record<string, string>>): KintoneConfig | string {
  const action = configs.action?.trim() as KintoneConfig['action'];
  if (action !== 'addRecord' && action !== 'getRecord') {
    return `config "action" must be addRecord or getRecord, got "${configs.action ?? ''}"`;
  }
  const app = configs.app?.trim() ?? '';
  if (!/^\d+$/.test(app)) return `config "app" must be the kintone app id (a number), got "${app}"`;
  const fields = readFieldMap(configs.fields, 'fields');
  if (typeof fields === 'string') return fields;
  if (action === 'addRecord' && fields.length === 0) return 'config "fields" is required for addRecord';
  return { action, app, fields, recordIdItem: configs.recordIdItem?.trim() || undefined };
}
