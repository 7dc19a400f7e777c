// A macvlan child in bridge mode talks to its siblings and the wire, but never to its
// parent NIC: the host cannot reach children through eth0 itself. The usual remedy is a
// "shim": a macvlan on the same parent in the root namespace, plus host routes (/32s or a
// covering prefix) to the children via the shim.
import { contains, parsePrefix } from '../../net/ip';
import { addressOf, isHostPrefix } from '../addr-kinds';
import type { IfaceAddress } from '../context';
import { pushTo } from '../group';
import type { Iface } from '../ifaces';
import { warning, type Finding, type Rule } from '../rule';

export const macvlanShim: Rule = ({ design, ifaceByKey, addresses }) => {
  const out: Finding[] = [];
  const children = new Map<string, Iface[]>();
  const shims = new Map<string, Iface[]>();
  for (const m of design.macvlans) {
    const iface = ifaceByKey.get(m.id);
    if (m.kind !== 'macvlan' || m.mode !== 'bridge' || !iface?.host) continue;
    pushTo(iface.ns ? children : shims, `${iface.host.id}\u0000${m.parent}`, iface);
  }
  const addrsOf = new Map<Iface, IfaceAddress[]>();
  for (const a of addresses) pushTo(addrsOf, a.iface, a);
  for (const [key, kids] of children) {
    const host = kids[0]!.host!;
    const parent = key.slice(key.indexOf('\u0000') + 1);
    const hostShims = shims.get(key) ?? [];
    if (hostShims.length === 0) {
      for (const kid of kids) {
        out.push(warning('macvlan-no-shim', kid.elementId, 'parent', `host "${host.name}" cannot talk to ${kid.label} through NIC "${parent}": a macvlan's parent never sees its children's traffic`, `add a macvlan "shim" on "${parent}" in the root namespace of host "${host.name}", with /32 host routes to the children via it`));
      }
      continue;
    }
    // Covered: a host route via a shim, or a shim's own subnet, contains the child address.
    const shimNames = new Set(hostShims.map((s) => s.ifname));
    const covers = (a: IfaceAddress) =>
      host.routes.some((r) => r.dev !== undefined && shimNames.has(r.dev) && covering(r.to, a)) ||
      hostShims.some((s) => (addrsOf.get(s) ?? []).some((own) => !isHostPrefix(own.prefix) && contains(own.prefix, addressOf(a.prefix))));
    const missing = kids.flatMap((k) => addrsOf.get(k) ?? []).filter((a) => !covers(a));
    if (missing.length === 0) continue;
    for (const shim of hostShims) {
      out.push(warning('macvlan-shim-routes', shim.elementId, undefined, `shim ${shim.label} on host "${host.name}" has no host route to ${missing.map((a) => `${a.address} (${a.iface.label})`).join(', ')}, so the host still reaches those children through "${parent}" and fails`, `add host routes such as "${missing[0]!.address}/${missing[0]!.prefix.family === 4 ? 32 : 128} dev ${shim.ifname ?? 'the shim'}" on host "${host.name}"`));
    }
  }
  return out;
};

function covering(to: string, a: IfaceAddress): boolean {
  if (to === 'default') return false;
  const p = parsePrefix(to);
  return p !== undefined && contains(p, addressOf(a.prefix));
}
