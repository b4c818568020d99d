/**
 * Abort signals that tell a running connector its job's lease is about to run out: after it,
 * the result could not be committed anyway. Jobs that start within one `slotMs` share a
 * signal, aborted `leaseMs - slotMs` after the slot opened — so every job of the slot gives up
 * before its own lease ends. One AbortController and timer per job (or AbortSignal.timeout
 * with AbortSignal.any) cost ~5% of a worker's CPU when jobs are short (bench S1J).
 */
export class LeaseSignals {
  readonly #leaseMs: number;
  readonly #slotMs: number;
  readonly #now: () => number;
  readonly #open = new Set<AbortController>();
  #current: { controller: AbortController; openedAt: number } | undefined;

  constructor(leaseMs: number, now: () => number = Date.now) {
    this.#leaseMs = leaseMs;
    this.#slotMs = Math.max(1, Math.min(1_000, Math.floor(leaseMs / 4)));
    this.#now = now;
  }

  /** The signal for a job starting now. */
  signal(): AbortSignal {
    const now = this.#now();
    const current = this.#current;
    if (current && now - current.openedAt < this.#slotMs) return current.controller.signal;
    const controller = new AbortController();
    this.#open.add(controller);
    this.#current = { controller, openedAt: now };
    const timer = setTimeout(() => {
      this.#open.delete(controller);
      controller.abort(new DOMException('the job lease ran out', 'TimeoutError'));
    }, this.#leaseMs - this.#slotMs);
    timer.unref();
    controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    return controller.signal;
  }

  /** Aborts every job still running (the worker stops). */
  abortAll(reason: unknown): void {
    for (const controller of this.#open) controller.abort(reason);
    this.#open.clear();
    this.#current = undefined;
  }
}
