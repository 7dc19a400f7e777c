// A stretched segment's frames cross the underlay inside VXLAN: 50 more bytes over IPv4,
// 70 over IPv6. A frame that no longer fits the underlay NIC is dropped without a word
// (ping works, bulk TCP stalls), so the bridge's MTU (which the stitch devices take) plus
// the headers must fit the underlay NIC of every host the segment spans.
import { DEFAULT_MTU, segmentMtu, stretches, underlayFamily, VXLAN_OVERHEAD } from '../../compile/stitch';
import type { Host } from '../../model/schema';
import { error, type Finding, type Rule } from '../rule';

export const stitchMtu: Rule = ({ design, index }) => {
  const out: Finding[] = [];
  for (const { bridge, home, peers } of stretches(design, index)) {
    const mtu = segmentMtu(bridge);
    const check = (h: Host, overhead: number) => {
      const nic = h.nics.find((n) => n.name === h.underlayDev);
      if (!nic) return; // stitch-underlay / dangling-nic say why
      const under = nic.mtu ?? DEFAULT_MTU;
      if (mtu + overhead <= under) return;
      out.push(error('stitch-mtu', bridge.id, 'mtu', `bridge "${bridge.name}" is stretched over VXLAN through underlay NIC "${nic.name}" of host "${h.name}": MTU ${mtu}${bridge.mtu === undefined ? ' (default)' : ''} + ${overhead} bytes of headers needs ${mtu + overhead}, but "${nic.name}" has MTU ${under}${nic.mtu === undefined ? ' (not declared, assumed 1500)' : ''}`, `set the bridge mtu to ${under - overhead} (and the MTU of every interface on its segment), or raise the MTU of "${nic.name}" on host "${h.name}" to ${mtu + overhead}`));
    };
    for (const peer of peers) {
      const overhead = VXLAN_OVERHEAD[underlayFamily(home, peer)];
      check(home, overhead);
      check(peer, overhead);
    }
  }
  return out;
};
