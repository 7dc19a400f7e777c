// A normalized, comparable picture of a host's network state: what two hosts built the
// same way (by hand, or from a design) must agree on, without what legitimately differs
// between them. Used to compare an imported-and-re-applied host with the original.
//
// Kept: namespaces; per interface its kind, MTU, admin state, master, veth peer (by name
// and namespace), macvlan/ipvlan mode and parent, VXLAN settings, bridge STP; configured
// addresses; main-table routes; forwarding sysctls; NAT, port forwards and policies in
// Wireplan's terms (so an iptables masquerade equals the nft one a design loads), and
// every rule it does not understand, verbatim.
// Dropped: ifindexes, nsids, MACs, aliases (ownership tags), counters, carrier/operstate,
// IPv6 link-local addresses, local-table routes, and the interfaces named in `ignore`
// (the management NIC) together with their addresses and routes.
import { resolveLinkPeer } from './host';
import { importFirewall } from './import-firewall';
import type { ObservedHost, ObservedNamespace } from './types';

export interface NormalizedNamespace {
  links: Record<string, string>;
  addresses: string[];
  routes: string[];
  sysctls: Record<string, string>;
  firewall: string[];
}

export type NormalizedHost = Record<string, NormalizedNamespace>;

const FORWARDING = ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'];

function linkText(host: ObservedHost, ns: ObservedNamespace, ifname: string): string {
  const l = ns.links.find((x) => x.ifname === ifname)!;
  const parts = [l.infoKind ?? l.kind, `mtu ${l.mtu ?? '?'}`, l.up ? 'up' : 'down'];
  if (l.master !== undefined) parts.push(`master ${l.master}`);
  if (l.kind === 'veth' || l.kind === 'macvlan' || l.kind === 'ipvlan' || l.kind === 'vlan') {
    const p = resolveLinkPeer(host, ns, l);
    parts.push(p ? `${l.kind === 'veth' ? 'peer' : 'parent'} ${p.namespace.name || '(root)'}/${p.link.ifname}` : 'peer (outside)');
  }
  if (l.macvlan?.mode) parts.push(`mode ${l.macvlan.mode}`);
  if (l.ipvlan?.mode) parts.push(`mode ${l.ipvlan.mode}`);
  if (l.vlan?.id !== undefined) parts.push(`vlan ${l.vlan.id}`);
  if (l.vxlan) parts.push(`vni ${l.vxlan.id} remote ${l.vxlan.remote ?? '-'} group ${l.vxlan.group ?? '-'} local ${l.vxlan.local ?? '-'} port ${l.vxlan.port ?? '-'} dev ${l.vxlan.dev ?? '-'}`);
  if (l.bridge) parts.push(`stp ${l.bridge.stpState ?? '?'}`);
  return parts.join(' ');
}

export function normalizeHost(host: ObservedHost, opts: { ignore?: readonly string[] } = {}): NormalizedHost {
  const ignore = new Set(opts.ignore ?? []);
  const out: NormalizedHost = {};
  for (const ns of [...host.namespaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const skip = (ifname: string | undefined) => ifname !== undefined && ns.name === '' && ignore.has(ifname);
    const links: Record<string, string> = {};
    for (const l of ns.links) if (!skip(l.ifname)) links[l.ifname] = linkText(host, ns, l.ifname);
    const addresses = ns.addresses
      .filter((a) => !skip(a.ifname) && !(a.family === 6 && a.scope === 'link'))
      .map((a) => `${a.cidr} dev ${a.ifname}`)
      .sort();
    const routes = ns.routes
      .filter((r) => r.table === 'main' && !skip(r.dev) && !(r.family === 6 && r.dst === 'fe80::/64'))
      .map((r) => [r.type, r.dst, r.gateway && `via ${r.gateway}`, r.dev !== undefined && `dev ${r.dev}`, r.metric !== undefined && `metric ${r.metric}`, r.protocol && `proto ${r.protocol}`].filter(Boolean).join(' '))
      .sort();
    const sysctls: Record<string, string> = {};
    for (const k of FORWARDING) if (Object.hasOwn(ns.sysctls, k)) sysctls[k] = ns.sysctls[k]!;
    const fw = importFirewall(ns);
    const firewall = [
      ...fw.masquerades.map((m) => `masquerade ${m.source}${m.egress !== undefined ? ` out ${m.egress}` : ''}`),
      ...fw.portForwards.map(
        (p) => `forward ${p.protocol} ${p.listen ?? '*'}:${p.port}${p.ingress !== undefined ? ` in ${p.ingress}` : ''} to ${p.to}:${p.toPort ?? p.port}${p.hostLocal ? ' (+local)' : ''}`,
      ),
      ...fw.policies.map((p) => `policy ${JSON.stringify({ protects: p.protects, defaultAction: p.defaultAction, allowEstablished: p.allowEstablished, rules: p.rules })}`),
      // Rules import does not understand still count: two hosts differ if one has them.
      ...fw.notes.map((n) => `other: ${n}`),
    ].sort();
    out[ns.name] = { links, addresses, routes, sysctls, firewall };
  }
  return out;
}
