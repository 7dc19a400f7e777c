// A VXLAN needs somewhere to send: a unicast remote, or a multicast group joined on an
// underlay device. The kernel also allows one VXLAN per VNI, port and device in a
// namespace ("A VXLAN device with the specified VNI already exists").
import { parseAddress } from '../../net/ip';
import { isMulticast } from '../addr-kinds';
import { error, warning, type Finding, type Rule } from '../rule';

export const vxlans: Rule = ({ design, ifaceByKey, label }) => {
  const out: Finding[] = [];
  const seen = new Map<string, string>();
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
    const scope = ifaceByKey.get(x.id)?.scope;
    if (scope === undefined) continue;
    const key = `${scope}\u0000${x.vni}\u0000${x.port}\u0000${x.dev ?? ''}`;
    const other = seen.get(key);
    if (other !== undefined) out.push(error('vxlan-duplicate', x.id, 'vni', `VNI ${x.vni} (port ${x.port}) is already used in this namespace by ${label(other)}; the kernel refuses a second one`, 'use another VNI, or attach both sides to one VXLAN through a bridge'));
    else seen.set(key, x.id);
  }
  return out;
};
