import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveStatusUpdate } from '../../../shared/api/contract';
import { Coalescer } from './coalescer';

afterEach(() => {
  vi.useRealTimers();
});

describe('Coalescer', () => {
  it('sends the first change at once, then at most one batch per interval with the latest of each element', () => {
    vi.useFakeTimers();
    const sent: LiveStatusUpdate[] = [];
    const c = new Coalescer({ hostId: 'h', emit: (u) => sent.push(u), minIntervalMs: 100, now: () => Date.now() });
    c.push([{ elementId: 'a', presence: 'present' }]);
    expect(sent).toHaveLength(1);
    for (let i = 0; i < 50; i++) c.push([{ elementId: 'b', presence: i % 2 ? 'drifted' : 'present', rxRate: i }]);
    c.push([{ elementId: 'a', presence: 'missing' }]);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.elements).toEqual([
      { elementId: 'b', presence: 'drifted', rxRate: 49 },
      { elementId: 'a', presence: 'missing' },
    ]);
    // A second of constant changes: ten batches, not a thousand.
    for (let ms = 0; ms < 1000; ms++) {
      c.push([{ elementId: 'x', presence: 'present', rxRate: ms }]);
      vi.advanceTimersByTime(1);
    }
    expect(sent.length - 2).toBeLessThanOrEqual(11);
    c.dispose();
  });

  it('rate-only changes go out at most once a second and never hold back a state change', () => {
    vi.useFakeTimers();
    const sent: { at: number; u: LiveStatusUpdate }[] = [];
    const c = new Coalescer({ hostId: 'h', emit: (u) => sent.push({ at: Date.now(), u }), now: () => Date.now() });
    const t0 = Date.now();
    const rates = new Set(['r']);
    for (let ms = 0; ms < 3000; ms += 50) {
      c.push([{ elementId: 'r', presence: 'present', rxRate: ms }], { ratesOnly: rates });
      vi.advanceTimersByTime(50);
    }
    const rateBatches = sent.length;
    expect(rateBatches).toBeGreaterThanOrEqual(3);
    expect(rateBatches).toBeLessThanOrEqual(4);
    // A state change right after a rates batch: out within the 100 ms state interval, not a second later.
    c.push([{ elementId: 'l', presence: 'drifted', operState: 'down' }]);
    const pushedAt = Date.now();
    vi.advanceTimersByTime(100);
    expect(sent.length).toBe(rateBatches + 1);
    expect(sent[sent.length - 1]!.at - pushedAt).toBeLessThanOrEqual(100);
    expect(sent[0]!.at - t0).toBe(0);
    c.dispose();
  });

  it('a replace batch supersedes pending changes', () => {
    vi.useFakeTimers();
    const sent: LiveStatusUpdate[] = [];
    const c = new Coalescer({ hostId: 'h', emit: (u) => sent.push(u), now: () => Date.now() });
    c.push([{ elementId: 'a', presence: 'present' }]);
    c.push([{ elementId: 'b', presence: 'present' }]);
    c.push([{ elementId: 'c', presence: 'unknown' }], { replace: true, at: 0 });
    vi.advanceTimersByTime(100);
    expect(sent[1]).toEqual({ hostId: 'h', replace: true, elements: [{ elementId: 'c', presence: 'unknown' }], at: '1970-01-01T00:00:00.000Z' });
    c.dispose();
  });
});
