import { describe, expect, it } from 'vitest';
import { isIfname } from '../../../shared/model/identifiers';
import { connect, connectionRefusal } from './connect';
import { setElementField } from './edit';
import { build } from './testing';

describe('connect', () => {
  it('namespace <-> bridge makes a veth: eth0 inside, v-<ns> on the bridge, next free address', () => {
    const d = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }, { connect: ['br0', 'ns2'] }]);
    expect(d.veths).toHaveLength(2);
    expect(d.veths[0]).toMatchObject({ name: 'ns1-br0', a: { at: 'ns1', ifname: 'eth0', addresses: ['10.0.0.2/24'] }, b: { at: 'br0', ifname: 'v-ns1', addresses: [] } });
    // Order of the drag does not matter: the namespace is always end a.
    expect(d.veths[1]).toMatchObject({ a: { at: 'ns2', ifname: 'eth0', addresses: ['10.0.0.3/24'] }, b: { at: 'br0', ifname: 'v-ns2' } });
    // The segment's gateway (the bridge's address) became each namespace's default route.
    expect(d.namespaces[0]!.routes).toEqual([{ to: 'default', via: '10.0.0.1', note: 'added because ns1 joined bridge br0, whose address 10.0.0.1/24 is the segment\'s gateway' }]);
  });

  it('infers a default route through the segment gateway, says why, and never adds a second one', () => {
    let d = build([{ add: 'namespace' }, { add: 'bridge' }, { add: 'bridge' }]);
    const r = connect(d, 'ns1', 'br0');
    // The reason is saved with the route, so the inspector says it after a reload too.
    expect(r.ok && r.design.namespaces[0]!.routes).toEqual([{ to: 'default', via: '10.0.0.1', note: expect.stringMatching(/^added because ns1 joined bridge br0, .*gateway/) }]);
    expect(r.ok && r.inferred).toMatchObject({ nsId: 'ns1', to: 'default', via: '10.0.0.1', because: expect.stringContaining('gateway') });
    d = setElementField(d, 'ns1', ['routes'], [{ to: 'default', via: '192.0.2.1' }]);
    const again = connect(d, 'ns1', 'br0');
    expect(again.ok && again.design.namespaces[0]!.routes).toEqual([{ to: 'default', via: '192.0.2.1' }]);
    expect(again.ok && again.inferred).toBeUndefined();
  });

  it('numbers interfaces inside a namespace and keeps host-side names unique and short', () => {
    let d = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }]);
    d = setElementField(d, 'ns1', ['name'], 'a-very-long-namespace-name');
    for (const [a, b] of [['ns1', 'br0'], ['ns1', 'host1'], ['ns1', 'ns2']] as const) {
      const r = connect(d, a, b);
      if (!r.ok) throw new Error(r.reason);
      d = r.design;
    }
    expect(d.veths.map((v) => v.a.ifname)).toEqual(['eth0', 'eth1', 'eth2']);
    const hostSide = d.veths.slice(0, 2).map((v) => v.b.ifname!);
    expect(hostSide.every(isIfname)).toBe(true);
    expect(new Set(hostSide).size).toBe(2);
    expect(d.veths[2]!.b).toMatchObject({ at: 'ns2', ifname: 'eth0' });
  });

  it('refuses what makes no sense, with a reason', () => {
    const d = build([{ add: 'namespace' }, { add: 'host', at: [900, 100] }, { add: 'namespace', at: [900, 200], host: 'host2' }, { add: 'masquerade' }]);
    expect(connectionRefusal(d, 'ns1', 'ns1')).toMatch(/itself/);
    expect(connectionRefusal(d, 'ns1', 'ns2')).toMatch(/different hosts/);
    expect(connectionRefusal(d, 'host1', 'host2')).toMatch(/./);
    expect(connectionRefusal(d, 'nat1', 'ns1')).toBeUndefined();
  });

  it('a namespace on another host joins a root bridge as a stretched segment; a bridge in a namespace cannot be stretched', () => {
    let d = build([{ add: 'bridge' }, { add: 'host', at: [900, 100] }, { add: 'namespace', at: [900, 200], host: 'host2' }]);
    const r = connect(d, 'br0', 'ns1');
    if (!r.ok) throw new Error(r.reason);
    d = r.design;
    expect(d.veths[0]).toMatchObject({ a: { at: 'ns1', ifname: 'eth0', addresses: ['10.0.0.2/24'] }, b: { at: 'br0', ifname: 'v-ns1' } });
    // The bridge-side end lives on host2 (the stretch's port): named against host2's root.
    const again = connect(d, 'ns1', 'br0');
    if (!again.ok) throw new Error(again.reason);
    expect(again.design.veths[1]!.b.ifname).toBe('v-ns1-2');
    const nested = setElementField(build([{ add: 'namespace' }, { add: 'bridge' }, { add: 'host', at: [900, 100] }, { add: 'namespace', at: [900, 200], host: 'host2' }]), 'br0', ['at'], 'ns1');
    expect(connectionRefusal(nested, 'ns2', 'br0')).toMatch(/inside a namespace/);
  });

  it('a NIC becomes a bridge port or a parent; a NAT element moves into a namespace', () => {
    let d = build([{ add: 'nic' }, { add: 'nic' }, { add: 'bridge' }, { add: 'macvlan' }, { add: 'namespace' }, { add: 'masquerade' }]);
    expect(d.macvlans[0]!.parent).toBe('eth0'); // the host's first data NIC by default
    expect(connectionRefusal(d, 'nic:host1:eth0', 'mv0')).toMatch(/already/);
    const nic = 'nic:host1:eth1';
    for (const [a, b] of [[nic, 'br0'], [nic, 'mv0'], ['nat1', 'ns1'], ['mv0', 'ns1']] as const) {
      const r = connect(d, a, b);
      if (!r.ok) throw new Error(r.reason);
      d = r.design;
    }
    expect(d.bridges[0]!.nics).toEqual(['eth1']);
    expect(d.macvlans[0]).toMatchObject({ parent: 'eth1', at: 'ns1' });
    expect(d.masquerades[0]!.at).toBe('ns1');
    expect(d.veths).toEqual([]);
  });
});
