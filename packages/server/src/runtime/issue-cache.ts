/**
 * The issues this process wrote last, as they were committed: the next command on such an issue
 * (the worker's result right after the job was scheduled, a task completed right after it
 * opened) skips the load query and the JSON parse. A cached issue is only a guess: its write
 * still carries the optimistic version check, so if another node changed the issue meanwhile
 * the write conflicts and the command is decided again on the stored row; a command refused on
 * a cached state is also decided again on the stored row before the refusal counts.
 *
 * Bounded (oldest out first), so memory does not grow with the number of waiting issues.
 */
import type { IssueState } from '@nagare/engine';

export interface CachedIssue {
  readonly id: string;
  readonly workspaceId: string;
  readonly appId: string;
  readonly appVersionId: string;
  readonly state: IssueState;
  readonly version: number;
  readonly events: number;
}

export class IssueCache {
  readonly #max: number;
  readonly #issues = new Map<string, CachedIssue>();

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#issues.size;
  }

  get(id: string): CachedIssue | undefined {
    return this.#issues.get(id);
  }

  /** After a commit: keeps active issues, drops ended ones. */
  put(issue: CachedIssue): void {
    this.#issues.delete(issue.id);
    if (issue.state.status !== 'active' || this.#max <= 0) return;
    this.#issues.set(issue.id, issue);
    if (this.#issues.size > this.#max) {
      const oldest = this.#issues.keys().next().value as string;
      this.#issues.delete(oldest);
    }
  }

  delete(id: string): void {
    this.#issues.delete(id);
  }
}
