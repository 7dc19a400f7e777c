// Test designs. base() is a valid two-host lab that touches every element kind and
// yields no diagnostics at all; rule tests change one thing in it with designWith() and
// expect exactly the rule they test. Element factories parse through the schema so
// defaults apply, exactly as when a file is loaded.
import {
  BridgeSchema,
  DesignSchema,
  MacvlanSchema,
  MasqueradeSchema,
  NamespaceSchema,
  PolicySchema,
  PortForwardSchema,
  VethSchema,
  VlanSchema,
  VxlanSchema,
  type Design,
  type DesignInput,
} from '../../model/schema';
import type { z } from 'zod';

/**
 * h1 "lab1": br-app (10.0.1.0/24 + fd00:1::/64) with namespaces app1/app2, br-db
 * (10.0.2.0/24) with namespace db guarded by a policy, NAT + a port forward to app1,
 * a macvlan child in namespace mv with a root shim and host route, VLAN 10 on eth1, and
 * VXLAN 100 on br-ov stitched to h2 "lab2" (br-ov2 + namespace remote), MTU 1450.
 */
export function baseInput(): DesignInput {
  return {
    wireplan: 2,
    tag: 'lab',
    name: 'Validation base lab',
    hosts: [
      {
        id: 'h1',
        name: 'lab1',
        target: { kind: 'ssh', address: '10.255.0.1', user: 'root' },
        underlay: '192.0.2.1',
        nics: [
          { name: 'eth0', management: true, mtu: 1500 },
          { name: 'eth1', mtu: 1500 },
          { name: 'eth2' },
        ],
        routes: [{ to: '192.168.50.20/32', dev: 'mv-shim' }],
        sysctls: { ipForward: true, ipv6Forward: true, interfaces: [{ iface: 'eth0', proxyArp: false }] },
      },
      {
        id: 'h2',
        name: 'lab2',
        target: { kind: 'ssh', address: 'lab2.example.net', user: 'lab' },
        underlay: '192.0.2.2',
        nics: [{ name: 'eth0', management: true }, { name: 'eth1', mtu: 1500 }],
        sysctls: { ipForward: true },
      },
    ],
    namespaces: [
      { id: 'ns-app1', name: 'app1', host: 'h1', routes: [{ to: 'default', via: '10.0.1.1' }, { to: 'default', via: 'fd00:1::1' }] },
      { id: 'ns-app2', name: 'app2', host: 'h1', routes: [{ to: 'default', via: '10.0.1.1' }] },
      { id: 'ns-db', name: 'db', host: 'h1', routes: [{ to: 'default', via: '10.0.2.1' }] },
      { id: 'ns-mv', name: 'mv', host: 'h1' },
      { id: 'ns-remote', name: 'remote', host: 'h2', routes: [{ to: '10.0.0.0/16', via: '10.20.0.2' }] },
    ],
    bridges: [
      { id: 'br-app', name: 'br-app', at: 'h1', addresses: ['10.0.1.1/24', 'fd00:1::1/64'] },
      { id: 'br-db', name: 'br-db', at: 'h1', addresses: ['10.0.2.1/24'] },
      { id: 'br-ov', name: 'br-ov', at: 'h1', addresses: ['10.20.0.1/24'], mtu: 1450 },
      { id: 'br-ov2', name: 'br-ov2', at: 'h2', addresses: ['10.20.0.2/24'], mtu: 1450 },
    ],
    veths: [
      { id: 'app1', name: 'app1', a: { at: 'ns-app1', addresses: ['10.0.1.10/24', 'fd00:1::10/64'], mac: '02:00:00:00:01:10' }, b: { at: 'br-app' } },
      { id: 'app2', name: 'app2', a: { at: 'ns-app2', addresses: ['10.0.1.11/24'] }, b: { at: 'br-app' } },
      { id: 'db', name: 'db', a: { at: 'ns-db', addresses: ['10.0.2.10/24'] }, b: { at: 'br-db' } },
      { id: 'remote', name: 'remote', a: { at: 'ns-remote', addresses: ['10.20.0.10/24'], mtu: 1450 }, b: { at: 'br-ov2', mtu: 1450 } },
    ],
    macvlans: [
      { id: 'mv1', name: 'mv1', kind: 'macvlan', at: 'ns-mv', parent: 'eth2', mode: 'bridge', addresses: ['192.168.50.20/24'] },
      { id: 'mv-shim', name: 'mv-shim', kind: 'macvlan', at: 'h1', parent: 'eth2', mode: 'bridge', ifname: 'mv-shim', addresses: ['192.168.50.250/32'] },
    ],
    vlans: [{ id: 'v10', name: 'v10', parent: 'eth1', vlanId: 10, at: 'h1', addresses: ['10.10.0.1/24'] }],
    vxlans: [
      { id: 'vx1', name: 'vx1', at: 'h1', vni: 100, remote: '192.0.2.2', local: '192.0.2.1', dev: 'eth1', mtu: 1450, bridge: 'br-ov' },
      { id: 'vx2', name: 'vx2', at: 'h2', vni: 100, remote: '192.0.2.1', local: '192.0.2.2', dev: 'eth1', mtu: 1450, bridge: 'br-ov2' },
    ],
    masquerades: [{ id: 'nat-app', name: 'nat-app', at: 'h1', source: '10.0.1.0/24', egress: 'eth0' }],
    portForwards: [{ id: 'web', name: 'web', at: 'h1', protocol: 'tcp', port: 8080, ingress: 'eth0', to: '10.0.1.10', toPort: 80 }],
    policies: [
      {
        id: 'db-guard',
        name: 'db-guard',
        at: 'h1',
        protects: ['10.0.2.0/24'],
        rules: [{ from: '10.0.1.0/24', protocol: 'tcp', ports: '5432', action: 'accept' }],
      },
    ],
    layout: {
      nodes: { 'br-app': { x: 0, y: 0 }, 'app1.a': { x: 10, y: 10 } },
      frames: { h1: { x: 0, y: 0, width: 800, height: 600 } },
    },
  };
}

export function base(): Design {
  return DesignSchema.parse(baseInput());
}

/** The base design with one change applied, re-parsed so the result is schema-valid. */
export function designWith(mutate: (d: Design) => void): Design {
  const d = base();
  mutate(d);
  return DesignSchema.parse(d);
}

/** Element factories: schema input in, parsed element (defaults applied) out. */
const factory =
  <S extends z.ZodType>(schema: S) =>
  (input: z.input<S>): z.output<S> =>
    schema.parse(input);

export const make = {
  namespace: factory(NamespaceSchema),
  bridge: factory(BridgeSchema),
  veth: factory(VethSchema),
  macvlan: factory(MacvlanSchema),
  vlan: factory(VlanSchema),
  vxlan: factory(VxlanSchema),
  masquerade: factory(MasqueradeSchema),
  portForward: factory(PortForwardSchema),
  policy: factory(PolicySchema),
};

/** Finds an element by id in a collection, for terse mutations in tests. */
export function el<C extends 'hosts' | 'namespaces' | 'bridges' | 'veths' | 'macvlans' | 'vlans' | 'vxlans' | 'masquerades' | 'portForwards' | 'policies'>(
  d: Design,
  collection: C,
  id: string,
): Design[C][number] {
  const found = (d[collection] as Design[C][number][]).find((x) => x.id === id);
  if (!found) throw new Error(`test design has no ${collection} "${id}"`);
  return found;
}
