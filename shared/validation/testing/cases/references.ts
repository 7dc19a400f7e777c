import { bad, good, warn, type Case } from '../case';
import { el, make } from '../designs';

export const referenceCases: Case[] = [
  bad('dangling-at', 'a missing host', (d) => { el(d, 'bridges', 'br-db').at = 'nowhere'; }, { elementId: 'br-db', field: 'at' }),
  bad('dangling-at', 'a bridge inside a bridge', (d) => { el(d, 'bridges', 'br-db').at = 'br-app'; }, { elementId: 'br-db', field: 'at' }),
  bad('dangling-at', 'a macvlan on a bridge', (d) => { el(d, 'macvlans', 'mv1').at = 'br-app'; }, { elementId: 'mv1', field: 'at' }),
  bad('dangling-at', 'a veth end on a veth', (d) => { el(d, 'veths', 'app1').a.at = 'db'; }, { elementId: 'app1', field: 'a.at' }),
  bad('dangling-at', 'a namespace on a missing host', (d) => { el(d, 'namespaces', 'ns-mv').host = 'h9'; }, { elementId: 'ns-mv', field: 'host' }),
  bad('dangling-at', 'a masquerade nowhere', (d) => { el(d, 'masquerades', 'nat-app').at = 'ns-nope'; }, { elementId: 'nat-app', field: 'at' }),
  good('dangling-at', 'veth ends on bridges and namespaces'),

  bad('dangling-bridge', 'a missing bridge', (d) => { el(d, 'vlans', 'v10').bridge = 'br-nope'; }, { elementId: 'v10', field: 'bridge' }),
  bad('dangling-bridge', 'not a bridge', (d) => { el(d, 'vxlans', 'vx1').bridge = 'ns-app1'; }, { elementId: 'vx1', field: 'bridge' }),
  bad('dangling-bridge', 'a bridge in another namespace', (d) => { const v = el(d, 'vlans', 'v10'); v.at = 'ns-app1'; v.bridge = 'br-db'; v.addresses = []; }, { elementId: 'v10', field: 'bridge' }),
  good('dangling-bridge', 'a VLAN on a bridge of its namespace', (d) => { const v = el(d, 'vlans', 'v10'); v.bridge = 'br-db'; v.addresses = []; }),

  bad('dangling-nic', 'an undeclared macvlan parent', (d) => { el(d, 'macvlans', 'mv1').parent = 'eth7'; }, { elementId: 'mv1', field: 'parent' }),
  bad('dangling-nic', 'an undeclared VLAN parent', (d) => { el(d, 'vlans', 'v10').parent = 'eth7'; }, { elementId: 'v10', field: 'parent' }),
  bad('dangling-nic', 'an undeclared bridge NIC', (d) => { el(d, 'bridges', 'br-db').nics = ['eth9']; }, { elementId: 'br-db', field: 'nics[0]' }),
  bad('dangling-nic', 'an undeclared VXLAN dev', (d) => { el(d, 'vxlans', 'vx1').dev = 'eth9'; }, { elementId: 'vx1', field: 'dev' }),
  bad('dangling-nic', 'a namespaced VXLAN over a root NIC', (d) => { const x = el(d, 'vxlans', 'vx1'); x.at = 'ns-app1'; delete x.bridge; }, { elementId: 'vx1', field: 'dev' }),
  good('dangling-nic', 'a VXLAN over a Wireplan VLAN', (d) => { el(d, 'vxlans', 'vx1').dev = 'v10'; }),
  good('dangling-nic', 'a namespaced VXLAN over an interface of its namespace', (d) => { const x = el(d, 'vxlans', 'vx1'); x.at = 'ns-app1'; delete x.bridge; x.dev = 'app1-a'; }),

  bad('dangling-ifname', 'a route dev of another namespace', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: '10.9.0.0/16', dev: 'eth0' }); }, { elementId: 'ns-app1', field: 'routes[2].dev' }),
  bad('dangling-ifname', 'a route dev by logical name', (d) => { el(d, 'hosts', 'h1').routes[0]!.dev = 'mv-shim2'; }, { elementId: 'h1', field: 'routes[0].dev' }),
  bad('dangling-ifname', 'a masquerade egress', (d) => { el(d, 'masquerades', 'nat-app').egress = 'eth5'; }, { elementId: 'nat-app', field: 'egress' }),
  bad('dangling-ifname', 'a policy rule in-interface', (d) => { el(d, 'policies', 'db-guard').rules[0]!.in = 'br-nope'; }, { elementId: 'db-guard', field: 'rules[0].in' }),
  bad('dangling-ifname', 'a masquerade excepted egress', (d) => {
    el(d, 'masquerades', 'nat-app').egress = undefined;
    el(d, 'masquerades', 'nat-app').egressExcept = 'br0';
  }, { elementId: 'nat-app', field: 'egressExcept' }),
  bad('dangling-ifname', 'a port forward ingress', (d) => { el(d, 'portForwards', 'web').ingress = 'br-nope'; }, { elementId: 'web', field: 'ingress' }),
  bad('dangling-ifname', 'a sysctl interface', (d) => { el(d, 'hosts', 'h1').sysctls.interfaces[0]!.iface = 'eth9'; }, { elementId: 'h1', field: 'sysctls.interfaces[0].iface' }),
  good('dangling-ifname', 'derived names, NICs and "all"', (d) => {
    el(d, 'namespaces', 'ns-app1').routes.push({ to: '10.9.0.0/16', dev: 'app1-a' });
    el(d, 'masquerades', 'nat-app').egress = 'br-db';
    el(d, 'hosts', 'h1').sysctls.interfaces.push({ iface: 'all', forwarding: true });
  }),

  bad('dangling-layout', 'a position for a deleted element', (d) => { d.layout.nodes['ghost'] = { x: 1, y: 2 }; }, warn(undefined, 'layout.nodes.ghost')),
  bad('dangling-layout', 'a frame for a deleted host', (d) => { d.layout.frames['h9'] = { x: 0, y: 0, width: 1, height: 1 }; }, warn(undefined, 'layout.frames.h9')),
  good('dangling-layout', 'veth end positions', (d) => { d.layout.nodes['app1.b'] = { x: 1, y: 2 }; }),

  bad('veth-cross-host', 'a veth between namespaces on lab1 and lab2', (d) => { el(d, 'veths', 'app2').b.at = 'ns-remote'; }, { elementId: 'app2', field: 'b.at' }),
  bad('veth-cross-host', 'a veth between bridges on lab1 and lab2', (d) => {
    const v = el(d, 'veths', 'app2');
    v.a.at = 'br-app';
    v.b.at = 'br-ov2';
  }, { elementId: 'app2', field: 'b.at' }),
  good('veth-cross-host', 'veths inside one host'),

  bad('bridge-port-address', 'an address on a bridge port veth end', (d) => { el(d, 'veths', 'app1').b.addresses = ['10.0.1.2/24']; }, warn('app1', 'b.addresses')),
  bad('bridge-port-address', 'an address on an enslaved VXLAN', (d) => { el(d, 'vxlans', 'vx1').addresses = ['10.20.0.3/24']; }, warn('vx1', 'addresses')),
  good('bridge-port-address', 'addresses on the bridge'),

  bad('bridge-nic-in-namespace', 'a namespace bridge with a NIC', (d) => {
    d.bridges.push(make.bridge({ id: 'br-ns', name: 'br-ns', at: 'ns-mv', nics: ['eth1'] }));
  }, { elementId: 'br-ns', field: 'nics' }),
  good('bridge-nic-in-namespace', 'a root bridge with a NIC', (d) => {
    d.bridges.push(make.bridge({ id: 'br-lan', name: 'br-lan', at: 'h1', nics: ['eth1'] }));
  }),

  bad('l2-loop', 'a veth with both ends on one bridge', (d) => {
    d.veths.push(make.veth({ id: 'loop', name: 'loop', a: { at: 'br-app' }, b: { at: 'br-app' } }));
  }, warn('loop', undefined)),
  bad('l2-loop', 'two veths between two bridges', (d) => {
    d.veths.push(make.veth({ id: 'x1', name: 'x1', a: { at: 'br-app' }, b: { at: 'br-db' } }));
    d.veths.push(make.veth({ id: 'x2', name: 'x2', a: { at: 'br-app' }, b: { at: 'br-db' } }));
  }, warn('x2', undefined)),
  good('l2-loop', 'the same with STP', (d) => {
    el(d, 'bridges', 'br-app').stp = true;
    el(d, 'bridges', 'br-db').stp = true;
    d.veths.push(make.veth({ id: 'x1', name: 'x1', a: { at: 'br-app' }, b: { at: 'br-db' } }));
    d.veths.push(make.veth({ id: 'x2', name: 'x2', a: { at: 'br-app' }, b: { at: 'br-db' } }));
  }),
];
