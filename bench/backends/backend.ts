/**
 * Where the Nagare side keeps issues between commands. The scenarios only talk to this, so
 * the durable stores (SQLite, PostgreSQL; issue 4) can be measured by the same scenario code:
 * each `apply` is one command, answered once its new state is kept.
 */
import type { Command, DecideResult } from '@nagare/engine';

export interface Backend {
  /** Names the backend in every result line, e.g. `memory`. */
  readonly name: string;
  /** Loads the issue's state (none for a start), runs `decide`, keeps the new state; resolves once it is kept. */
  apply(issueId: string, command: Command): Promise<DecideResult>;
  /**
   * Durable backends with a worker: the issue waits for a job (scenario S1J); resolves with the
   * result once the worker ran it and its result is committed. Absent: the backend runs no jobs.
   */
  settle?(issueId: string): Promise<DecideResult>;
  /** Issues currently kept (ended issues are dropped). */
  size(): number;
  close(): Promise<void>;
}
