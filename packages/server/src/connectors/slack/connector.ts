import type { AuthorizationResolver } from '../../authorization/authorization-settings.js';
import { createOutboundFetch, type OutboundFetch } from '../../outbound/outbound-fetch.js';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { failure } from '../http/outcome.js';
import { baseUrlOf, configText, isFailure, stepAuth, vendorCall } from '../http/vendor-call.js';

export interface SlackConnectorOptions {
  readonly fetch?: OutboundFetch;
  readonly authorization?: AuthorizationResolver;
  readonly baseUrl?: string;
}

/** Slack answers 200 with `ok: false` for its errors; these pass on another attempt. */
const RETRYABLE_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Posts a message with `chat.postMessage` (JSON body, `Authorization: Bearer <token>`). */
export function slackConnector(options: SlackConnectorOptions = {}): Connector {
  const fetch = options.fetch ?? createOutboundFetch();
  return {
    type: 'slack',
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const configs = job.automation.configs;
      const base = baseUrlOf(configs, options.baseUrl ?? 'https://slack.com');
      if (isFailure(base)) return base;
      const issue = await job.issue();
      const channel = configText(issue, configs, 'channel', true);
      if (isFailure(channel)) return channel;
      const text = configText(issue, configs, 'text', true);
      if (isFailure(text)) return text;
      const thread = configText(issue, configs, 'threadTs', false);
      if (isFailure(thread)) return thread;
      const auth = await stepAuth(options.authorization, job, issue, configs.auth?.trim(), signal);
      if (isFailure(auth)) return auth;
      const answer = await vendorCall(fetch, job, signal, 'Slack chat.postMessage', {
        method: 'POST',
        url: `${base}/api/chat.postMessage`,
        headers: { ...auth, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          channel: channel.trim(),
          text,
          ...(thread ? { thread_ts: thread.trim() } : {}),
        }),
      });
      if (isFailure(answer)) return answer;
      const json = (answer.json ?? {}) as { ok?: unknown; error?: unknown; ts?: unknown };
      if (json.ok !== true) {
        const error = typeof json.error === 'string' ? json.error : 'no "ok" in the answer';
        return failure(
          `SLACK_${error.toUpperCase()}`,
          `Slack chat.postMessage: ${error}`,
          RETRYABLE_ERRORS.has(error),
        );
      }
      const tsItem = configs.tsItem?.trim();
      return { ok: true, data: tsItem ? { [tsItem]: typeof json.ts === 'string' ? json.ts : null } : {} };
    },
  };
}
