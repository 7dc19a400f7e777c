import { describe, expect, it } from 'vitest';
import { connect } from './connect';
import { relations } from './relations';
import { removeElements, removalSet } from './remove';
import { build } from './testing';

describe('remove', () => {
  const base = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }, { connect: ['ns2', 'br0'] }]);

  it('deleting a bridge removes its links and layout, nothing else', () => {
    const d = removeElements(base, ['br0']);
    expect(d.bridges).toEqual([]);
    expect(d.veths).toEqual([]);
    expect(d.namespaces.map((n) => n.id)).toEqual(['ns1', 'ns2']);
    expect(Object.keys(d.layout.nodes).sort()).toEqual(['ns1', 'ns2']);
  });

  it('deleting a host takes everything on it', () => {
    expect([...removalSet(base, ['host1'])].sort()).toEqual(['br0', 'host1', 'ns1', 'ns2', 'veth1', 'veth2']);
    const d = removeElements(base, ['host1']);
    expect(d.hosts).toEqual([]);
    expect(d.layout).toEqual({ nodes: {}, frames: {} });
  });

  it('deleting a reference edge resets the reference', () => {
    let d = build([{ add: 'namespace' }, { add: 'masquerade' }]);
    const r = connect(d, 'nat1', 'ns1');
    if (!r.ok) throw new Error(r.reason);
    d = r.design;
    const edge = relations(d).find((x) => x.type === 'in-namespace')!;
    d = removeElements(d, [edge.id]);
    expect(d.masquerades[0]!.at).toBe('host1');
  });
});
