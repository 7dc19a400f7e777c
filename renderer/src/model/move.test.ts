import { describe, expect, it } from 'vitest';
import { frameRect } from './layout';
import { commitMoves } from './move';
import { build } from './testing';

describe('commitMoves', () => {
  const d = build([{ add: 'namespace', at: [100, 100] }, { add: 'host', at: [900, 100] }]);

  it('stores relative positions and grows the frame instead of letting a child escape', () => {
    const f = frameRect(d, 'host1');
    const moved = commitMoves(d, [{ id: 'ns1', absolute: { x: f.x - 100, y: f.y + 60 } }]);
    const g = frameRect(moved, 'host1');
    // The frame moved out to the left; the element kept its canvas spot.
    expect(g.x).toBe(f.x - 124);
    expect(g.x + moved.layout.nodes['ns1']!.x).toBe(f.x - 100);
    expect(moved.namespaces[0]!.host).toBe('host1');
  });

  it('re-homes an element dropped onto another host frame', () => {
    const h2 = frameRect(d, 'host2');
    const moved = commitMoves(d, [{ id: 'ns1', absolute: { x: h2.x + 40, y: h2.y + 80 } }]);
    expect(moved.namespaces[0]!.host).toBe('host2');
    expect(moved.layout.nodes['ns1']).toEqual({ x: 40, y: 80 });
  });

  it('moving a frame moves only the frame entry', () => {
    const moved = commitMoves(d, [{ id: 'host1', absolute: { x: 500, y: 500 } }]);
    expect(moved.layout.frames['host1']).toMatchObject({ x: 500, y: 500 });
    expect(moved.layout.nodes).toEqual(d.layout.nodes);
  });
});
