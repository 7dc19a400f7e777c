// Structural rules for links: a veth is a cable inside one kernel, so both ends share a
// host (an end on a bridge whose other end is on another host is placed on that host, as
// a port of the bridge's stretch: see rules/stitch.ts); an interface enslaved to a bridge is a port and its addresses belong on the
// bridge; veths between bridges must not close a loop unless STP can break it.
import { error, warning, type Finding, type Rule } from '../rule';

export const veths: Rule = ({ design, ifaces, ifaceByKey, segments, index }) => {
  const out: Finding[] = [];
  for (const v of design.veths) {
    const ea = ifaceByKey.get(`${v.id}.a`);
    const eb = ifaceByKey.get(`${v.id}.b`);
    const a = ea?.host;
    const b = eb?.host;
    if (a && b && a.id !== b.id) {
      // Left here: two namespaces (or roots) on different hosts, or two bridges.
      const fix = ea.master && eb.master
        ? `connect the ports on host "${b.name}" to bridge "${ea.master.name}" directly (Wireplan stretches a bridge to other hosts over VXLAN), or join the two bridges with explicit VXLANs`
        : `put a bridge between them: connect both ends to one bridge, and Wireplan stretches it to the other host over VXLAN (set each host's "underlay" and "underlayDev")`;
      out.push(error('veth-cross-host', v.id, 'b.at', `veth "${v.name}" joins host "${a.name}" and host "${b.name}"; a veth cannot leave its host`, fix));
    }
  }
  for (const i of ifaces) {
    if (!i.master || i.spec.addresses.length === 0) continue;
    out.push(warning('bridge-port-address', i.elementId, `${i.path}addresses`, `${i.label} is a port of bridge "${i.master.name}" but carries addresses (${i.spec.addresses.join(', ')}); a bridge port does not answer for them`, `move the addresses to bridge "${i.master.name}"`));
  }
  for (const loop of segments.loops) {
    const bridges = loop.bridgeIds.map((id) => index.get('bridges', id)).filter((b) => b !== undefined);
    if (bridges.length > 0 && bridges.every((b) => b.stp)) continue;
    const names = bridges.map((b) => `"${b.name}"`).join(' and ');
    const veth = design.veths.find((x) => x.id === loop.vethId);
    out.push(warning('l2-loop', loop.vethId, undefined, `veth "${veth?.name ?? loop.vethId}" closes a loop between bridge${bridges.length > 1 ? 's' : ''} ${names}; without STP broadcast frames circle forever`, 'remove the redundant link, or turn on STP on the bridges'));
  }
  return out;
};
