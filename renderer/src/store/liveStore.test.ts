import { beforeEach, describe, expect, it } from 'vitest';
import type { ElementStatus } from '../../../shared/api/contract';
import { useLive } from './liveStore';

const st = (elementId: string, presence: ElementStatus['presence'], extra: Partial<ElementStatus> = {}): ElementStatus => ({ elementId, presence, ...extra });

describe('live store', () => {
  beforeEach(() => useLive.getState().clear());

  it('keeps unchanged statuses (same object), replaces changed ones, bumps the version only on change', () => {
    const live = useLive.getState();
    live.applyUpdate({ hostId: 'h1', replace: true, elements: [st('a', 'present', { rxRate: 1 }), st('b', 'present')] });
    const a1 = useLive.getState().elements.get('a');
    const v1 = useLive.getState().version;
    live.applyUpdate({ hostId: 'h1', replace: false, elements: [st('a', 'present', { rxRate: 1 })] });
    expect(useLive.getState().version).toBe(v1);
    expect(useLive.getState().elements.get('a')).toBe(a1);
    live.applyUpdate({ hostId: 'h1', replace: false, elements: [st('a', 'present', { rxRate: 2 })] });
    expect(useLive.getState().version).toBe(v1 + 1);
    expect(useLive.getState().elements.get('a')).not.toBe(a1);
    expect(useLive.getState().elements.get('a')!.rxRate).toBe(2);
  });

  it('a full snapshot replaces only its own host entries', () => {
    const live = useLive.getState();
    live.applyUpdates([
      { hostId: 'h1', replace: true, elements: [st('a', 'present'), st('b', 'present')] },
      { hostId: 'h2', replace: true, elements: [st('x', 'missing')] },
    ]);
    live.applyUpdate({ hostId: 'h1', replace: true, elements: [st('b', 'drifted', { drift: ['mtu is 1400, want 1500'] })] });
    const s = useLive.getState();
    expect([...s.elements.keys()].sort()).toEqual(['b', 'x']);
    expect(s.elements.get('b')!.presence).toBe('drifted');
    expect(s.hostOf.get('x')).toBe('h2');
  });

  it('a subscriber to one element is not notified with a new value when another changes', () => {
    const live = useLive.getState();
    live.applyUpdate({ hostId: 'h1', replace: true, elements: [st('a', 'present'), st('b', 'present')] });
    const seen: (ElementStatus | undefined)[] = [];
    const off = useLive.subscribe((s) => seen.push(s.elements.get('a')));
    live.applyUpdate({ hostId: 'h1', replace: false, elements: [st('b', 'missing')] });
    off();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(useLive.getState().elements.get('a'));
  });
});

describe('collapse and full snapshots', () => {
  beforeEach(() => useLive.getState().clear());

  it('drops batches a later full snapshot of the same host makes moot', async () => {
    const { collapse } = await import('./liveStore');
    const a = { hostId: 'h1', replace: true, elements: [st('a', 'present')] };
    const b = { hostId: 'h2', replace: false, elements: [st('x', 'missing')] };
    const c = { hostId: 'h1', replace: false, elements: [st('a', 'missing')] };
    const d = { hostId: 'h1', replace: true, elements: [st('a', 'drifted')] };
    expect(collapse([a, b, c, d])).toEqual([b, d]);
    expect(collapse([a, c])).toEqual([a, c]);
  });

  it('repeated full snapshots with the same ids keep working (fast path), and a new id or a missing one is handled', () => {
    const live = useLive.getState();
    const ids = ['a', 'b', 'c'];
    for (let round = 0; round < 3; round++) live.applyUpdate({ hostId: 'h1', replace: true, elements: ids.map((id) => st(id, 'present', { rxRate: round })) });
    expect(useLive.getState().elements.get('c')!.rxRate).toBe(2);
    live.applyUpdate({ hostId: 'h1', replace: true, elements: [st('a', 'present'), st('b', 'present'), st('d', 'missing')] });
    expect([...useLive.getState().elements.keys()].sort()).toEqual(['a', 'b', 'd']);
    live.applyUpdate({ hostId: 'h1', replace: true, elements: [st('a', 'present'), st('b', 'present'), st('d', 'missing')] });
    live.applyUpdate({ hostId: 'h1', replace: true, elements: [st('a', 'present')] });
    expect([...useLive.getState().elements.keys()]).toEqual(['a']);
  });
});
