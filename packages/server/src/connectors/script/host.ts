/**
 * What a script run needs from the server, shared by script steps and add-on steps: outbound
 * HTTP (the outbound fetch, which refuses private addresses unless allowed and logs each call
 * with the issue and step) and the App's authorization settings (`httpClient.authSetting`).
 * Declared narrowly here so tests can pass a plain function.
 */
import { createOutboundFetch } from '../../outbound/outbound-fetch.js';
import type { ScriptAuthorization, ScriptFetch } from '../../script/run-script.js';
import type { JobRun } from '../connector.js';

export type ContextFetch = (
  url: string,
  init: RequestInit,
  context: { readonly workspaceId: string; readonly issueId?: string; readonly node?: string },
) => Promise<Response>;

export interface HeadersResolver {
  headersFor(
    workspaceId: string,
    appId: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<Record<string, string>>;
}

export interface ScriptHostDeps {
  /** Default: the outbound fetch (private addresses refused). */
  readonly fetch?: ContextFetch;
  readonly authorization?: HeadersResolver;
}

export function scriptHost(deps: ScriptHostDeps) {
  const fetch: ContextFetch = deps.fetch ?? (createOutboundFetch() as ContextFetch);
  const resolver = deps.authorization;
  const authorization: ScriptAuthorization | undefined = resolver
    ? async ({ workspaceId, appId, name }) => {
        try {
          const headers = await resolver.headersFor(workspaceId, appId, name);
          return { type: 'HEADERS', name, headers };
        } catch {
          return undefined;
        }
      }
    : undefined;
  return {
    authorization,
    fetchFor(job: JobRun): ScriptFetch {
      return (url, init) =>
        fetch(
          url,
          {
            method: init.method,
            headers: init.headers,
            ...(init.body ? { body: init.body } : {}),
            signal: init.signal,
          },
          { workspaceId: job.workspaceId, issueId: job.issueId, node: job.node },
        );
    },
  };
}
