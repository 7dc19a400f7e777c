// A VXLAN needs somewhere to send: a unicast remote, or a multicast group joined on an
// underlay device. The kernel also allows one VXLAN per VNI, port and device in a
// namespace ("A VXLAN device with the specified VNI already exists"). When the remote is
// another host of the design, that host needs the other end: same VNI and port, pointing
// back.
import { canonicalAddress, parseAddress } from '../../net/ip';
import type { Design, Vxlan } from '../../model/schema';
import { isMulticast } from '../addr-kinds';
import type { RuleContext } from '../context';
import { pushTo } from '../group';
import { error, warning, type Finding, type Rule } from '../rule';

export const vxlans: Rule = ({ design, ifaceByKey, label }) => {
  const out: Finding[] = [];
  const seen = new Map<string, string>();
  const byHostVni = new Map<string, Vxlan[]>();
  for (const x of design.vxlans) pushTo(byHostVni, `${ifaceByKey.get(x.id)?.host?.id ?? ''}\u0000${x.vni}\u0000${x.port}`, x);
  for (const x of design.vxlans) {
    const host = ifaceByKey.get(x.id)?.host;
    const name = `VXLAN "${x.name}"`;
    if (x.remote === undefined && x.group === undefined) {
      out.push(error('vxlan-endpoint', x.id, 'remote', `${name} has neither a remote nor a group, so it sends nowhere`, 'set "remote" to the other host\'s underlay address, or a multicast "group" with a "dev"'));
    }
    if (x.remote !== undefined && x.group !== undefined) {
      out.push(error('vxlan-endpoint', x.id, 'group', `${name} has both a remote and a group; the kernel accepts only one`, 'keep "remote" for point-to-point, or "group" for multicast'));
    }
    const group = x.group === undefined ? undefined : parseAddress(x.group);
    if (group && !isMulticast(group)) {
      out.push(error('vxlan-endpoint', x.id, 'group', `group ${x.group} of ${name} is not a multicast address`, 'use a multicast group such as 239.1.1.1, or set it as "remote" instead'));
    }
    if (x.group !== undefined && x.dev === undefined) {
      out.push(error('vxlan-endpoint', x.id, 'dev', `${name} joins multicast group ${x.group} but has no underlay device`, 'set "dev" to the NIC the group is reachable on'));
    }
    const remote = x.remote === undefined ? undefined : parseAddress(x.remote);
    if (remote && isMulticast(remote)) {
      out.push(error('vxlan-endpoint', x.id, 'remote', `remote ${x.remote} of ${name} is a multicast address`, 'set it as "group" (with a "dev") instead'));
    } else if (remote && host && [host.underlay, x.local].some((own) => own !== undefined && parseAddress(own)?.value === remote.value)) {
      out.push(warning('vxlan-endpoint', x.id, 'remote', `remote ${x.remote} of ${name} is this host's own address, so the tunnel loops back`, 'set the other host\'s underlay address'));
    }
    out.push(...peer(design, ifaceByKey, byHostVni, x));
    const scope = ifaceByKey.get(x.id)?.scope;
    if (scope === undefined) continue;
    const key = `${scope}\u0000${x.vni}\u0000${x.port}\u0000${x.dev ?? ''}`;
    const other = seen.get(key);
    if (other !== undefined) out.push(error('vxlan-duplicate', x.id, 'vni', `VNI ${x.vni} (port ${x.port}) is already used in this namespace by ${label(other)}; the kernel refuses a second one`, 'use another VNI, or attach both sides to one VXLAN through a bridge'));
    else seen.set(key, x.id);
  }
  return out;
};

function peer(design: Design, ifaceByKey: RuleContext['ifaceByKey'], byHostVni: Map<string, Vxlan[]>, x: Vxlan): Finding[] {
  const remote = x.remote === undefined ? undefined : canonicalAddress(x.remote);
  const here = ifaceByKey.get(x.id)?.host;
  if (remote === undefined || !here) return [];
  const there = design.hosts.find((h) => h.id !== here.id && h.underlay !== undefined && canonicalAddress(h.underlay) === remote);
  if (!there) return [];
  const ends = byHostVni.get(`${there.id}\u0000${x.vni}\u0000${x.port}`) ?? [];
  if (ends.length === 0) {
    return [warning('vxlan-peer', x.id, 'remote', `VXLAN "${x.name}" sends VNI ${x.vni} to host "${there.name}", which has no VXLAN with VNI ${x.vni} on port ${x.port}: the tunnel has no other end`, `add a VXLAN with VNI ${x.vni} on host "${there.name}" with remote ${here.underlay ?? x.local ?? 'this host\'s underlay address'}`)];
  }
  const mine = new Set([here.underlay, x.local].map((a) => (a === undefined ? undefined : canonicalAddress(a))).filter((a) => a !== undefined));
  const back = ends.some((o) => o.group !== undefined || (o.remote !== undefined && mine.has(canonicalAddress(o.remote) ?? '')));
  if (back || mine.size === 0) return [];
  return [warning('vxlan-peer', x.id, 'remote', `VXLAN "${x.name}" reaches host "${there.name}", but its VXLAN with VNI ${x.vni} (${ends.map((o) => `"${o.name}"`).join(', ')}) sends to ${ends.map((o) => o.remote ?? '?').join(', ')}, not back to host "${here.name}"`, `set the remote of the VXLAN on host "${there.name}" to ${[...mine][0]!}`)];
}
