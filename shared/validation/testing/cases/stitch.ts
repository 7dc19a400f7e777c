import type { Design } from '../../../model/schema';
import { bad, good, type Case } from '../case';
import { el, make } from '../designs';

/**
 * Namespace "far" on lab2 joins bridge br-app of lab1: the segment is stretched over
 * VXLAN through eth1 (MTU 1500) on both hosts, so br-app and its new port use 1450.
 */
function stretchApp(d: Design): void {
  d.namespaces.push(make.namespace({ id: 'ns-far', name: 'far', host: 'h2', routes: [{ to: 'default', via: '10.0.1.1' }] }));
  d.veths.push(make.veth({ id: 'far', name: 'far', a: { at: 'ns-far', addresses: ['10.0.1.20/24'], mtu: 1450 }, b: { at: 'br-app', mtu: 1450 } }));
  el(d, 'bridges', 'br-app').mtu = 1450;
  el(d, 'hosts', 'h1').underlayDev = 'eth1';
  el(d, 'hosts', 'h2').underlayDev = 'eth1';
}

const stretched = (more: (d: Design) => void) => (d: Design) => {
  stretchApp(d);
  more(d);
};

export const stitchCases: Case[] = [
  bad('stitch-underlay', 'no underlay address on the far host', stretched((d) => { delete el(d, 'hosts', 'h2').underlay; }), { elementId: 'h2', field: 'underlay' }),
  bad('stitch-underlay', 'no underlay NIC on the far host', stretched((d) => { delete el(d, 'hosts', 'h2').underlayDev; }), { elementId: 'h2', field: 'underlayDev' }),
  bad('stitch-underlay', 'no underlay NIC on the bridge\'s own host', stretched((d) => { delete el(d, 'hosts', 'h1').underlayDev; }), { elementId: 'h1', field: 'underlayDev' }),
  bad('stitch-underlay', 'an IPv6 underlay facing an IPv4 one', stretched((d) => { el(d, 'hosts', 'h2').underlay = 'fd00:99::2'; }), { elementId: 'h2', field: 'underlay' }),
  bad('stitch-underlay', 'a stretch to the local sandbox', stretched((d) => { el(d, 'hosts', 'h2').target = { kind: 'sandbox' }; }), { elementId: 'h2', field: 'target' }),
  good('stitch-underlay', 'both hosts have an underlay address and NIC', stretchApp),
  good('stitch-underlay', 'no underlay needed when nothing is stretched', (d) => { delete el(d, 'hosts', 'h2').underlay; }),

  bad('stitch-mtu', 'the default bridge MTU over 1500-byte underlays', stretched((d) => {
    delete el(d, 'bridges', 'br-app').mtu;
  }), { elementId: 'br-app', field: 'mtu' }, { elementId: 'br-app', field: 'mtu' }),
  bad('stitch-mtu', 'a small underlay NIC on the far host', stretched((d) => { el(d, 'hosts', 'h2').nics[1]!.mtu = 1400; }), { elementId: 'br-app', field: 'mtu' }),
  bad('stitch-mtu', 'an IPv6 underlay needs 70 bytes', stretched((d) => {
    el(d, 'hosts', 'h1').underlay = 'fd00:99::1';
    el(d, 'hosts', 'h2').underlay = 'fd00:99::2';
  }), { elementId: 'br-app', field: 'mtu' }, { elementId: 'br-app', field: 'mtu' }),
  good('stitch-mtu', 'exactly 1450 over 1500', stretchApp),
  good('stitch-mtu', 'a 1500 segment over jumbo underlays', stretched((d) => {
    delete el(d, 'bridges', 'br-app').mtu;
    el(d, 'hosts', 'h1').nics[1]!.mtu = 9000;
    el(d, 'hosts', 'h2').nics[1]!.mtu = 9000;
  })),

  bad('stitch-bridge', 'a stretched bridge inside a namespace', (d) => {
    stretchApp(d);
    d.bridges.push(make.bridge({ id: 'br-in', name: 'br-in', at: 'ns-db', mtu: 1450 }));
    el(d, 'veths', 'far').b.at = 'br-in';
  }, { elementId: 'br-in', field: 'at' }),
  bad('stitch-bridge', 'a stretched bridge that filters VLANs', stretched((d) => { el(d, 'bridges', 'br-app').vlanFiltering = true; }), { elementId: 'br-app', field: 'vlanFiltering' }),
  good('stitch-bridge', 'a stretched root bridge', stretchApp),

  bad('dangling-nic', 'an undeclared underlay NIC', (d) => { el(d, 'hosts', 'h2').underlayDev = 'eth7'; }, { elementId: 'h2', field: 'underlayDev' }),
  good('dangling-nic', 'a declared underlay NIC', (d) => { el(d, 'hosts', 'h2').underlayDev = 'eth1'; }),
  bad('ifname-ref-syntax', 'an underlay NIC name with a space', (d) => { el(d, 'hosts', 'h2').underlayDev = 'eth 1'; }, { elementId: 'h2', field: 'underlayDev' }),
  bad('port-range', 'a stitch port of 0', stretched((d) => { el(d, 'bridges', 'br-app').stitchPort = 0; }), { elementId: 'br-app', field: 'stitchPort' }),
  good('port-range', 'a stitch port of 4790', stretched((d) => { el(d, 'bridges', 'br-app').stitchPort = 4790; })),
];
