// Stretched segments (compile/stitch.ts): a bridge with ports on other hosts is joined to
// its stretch on each of them by VXLAN over the hosts' underlay. That needs, on every
// host involved, an underlay address and the NIC carrying it, one address family per
// tunnel, and a bridge the underlay can reach: one in the host's root namespace. VLAN
// filtering is not stretched (the tunnel ports would need every VLAN configured).
import { parseAddress } from '../../net/ip';
import type { Host } from '../../model/schema';
import { stretches, type Stretch } from '../../compile/stitch';
import { error, type Finding, type Rule } from '../rule';

const hostList = (hosts: Host[]) => hosts.map((h) => `"${h.name}"`).join(', ');

/** "from it to host(s) ..." or "to it from host ...": why this host needs an underlay. */
function because(s: Stretch, h: Host): string {
  return h.id === s.home.id ? `bridge "${s.bridge.name}" on it is stretched to host ${hostList(s.peers)}` : `bridge "${s.bridge.name}" of host "${s.home.name}" is stretched to it`;
}

export const stitch: Rule = ({ design, index, ifaceByKey }) => {
  const out: Finding[] = [];
  const list = stretches(design, index);
  if (list.length === 0) return out;
  const reason = new Map<string, { host: Host; stretch: Stretch }>();
  for (const s of list) {
    const iface = ifaceByKey.get(s.bridge.id);
    if (iface?.ns) {
      out.push(error('stitch-bridge', s.bridge.id, 'at', `bridge "${s.bridge.name}" has ports on host ${hostList(s.peers)}, but lives in namespace "${iface.ns.name}", which cannot reach the underlay: only a bridge in a host's root namespace can be stretched`, `put bridge "${s.bridge.name}" in the root namespace of host "${s.home.name}", or move its ports' namespaces to host "${s.home.name}"`));
    }
    if (s.bridge.vlanFiltering) {
      out.push(error('stitch-bridge', s.bridge.id, 'vlanFiltering', `bridge "${s.bridge.name}" filters VLANs and has ports on host ${hostList(s.peers)}; a stretched segment carries untagged frames only`, `turn VLAN filtering off on bridge "${s.bridge.name}", or keep its ports on host "${s.home.name}"`));
    }
    for (const h of [s.home, ...s.peers]) if (!reason.has(h.id)) reason.set(h.id, { host: h, stretch: s });
  }
  for (const { host: h, stretch } of reason.values()) {
    if (h.target.kind === 'sandbox') {
      out.push(error('stitch-underlay', h.id, 'target', `host "${h.name}" is the local sandbox, which no other host can reach, but ${because(stretch, h)} over VXLAN`, `give host "${h.name}" an SSH target with an underlay, or keep the bridge's ports on one host`));
      continue;
    }
    if (h.underlay === undefined) {
      out.push(error('stitch-underlay', h.id, 'underlay', `host "${h.name}" has no underlay address, but ${because(stretch, h)} over VXLAN`, `set "underlay" of host "${h.name}" to the address the other hosts reach it at`));
    }
    if (h.underlayDev === undefined) {
      out.push(error('stitch-underlay', h.id, 'underlayDev', `host "${h.name}" has no underlay NIC ("underlayDev"), but ${because(stretch, h)} over VXLAN`, `set "underlayDev" of host "${h.name}" to the NIC that carries ${h.underlay ?? 'its underlay address'}, and declare it (with its MTU) under the host's NICs`));
    }
  }
  for (const s of list) {
    const home = s.home.underlay === undefined ? undefined : parseAddress(s.home.underlay);
    for (const peer of s.peers) {
      const there = peer.underlay === undefined ? undefined : parseAddress(peer.underlay);
      if (!home || !there || home.family === there.family) continue;
      out.push(error('stitch-underlay', peer.id, 'underlay', `underlay ${peer.underlay!} of host "${peer.name}" is IPv${there.family} but underlay ${s.home.underlay!} of host "${s.home.name}" is IPv${home.family}, so bridge "${s.bridge.name}" cannot be stretched between them`, 'give both hosts underlay addresses of one family'));
    }
  }
  return out;
};
