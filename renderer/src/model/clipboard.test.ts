import { describe, expect, it } from 'vitest';
import { copyElements, pasteClip } from './clipboard';
import { build } from './testing';

describe('copy and paste', () => {
  it('a linked namespace pair pastes as a new pair with its own link', () => {
    const d = build([{ add: 'namespace' }, { add: 'namespace' }, { connect: ['ns1', 'ns2'] }]);
    const clip = copyElements(d, ['ns1', 'ns2'])!;
    const { design, ids } = pasteClip(d, clip, { x: 40, y: 40 });
    expect(design.namespaces.map((n) => [n.id, n.name])).toEqual([
      ['ns1', 'ns1'],
      ['ns2', 'ns2'],
      ['ns3', 'ns3'],
      ['ns4', 'ns4'],
    ]);
    expect(design.veths[1]).toMatchObject({ a: { at: 'ns3', ifname: 'eth0' }, b: { at: 'ns4', ifname: 'eth0' } });
    expect(ids).toEqual(expect.arrayContaining(['ns3', 'ns4', design.veths[1]!.id]));
    expect(design.layout.nodes['ns3']).toEqual({ x: d.layout.nodes['ns1']!.x + 40, y: d.layout.nodes['ns1']!.y + 40 });
  });

  it('links to elements outside the copy are dropped', () => {
    const d = build([{ add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }]);
    const { design } = pasteClip(d, copyElements(d, ['ns1'])!, { x: 40, y: 40 });
    expect(design.namespaces).toHaveLength(2);
    expect(design.veths).toHaveLength(1);
  });

  it('a copied segment moves to a free subnet, addresses keep their host part', () => {
    const d = build([{ add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }]);
    const { design } = pasteClip(d, copyElements(d, ['ns1', 'br0'])!, { x: 40, y: 40 });
    expect(design.bridges[1]!.addresses).toEqual(['10.0.1.1/24']);
    expect(design.veths[1]!.a.addresses).toEqual(['10.0.1.2/24']);
    expect(design.veths[1]!.b.ifname).not.toBe(design.veths[0]!.b.ifname);
  });

  it('a whole host copies with its contents next to the original', () => {
    const d = build([{ add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }]);
    const { design } = pasteClip(d, copyElements(d, ['host1'])!, { x: 40, y: 40 });
    expect(design.hosts.map((h) => h.id)).toEqual(['host1', 'host2']);
    expect(design.namespaces[1]!.host).toBe('host2');
    expect(design.veths[1]!.b.at).toBe(design.bridges[1]!.id);
    expect(design.layout.frames['host2']!.x).toBeGreaterThan(design.layout.frames['host1']!.x + design.layout.frames['host1']!.width);
  });
});
