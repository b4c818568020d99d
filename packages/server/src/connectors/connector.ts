/**
 * The one interface every connector (auto-step executor) implements. A connector is a folder
 * of the same shape (`<name>/config.ts` reads and checks the step's configs,
 * `<name>/connector.ts` runs it; tests in test/connectors/<name>); nothing outside
 * `connectors/` knows one connector's details.
 *
 * Side effects are at-least-once: a job may run again after a crash or a lost lease. Every
 * run carries the job's stable `idempotencyKey` (issue id + ':' + seq), and a connector
 * passes it on (HTTP: the `Idempotency-Key` header) so the receiver can recognise a repeat.
 */
import type { AutomationSpec, CompiledApp, DataValues } from '@nagare/engine';

export interface JobRun {
  readonly workspaceId: string;
  readonly issueId: string;
  readonly seq: number;
  readonly node: string;
  /** 1 on the first run; counts every claim. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly idempotencyKey: string;
  readonly automation: AutomationSpec;
  /**
   * The issue as it is while the job runs (its data values, app, mode). Loaded from the store
   * on the first call, so connectors that need no data cost no read.
   */
  issue(): Promise<JobIssue>;
}

/** What a connector may read about the issue its job belongs to. */
export interface JobIssue {
  readonly id: string;
  readonly workspaceId: string;
  readonly appId: string;
  readonly appVersionId: string;
  /** `test` for a debug run. */
  readonly mode: string;
  readonly startedAt: string;
  /** The data values now, by field name. */
  readonly data: DataValues;
  /** The compiled app version the issue runs: data item definitions, steps. */
  readonly app: CompiledApp;
  /** The Workspace's time zone (an IANA name such as `Asia/Tokyo`); absent: UTC. */
  readonly timeZone?: string;
  /** Who started the issue, when known (scripts' EL `processInstanceInitQuser…`). */
  readonly starter?: { readonly id: string; readonly name: string | null; readonly email: string | null };
}

export type ConnectorResult =
  | { readonly ok: true; readonly data?: DataValues }
  | {
      readonly ok: false;
      readonly error: { readonly code?: string; readonly message: string };
      /** true: worth another attempt (timeouts, 5xx); false: fails the same way again. */
      readonly retryable: boolean;
    };

export interface Connector {
  /** The `nagare:automation type` it runs. */
  readonly type: string;
  /** Never throws for the step's own failures; `signal` aborts on shutdown and at the lease end. */
  run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult>;
}

export interface ConnectorRegistry {
  get(type: string): Connector | undefined;
  types(): readonly string[];
}

export function createConnectorRegistry(connectors: readonly Connector[]): ConnectorRegistry {
  const byType = new Map(connectors.map((c) => [c.type, c]));
  return Object.freeze({
    get: (type: string) => byType.get(type),
    types: () => [...byType.keys()],
  });
}
