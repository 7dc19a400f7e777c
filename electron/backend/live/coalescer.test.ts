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
