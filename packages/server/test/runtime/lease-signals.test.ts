import { describe, expect, it, vi } from 'vitest';
import { LeaseSignals } from '../../src/runtime/lease-signals.js';

describe('LeaseSignals', () => {
  it('gives jobs of one slot the same signal and a later job a new one', () => {
    let now = 1_000;
    const signals = new LeaseSignals(60_000, () => now);
    const a = signals.signal();
    now += 999;
    expect(signals.signal()).toBe(a);
    now += 1;
    const b = signals.signal();
    expect(b).not.toBe(a);
    signals.abortAll(new Error('stop'));
  });

  it('aborts a slot before the lease of its last job runs out', () => {
    vi.useFakeTimers();
    try {
      // lease 200 ms, slot 50 ms: aborted 150 ms after the slot opened, so a job that
      // joined it 49 ms late still gives up before its own lease (249 ms) ends
      const signals = new LeaseSignals(200, () => Date.now());
      const signal = signals.signal();
      vi.advanceTimersByTime(149);
      expect(signal.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(signal.aborted).toBe(true);
      expect((signal.reason as DOMException).name).toBe('TimeoutError');
    } finally {
      vi.useRealTimers();
    }
  });

  it('abortAll aborts every open slot with the reason given', () => {
    let now = 0;
    const signals = new LeaseSignals(60_000, () => now);
    const a = signals.signal();
    now += 5_000;
    const b = signals.signal();
    const reason = new Error('the worker stops');
    signals.abortAll(reason);
    expect(a.aborted && b.aborted).toBe(true);
    expect(a.reason).toBe(reason);
  });
});
