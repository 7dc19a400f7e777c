// One address, one interface: on a segment a duplicate is an ARP/ND fight; inside one
// namespace it makes source selection and replies unpredictable; twice on one interface
// `ip addr add` fails with "File exists".
import type { IfaceAddress } from '../context';
import { pushTo } from '../group';
import { error, warning, type Finding, type Rule } from '../rule';

export const duplicateAddresses: Rule = ({ addresses }) => {
  const out: Finding[] = [];
  const byAddress = new Map<string, IfaceAddress[]>();
  for (const a of addresses) {
    const key = `${a.prefix.family}/${a.address}`;
    pushTo(byAddress, key, a);
  }
  for (const list of byAddress.values()) {
    if (list.length < 2) continue;
    for (const [n, a] of list.entries()) {
      const earlier = list.slice(0, n).find((b) => b.iface === a.iface);
      if (earlier) {
        out.push(error('address-repeated', a.iface.elementId, a.field, `${a.address} is already listed on ${a.iface.label} (${earlier.field})`, 'remove the repeated address'));
        continue;
      }
      const others = list.filter((b) => b.iface !== a.iface);
      const sameSegment = others.filter((b) => b.segment === a.segment);
      const sameScope = others.filter((b) => b.segment !== a.segment && b.iface.scope !== undefined && b.iface.scope === a.iface.scope);
      if (sameSegment.length > 0) {
        out.push(error('address-duplicate-segment', a.iface.elementId, a.field, `${a.address} on ${a.iface.label} is also on ${names(sameSegment)}, on the same segment`, 'give each interface on the segment its own address'));
      } else if (sameScope.length > 0) {
        out.push(warning('address-duplicate-namespace', a.iface.elementId, a.field, `${a.address} on ${a.iface.label} is also on ${names(sameScope)} in the same namespace`, 'use a different address (one address per namespace keeps source selection predictable)'));
      }
    }
  }
  return out;
};

const names = (list: IfaceAddress[]) => [...new Set(list.map((b) => b.iface.label))].join(', ');
