import { describe, expect, it } from 'vitest';
import { validate } from '../../../shared/validation/validate';
import { setElementField } from './edit';
import { connect } from './connect';
import { addNode } from './create';
import { nicNodeId } from './kinds';
import { propagateName, renameElement, renameRefusal, renamedNodeId } from './rename';
import { build } from './testing';

describe('rename', () => {
  const base = (() => {
    let d = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }, { connect: ['ns2', 'br0'] }]);
    d = addNode(d, 'nic', { x: 120, y: 300 }, 'host1').design;
    d = addNode(d, 'masquerade', { x: 400, y: 300 }, 'host1').design;
    return d;
  })();

  it('moves every reference to a renamed host, including layout and NIC node keys', () => {
    const r = renameElement(base, 'host1', 'lab');
    if (!r.ok) throw new Error(r.reason);
    const d = r.design;
    expect(d.hosts.map((h) => h.id)).toEqual(['lab']);
    expect(d.namespaces.every((n) => n.host === 'lab')).toBe(true);
    expect(d.bridges[0]!.at).toBe('lab');
    expect(d.masquerades[0]!.at).toBe('lab');
    expect(Object.keys(d.layout.frames)).toEqual(['lab']);
    expect(d.layout.nodes[nicNodeId('lab', 'eth0')]).toEqual(base.layout.nodes[nicNodeId('host1', 'eth0')]);
    expect(JSON.stringify({ ...d, hosts: d.hosts.map((h) => ({ ...h, name: '' })) })).not.toContain('host1');
    expect(validate(d).filter((x) => x.severity === 'error')).toEqual(validate(base).filter((x) => x.severity === 'error'));
  });

  it('moves veth ends and layout when a namespace or bridge is renamed; the old id is free again', () => {
    let d = base;
    for (const [from, to] of [['ns1', 'app1'], ['br0', 'lan'], ['veth1', 'link-app1']] as const) {
      const r = renameElement(d, from, to);
      if (!r.ok) throw new Error(r.reason);
      d = r.design;
    }
    expect(d.veths[0]).toMatchObject({ id: 'link-app1', a: { at: 'app1' }, b: { at: 'lan' } });
    expect(d.veths[1]).toMatchObject({ a: { at: 'ns2' }, b: { at: 'lan' } });
    expect(Object.keys(d.layout.nodes)).toContain('app1');
    expect(Object.keys(d.layout.nodes)).not.toContain('ns1');
    expect(renameRefusal(d, 'ns2', 'ns1')).toBeUndefined();
    const added = addNode(d, 'namespace', { x: 500, y: 500 }, 'host1');
    expect(connect(added.design, added.id, 'lan').ok).toBe(true);
  });

  it('refuses invalid and taken ids and leaves the design alone', () => {
    expect(renameRefusal(base, 'ns1', 'ns2')).toMatch(/already used/);
    expect(renameRefusal(base, 'ns1', 'Bad Id')).toMatch(/lower-case/);
    expect(renameRefusal(base, 'ns1', 'ns1')).toBeUndefined();
    expect(renameElement(base, 'ns1', '1x').ok).toBe(false);
  });

  it('maps selected node ids along', () => {
    expect(renamedNodeId('host1', 'host1', 'lab')).toBe('lab');
    expect(renamedNodeId(nicNodeId('host1', 'eth0'), 'host1', 'lab')).toBe(nicNodeId('lab', 'eth0'));
    expect(renamedNodeId('ns1', 'host1', 'lab')).toBe('ns1');
  });
});

describe('a new name carries its derived names along', () => {
  it('link names and the kernel names made from the old name follow; names set by hand stay', () => {
    let d = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }, { connect: ['ns2', 'br0'] }]);
    expect(d.veths.map((v) => [v.name, v.b.ifname])).toEqual([
      ['ns1-br0', 'v-ns1'],
      ['ns2-br0', 'v-ns2'],
    ]);
    d = setElementField(d, 'veth2', ['name'], 'uplink of two');
    d = propagateName(setElementField(d, 'ns1', ['name'], 'netns0'), 'ns1', 'ns1', 'netns0');
    d = propagateName(setElementField(d, 'ns2', ['name'], 'netns1'), 'ns2', 'ns2', 'netns1');
    expect(d.veths.map((v) => [v.name, v.b.ifname])).toEqual([
      ['netns0-br0', 'v-netns0'],
      ['uplink of two', 'v-netns1'],
    ]);
    // The bridge's rename reaches the link names that carry it.
    d = propagateName(setElementField(d, 'br0', ['name'], 'lan'), 'br0', 'br0', 'lan');
    expect(d.veths[0]!.name).toBe('netns0-lan');
  });
});
