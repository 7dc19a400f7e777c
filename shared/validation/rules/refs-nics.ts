// Physical NICs Wireplan builds on (macvlan/VLAN parents, bridge ports, VXLAN underlay,
// a host's underlay NIC for stretched segments)
// must be declared on the element's host, so the plan never guesses at a host's
// hardware. A VXLAN is created where it lives, so its underlay device must be there. A
// bridge with NICs must live in the root namespace: enslaving a NIC to a bridge inside a
// namespace would first move the NIC out of the host's reach.
import { isIfname } from '../../model/identifiers';
import { error, type Finding, type Rule } from '../rule';

export const refsNics: Rule = ({ design, ifaceByKey, scopes }) => {
  const out: Finding[] = [];
  const hostOf = (id: string) => ifaceByKey.get(id)?.host;
  const missing = (elementId: string, field: string, nic: string, what: string) => {
    const host = hostOf(elementId);
    if (!host || !isIfname(nic) || host.nics.some((n) => n.name === nic)) return;
    out.push(error('dangling-nic', elementId, field, `${what.replace('%', () => `"${nic}"`)} is not a NIC declared on host "${host.name}"`, `declare "${nic}" under the NICs of host "${host.name}", or pick one of: ${host.nics.map((n) => n.name).join(', ') || '(none declared)'}`));
  };
  for (const m of design.macvlans) missing(m.id, 'parent', m.parent, `parent % of ${m.kind} "${m.name}"`);
  for (const v of design.vlans) missing(v.id, 'parent', v.parent, `parent % of VLAN "${v.name}"`);
  for (const b of design.bridges) {
    b.nics.forEach((nic, i) => missing(b.id, `nics[${i}]`, nic, `port % of bridge "${b.name}"`));
    const iface = ifaceByKey.get(b.id);
    if (iface?.ns && b.nics.length > 0) {
      out.push(error('bridge-nic-in-namespace', b.id, 'nics', `bridge "${b.name}" is in namespace "${iface.ns.name}" but has NICs (${b.nics.join(', ')}); the NICs would have to be moved into the namespace and the host would lose them`, 'put the bridge in the host\'s root namespace, or connect the namespace to a root bridge with a veth'));
    }
  }
  for (const h of design.hosts) {
    if (h.underlayDev === undefined || !isIfname(h.underlayDev) || h.nics.some((n) => n.name === h.underlayDev)) continue;
    out.push(error('dangling-nic', h.id, 'underlayDev', `underlay NIC "${h.underlayDev}" of host "${h.name}" is not a NIC declared on it`, `declare "${h.underlayDev}" under the NICs of host "${h.name}" (with its MTU), or pick one of: ${h.nics.map((n) => n.name).join(', ') || '(none declared)'}`));
  }
  for (const x of design.vxlans) {
    const iface = ifaceByKey.get(x.id);
    const own = iface?.scope === undefined ? undefined : scopes.get(iface.scope);
    if (x.dev === undefined || !own || !isIfname(x.dev) || own.ifnames.has(x.dev)) continue;
    // The VXLAN is created where it lives, so its underlay device must be there too.
    if (own.ns && own.host.nics.some((n) => n.name === x.dev)) {
      out.push(error('dangling-nic', x.id, 'dev', `VXLAN "${x.name}" is created inside namespace "${own.ns.name}", but its underlay device "${x.dev}" is a NIC of the root namespace`, 'put the VXLAN in the root namespace (attach it to a root bridge), or give the namespace its own underlay interface'));
    } else {
      missing(x.id, 'dev', x.dev, `underlay device % of VXLAN "${x.name}"`);
    }
  }
  return out;
};
