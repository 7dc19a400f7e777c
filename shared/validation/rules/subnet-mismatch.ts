// Interfaces on one segment talk directly only if they share a subnet. An address whose
// subnet holds no neighbour on its segment is almost always a typo (10.0.1.10/24 on a
// 10.0.2.0/24 bridge). Host prefixes (/32, /128) are point-to-point by intent: skipped.
import { contains } from '../../net/ip';
import { addressOf, isHostPrefix } from '../addr-kinds';
import type { IfaceAddress } from '../context';
import { pushTo } from '../group';
import { warning, type Finding, type Rule } from '../rule';

export const subnetMismatch: Rule = ({ addresses }) => {
  const out: Finding[] = [];
  const bySegment = new Map<string, IfaceAddress[]>();
  for (const a of addresses) if (!isHostPrefix(a.prefix)) pushTo(bySegment, `${a.segment}\u0000${a.prefix.family}`, a);
  for (const list of bySegment.values()) {
    if (new Set(list.map((a) => a.iface)).size < 2) continue;
    // Fast path: another interface with exactly this subnet.
    const bySubnet = new Map<string, Set<unknown>>();
    for (const a of list) {
      bySubnet.set(a.subnet, (bySubnet.get(a.subnet) ?? new Set()).add(a.iface));
    }
    for (const a of list) {
      if ((bySubnet.get(a.subnet)?.size ?? 0) > 1) continue;
      const neighbour = list.some((b) => b.iface !== a.iface && (contains(a.prefix, addressOf(b.prefix)) || contains(b.prefix, addressOf(a.prefix))));
      if (neighbour) continue;
      const seen = [...new Set(list.filter((b) => b.iface !== a.iface).map((b) => b.subnet))].slice(0, 3);
      out.push(warning('subnet-mismatch', a.iface.elementId, a.field, `${a.text} on ${a.iface.label} shares no subnet with the other interfaces on its segment (${seen.join(', ')})`, `use an address in ${seen[0] ?? 'the segment\'s subnet'}, or move the interface to another segment`));
    }
  }
  return out;
};
