import type { Connector, ConnectorResult, JobRun } from '../../src/connectors/connector.js';

/**
 * A connector whose outcome the test decides: each run calls `outcome(job)` (default:
 * success) and records the run, so tests see attempts, keys and concurrency.
 */
export class ControlledConnector implements Connector {
  readonly type: string;
  readonly runs: JobRun[] = [];
  outcome: (job: JobRun, signal: AbortSignal) => ConnectorResult | Promise<ConnectorResult> = () => ({
    ok: true,
  });
  running = 0;
  maxRunning = 0;

  constructor(type = 'test') {
    this.type = type;
  }

  async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
    this.runs.push(job);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      return await this.outcome(job, signal);
    } finally {
      this.running -= 1;
    }
  }
}
