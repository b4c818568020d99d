/**
 * Why the runtime refused or failed a call. `code` is stable (the REST API will map it to
 * its `NAGARE_*` codes); `message` is for people. A refused command changed nothing.
 *
 * - `REJECTED`: the engine refused the command; `rejection` holds its code (docs/engine.md,
 *   e.g. `STALE_SEQ`, `ALREADY_STARTED`, `BUTTON_REQUIRED`).
 * - `UNKNOWN_APP`, `UNKNOWN_VERSION`, `UNKNOWN_ISSUE`, `UNKNOWN_TASK`, `UNKNOWN_INCIDENT`: no such thing.
 * - `COMPILE_FAILED`: the BPMN does not compile; `problems` lists why (each names its element).
 * - `NOT_RELEASED`: the app has no released version to start issues on.
 * - `LEASE_LOST`: a worker reported a job it no longer holds (its lease ran out and another
 *   worker claimed it, or the job was cancelled).
 * - `INVALID_DATA`: data the step may not write, or that fails its item's rules; `details`
 *   lists each problem with its item.
 * - `NOT_YOUR_TASK`: the caller is neither the task's assignee nor (while it is offered) a candidate.
 * - `TASK_NOT_OPEN`: the task is done or cancelled, or not in the state the call needs (e.g.
 *   accepting a task someone else has already accepted).
 * - `CONFLICT`: the issue kept changing under the command (optimistic retries ran out).
 * - `STORE`: the database failed; nothing of the command was written.
 * - `CLOSED`: the runtime is shutting down.
 */
export type RuntimeErrorCode =
  | 'REJECTED'
  | 'UNKNOWN_APP'
  | 'UNKNOWN_VERSION'
  | 'UNKNOWN_ISSUE'
  | 'UNKNOWN_TASK'
  | 'UNKNOWN_INCIDENT'
  | 'COMPILE_FAILED'
  | 'NOT_RELEASED'
  | 'BAD_INPUT'
  | 'LEASE_LOST'
  | 'INVALID_DATA'
  | 'NOT_YOUR_TASK'
  | 'TASK_NOT_OPEN'
  | 'CONFLICT'
  | 'STORE'
  | 'CLOSED';

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly code: RuntimeErrorCode;
  /** The engine's rejection code, for `REJECTED`. */
  readonly rejection: string | undefined;
  readonly details: unknown;

  constructor(
    code: RuntimeErrorCode,
    message: string,
    options: { rejection?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.rejection = options.rejection;
    this.details = options.details;
  }
}
