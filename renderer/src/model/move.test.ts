import { describe, expect, it } from 'vitest';
import { frameRect } from './layout';
import { commitMoves } from './move';
import { build } from './testing';

describe('commitMoves', () => {
  const d = build([{ add: 'namespace', at: [100, 100] }, { add: 'host', at: [900, 100] }]);

  it('stores absolute positions and grows the frame instead of letting a child escape', () => {
    const f = frameRect(d, 'host1');
    const moved = commitMoves(d, [{ id: 'ns1', absolute: { x: f.x - 100, y: f.y + 60 } }]);
    const g = frameRect(moved, 'host1');
    // The frame grew out to the left; the element is where it was dropped.
    expect(g.x).toBe(f.x - 124);
    expect(moved.layout.frames['host1']).toEqual(g);
    expect(moved.layout.nodes['ns1']).toEqual({ x: f.x - 100, y: f.y + 60 });
    expect(moved.namespaces[0]!.host).toBe('host1');
  });

  it('re-homes an element dropped onto another host frame', () => {
    const h2 = frameRect(d, 'host2');
    const moved = commitMoves(d, [{ id: 'ns1', absolute: { x: h2.x + 40, y: h2.y + 80 } }]);
    expect(moved.namespaces[0]!.host).toBe('host2');
    expect(moved.layout.nodes['ns1']).toEqual({ x: h2.x + 40, y: h2.y + 80 });
  });

  it('moving a frame moves its contents with it', () => {
    const f = frameRect(d, 'host1');
    const moved = commitMoves(d, [{ id: 'host1', absolute: { x: 500, y: 500 } }]);
    expect(moved.layout.frames['host1']).toMatchObject({ x: 500, y: 500 });
    expect(moved.layout.nodes['ns1']).toEqual({ x: d.layout.nodes['ns1']!.x + 500 - f.x, y: d.layout.nodes['ns1']!.y + 500 - f.y });
    expect(moved.layout.nodes['host2' as string]).toBeUndefined();
  });
});
