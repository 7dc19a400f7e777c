import { bad, good, warn, type Case } from '../case';
import { el, make } from '../designs';

export const vxlanMtuCases: Case[] = [
  bad('vxlan-endpoint', 'neither remote nor group', (d) => { delete el(d, 'vxlans', 'vx1').remote; }, { elementId: 'vx1', field: 'remote' }),
  bad('vxlan-endpoint', 'remote and group', (d) => { el(d, 'vxlans', 'vx1').group = '239.1.1.1'; }, { elementId: 'vx1', field: 'group' }),
  bad('vxlan-endpoint', 'a group without dev', (d) => { const x = el(d, 'vxlans', 'vx1'); delete x.remote; delete x.dev; x.group = '239.1.1.1'; }, { elementId: 'vx1', field: 'dev' }),
  bad('vxlan-endpoint', 'a unicast group', (d) => { const x = el(d, 'vxlans', 'vx1'); delete x.remote; x.group = '10.1.1.1'; }, { elementId: 'vx1', field: 'group' }),
  bad('vxlan-endpoint', 'a multicast remote', (d) => { el(d, 'vxlans', 'vx1').remote = '239.1.1.1'; }, { elementId: 'vx1', field: 'remote' }),
  bad('vxlan-endpoint', 'the host\'s own underlay as remote', (d) => { el(d, 'vxlans', 'vx1').remote = '192.0.2.1'; }, warn('vx1', 'remote')),
  good('vxlan-endpoint', 'a multicast group with dev', (d) => { const x = el(d, 'vxlans', 'vx1'); delete x.remote; x.group = '239.1.1.1'; }),

  bad('vxlan-duplicate', 'VNI 100 twice on one host', (d) => {
    d.vxlans.push(make.vxlan({ id: 'vx3', name: 'vx3', at: 'h1', vni: 100, remote: '192.0.2.3', dev: 'eth1', mtu: 1450 }));
  }, { elementId: 'vx3', field: 'vni' }),
  good('vxlan-duplicate', 'VNI 100 on another port', (d) => {
    d.vxlans.push(make.vxlan({ id: 'vx3', name: 'vx3', at: 'h1', vni: 100, port: 4790, remote: '192.0.2.3', dev: 'eth1', mtu: 1450 }));
  }),

  bad('vxlan-peer', 'the other host uses another VNI', (d) => { el(d, 'vxlans', 'vx2').vni = 101; }, warn('vx1', 'remote'), warn('vx2', 'remote')),
  bad('vxlan-peer', 'the other end points elsewhere', (d) => { el(d, 'vxlans', 'vx2').remote = '192.0.2.9'; }, warn('vx1', 'remote')),
  good('vxlan-peer', 'both ends point at each other'),
  good('vxlan-peer', 'the other end joins a multicast group', (d) => { const x = el(d, 'vxlans', 'vx2'); delete x.remote; x.group = '239.1.1.1'; }),

  bad('vxlan-mtu', 'the default MTU has no headroom without an underlay dev', (d) => { const x = el(d, 'vxlans', 'vx1'); delete x.mtu; delete x.dev; }, { elementId: 'vx1', field: 'mtu' }),
  good('vxlan-mtu', 'no MTU with an underlay dev: the kernel subtracts the headers itself', (d) => { delete el(d, 'vxlans', 'vx1').mtu; }),
  bad('vxlan-mtu', 'a bridge larger than its VXLAN', (d) => { el(d, 'bridges', 'br-ov').mtu = 1500; }, { elementId: 'br-ov', field: 'mtu' }),
  bad('vxlan-mtu', 'an IPv6 underlay needs 70 bytes', (d) => {
    const x = el(d, 'vxlans', 'vx1');
    x.local = 'fd00::1';
    x.remote = 'fd00::2';
  }, { elementId: 'vx1', field: 'mtu' }, { elementId: 'br-ov', field: 'mtu' }),
  bad('vxlan-mtu', 'a declared NIC MTU is used', (d) => { el(d, 'hosts', 'h1').nics[1]!.mtu = 1400; }, { elementId: 'vx1', field: 'mtu' }, { elementId: 'br-ov', field: 'mtu' }),
  good('vxlan-mtu', 'exactly 1450 over 1500'),
  good('vxlan-mtu', 'jumbo underlay', (d) => {
    el(d, 'hosts', 'h1').nics[1]!.mtu = 9000;
    el(d, 'vxlans', 'vx1').mtu = 8950;
    el(d, 'bridges', 'br-ov').mtu = 8950;
  }),

  bad('mtu-exceeds-parent', 'a macvlan above an undeclared NIC MTU', (d) => { el(d, 'macvlans', 'mv1').mtu = 9000; }, { elementId: 'mv1', field: 'mtu' }),
  bad('mtu-exceeds-parent', 'a VLAN above its NIC', (d) => { el(d, 'vlans', 'v10').mtu = 1600; }, { elementId: 'v10', field: 'mtu' }),
  good('mtu-exceeds-parent', 'jumbo NIC and macvlans', (d) => {
    el(d, 'hosts', 'h1').nics[2]!.mtu = 9000;
    el(d, 'macvlans', 'mv1').mtu = 9000;
  }),

  bad('mtu-mismatch', 'one veth end larger', (d) => { el(d, 'veths', 'app1').a.mtu = 9000; }, warn('app1', 'a.mtu')),
  bad('mtu-mismatch', 'a namespace at 1500 behind a VXLAN', (d) => { delete el(d, 'veths', 'remote').a.mtu; }, warn('remote', 'a.mtu')),
  good('mtu-mismatch', 'a whole segment at 9000', (d) => {
    el(d, 'bridges', 'br-db').mtu = 9000;
    el(d, 'veths', 'db').a.mtu = 9000;
    el(d, 'veths', 'db').b.mtu = 9000;
  }),
];
