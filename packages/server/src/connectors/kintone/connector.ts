import type { DataValues } from '@nagare/engine';
import type { AuthorizationResolver } from '../../authorization/authorization-settings.js';
import { createOutboundFetch, type OutboundFetch } from '../../outbound/outbound-fetch.js';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { toItemValue } from '../http/item-value.js';
import { badConfig, type Failure } from '../http/outcome.js';
import { baseUrlOf, configText, isFailure, stepAuth, vendorCall } from '../http/vendor-call.js';
import { KINTONE_TOKEN_HEADER, readKintoneConfig } from './config.js';

export interface KintoneConnectorOptions {
  readonly fetch?: OutboundFetch;
  readonly authorization?: AuthorizationResolver;
}

/**
 * kintone's REST API: add a record (`POST /k/v1/record.json`) or read one (`GET
 * /k/v1/record.json?app=&id=`), authenticated with an API token in `X-Cybozu-API-Token`.
 */
export function kintoneConnector(options: KintoneConnectorOptions = {}): Connector {
  const fetch = options.fetch ?? createOutboundFetch();
  return {
    type: 'kintone',
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const configs = job.automation.configs;
      const config = readKintoneConfig(configs);
      if (typeof config === 'string') return badConfig(config);
      if (!configs.baseUrl?.trim())
        return badConfig(
          'config "baseUrl" is required: your kintone domain, e.g. https://example.cybozu.com',
        );
      const base = baseUrlOf(configs, undefined);
      if (isFailure(base)) return base;
      const issue = await job.issue();
      const auth = await stepAuth(options.authorization, job, issue, configs.auth?.trim(), signal);
      if (isFailure(auth)) return auth;
      const bearer = /^Bearer (.+)$/.exec(auth.authorization ?? '');
      const headers = bearer ? { [KINTONE_TOKEN_HEADER]: bearer[1]! } : auth;
      if (config.action === 'addRecord') {
        const record: Record<string, { value: unknown }> = {};
        for (const [code, item] of config.fields) {
          if (Object.keys(issue.app.dataItems).length > 0 && !issue.app.dataItems[item]) {
            return badConfig(`config "fields": the app has no data item "${item}"`);
          }
          record[code] = { value: kintoneValue(issue.data[item]) };
        }
        const answer = await vendorCall(fetch, job, signal, 'kintone add record', {
          method: 'POST',
          url: `${base}/k/v1/record.json`,
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ app: config.app, record }),
        });
        if (isFailure(answer)) return answer;
        const id = (answer.json as { id?: unknown } | undefined)?.id;
        return {
          ok: true,
          data: config.recordIdItem ? { [config.recordIdItem]: id === undefined ? null : String(id) } : {},
        };
      }
      const recordId = configText(issue, configs, 'recordId', true);
      if (isFailure(recordId)) return recordId;
      const query = new URLSearchParams({ app: config.app, id: recordId.trim() });
      const answer = await vendorCall(fetch, job, signal, 'kintone get record', {
        method: 'GET',
        url: `${base}/k/v1/record.json?${query}`,
        headers,
      });
      if (isFailure(answer)) return answer;
      const record = (answer.json as { record?: Record<string, { value?: unknown }> } | undefined)?.record;
      if (!record) return bad('kintone get record: the answer has no record');
      const data: DataValues = {};
      for (const [code, item] of config.fields) {
        if (!(code in record)) return bad(`kintone get record: the record has no field "${code}"`);
        const value = toItemValue(issue.app, item, record[code]?.value);
        if (!value.ok) return bad(`kintone get record: field ${code}: ${value.error}`);
        data[item] = value.value;
      }
      return { ok: true, data };
    },
  };
}

/** Data values as kintone fields take them (numbers as text, users as codes, choices as is). */
function kintoneValue(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value))
    return value.map((v) =>
      typeof v === 'object' && v !== null && 'id' in v ? { code: (v as { id: string }).id } : v,
    );
  if (typeof value === 'object' && 'id' in (value as object)) return [{ code: (value as { id: string }).id }];
  return value;
}

function bad(message: string): Failure {
  return { ok: false, error: { code: 'BAD_ANSWER', message }, retryable: false };
}
