import { describe, expect, it } from 'vitest';
import { build } from '../model/testing';
import { setElementField } from '../model/edit';
import { Deriver } from './derive';

describe('Deriver', () => {
  it('reuses node objects whose inputs did not change', () => {
    const d = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }]);
    const deriver = new Deriver();
    const a = deriver.nodes(d, new Set(), null);
    expect(a.map((n) => [n.id, n.type, n.parentId])).toEqual([
      ['host1', 'host', undefined],
      ['ns1', 'namespace', 'host1'],
      ['ns2', 'namespace', 'host1'],
      ['br0', 'bridge', 'host1'],
    ]);
    expect(deriver.nodes(d, new Set(), null)).toBe(a);
    // A new name reaches only that node (its accessible name); the others keep their objects.
    const d2 = setElementField(d, 'ns2', ['name'], 'db');
    const renamed = deriver.nodes(d2, new Set(), null);
    expect(renamed[2]!.ariaLabel).toBe('Namespace db on host1');
    expect([renamed[0], renamed[1], renamed[3]]).toEqual([a[0], a[1], a[3]]);
    expect(renamed[1]).toBe(a[1]);
    const a2 = renamed;
    const b = deriver.nodes(d2, new Set(['ns1']), { ns2: { x: 1, y: 2 } });
    expect(b[0]).toBe(a2[0]);
    expect(b[1]).not.toBe(a2[1]);
    expect(b[1]!.selected).toBe(true);
    expect(b[2]!.position).toEqual({ x: 1, y: 2 });
    expect(b[3]).toBe(a2[3]);
    const edges = deriver.edges(d, new Set());
    expect(edges).toEqual([expect.objectContaining({ id: 'veth1', type: 'veth', source: 'ns1', target: 'br0' })]);
  });
});

describe('withDrag', () => {
  it('replaces only the dragged nodes; a frame being resized gets its live size', async () => {
    const { withDrag } = await import('./derive');
    const d = build([{ add: 'namespace' }, { add: 'namespace' }]);
    const base = new Deriver().nodes(d, new Set(), null);
    const moved = withDrag(base, { ns2: { x: 7, y: 8 }, host1: { x: 0, y: 0, width: 900, height: 600 } });
    expect(moved).not.toBe(base);
    expect(moved[1]).toBe(base[1]);
    expect(moved[2]!.position).toEqual({ x: 7, y: 8 });
    expect(moved[0]).toMatchObject({ width: 900, height: 600, measured: { width: 900, height: 600 } });
    expect(withDrag(base, { nope: { x: 1, y: 1 } })).toBe(base);
  });
});
