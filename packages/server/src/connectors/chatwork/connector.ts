import type { AuthorizationResolver } from '../../authorization/authorization-settings.js';
import { createOutboundFetch, type OutboundFetch } from '../../outbound/outbound-fetch.js';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { badConfig } from '../http/outcome.js';
import { baseUrlOf, configText, isFailure, stepAuth, vendorCall } from '../http/vendor-call.js';
import { CHATWORK_TOKEN_HEADER } from './config.js';

export interface ChatworkConnectorOptions {
  readonly fetch?: OutboundFetch;
  readonly authorization?: AuthorizationResolver;
  readonly baseUrl?: string;
}

/** Posts to `/v2/rooms/{room_id}/messages` (form body `body=...`, `X-ChatWorkToken`). */
export function chatworkConnector(options: ChatworkConnectorOptions = {}): Connector {
  const fetch = options.fetch ?? createOutboundFetch();
  return {
    type: 'chatwork',
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const configs = job.automation.configs;
      const base = baseUrlOf(configs, options.baseUrl ?? 'https://api.chatwork.com');
      if (isFailure(base)) return base;
      const issue = await job.issue();
      const room = configText(issue, configs, 'roomId', true);
      if (isFailure(room)) return room;
      if (!/^\d+$/.test(room.trim())) return badConfig(`config "roomId" must be a number, got "${room}"`);
      const message = configText(issue, configs, 'message', true);
      if (isFailure(message)) return message;
      const auth = await stepAuth(options.authorization, job, issue, configs.auth?.trim(), signal);
      if (isFailure(auth)) return auth;
      const answer = await vendorCall(fetch, job, signal, 'ChatWork post message', {
        method: 'POST',
        url: `${base}/v2/rooms/${room.trim()}/messages`,
        headers: { ...tokenHeader(auth), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ body: message }).toString(),
      });
      if (isFailure(answer)) return answer;
      const item = configs.messageIdItem?.trim();
      const id = (answer.json as { message_id?: unknown } | undefined)?.message_id;
      return { ok: true, data: item ? { [item]: id === undefined ? null : String(id) } : {} };
    },
  };
}

/** A `token` setting gives `Authorization: Bearer <t>`; ChatWork wants the token in its own header. */
export function tokenHeader(auth: Record<string, string>): Record<string, string> {
  const bearer = /^Bearer (.+)$/.exec(auth.authorization ?? '');
  return bearer ? { [CHATWORK_TOKEN_HEADER]: bearer[1]! } : auth;
}
