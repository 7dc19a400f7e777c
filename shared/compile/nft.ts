// nftables ruleset for one router (a host's root namespace or a namespace): masquerade,
// port forwards and forwarding policies, all inside one table Wireplan owns. Loading
// the file replaces the table atomically, so applying it twice is a no-op and removing
// it never touches anyone else's rules. Every rule an element owns carries a `counter`, so
// live status can show its packets and bytes per NAT, port forward and policy rule.
//
// Port forwards follow Docker and the CNI portmap plugin (docs/firewall.md):
//   - prerouting DNAT only for local destinations (`fib daddr type local`) unless `listen`
//     names the address, so traffic passing through to an outside server keeps its way;
//   - hostLocal: the output-chain twin, also for 127.0.0.1; a loopback source is
//     masqueraded towards the target (with route_localnet=1 on the router's interface
//     towards it, set by the compiler), and a raw-prerouting guard drops 127.0.0.0/8 that
//     arrives from outside (the CVE-2020-8558 lesson: route_localnet must not open lo);
//   - hairpin: a client on the target's own subnet is masqueraded towards the target, so
//     the reply comes back through the router's conntrack whatever bridge-nf-call-iptables says.
import { contains, network, parseAddress, parsePrefix, formatNetwork, formatAddress, type Address, type Family, type Prefix } from '../net/ip';
import type { CtState, Masquerade, Policy, PolicyRule, PortForward, Route } from '../model/schema';
import { sha256Hex } from '../util/sha256';

/** The router's interface towards a port forward's target and, when the target is on it, that subnet. */
export interface TargetLink {
  ifname: string;
  /** The connected subnet holding the target (hairpin clients come from there). */
  subnet?: Prefix;
}

export interface RouterFirewall {
  masquerades: Masquerade[];
  portForwards: PortForward[];
  policies: Policy[];
  /** Port forward id -> its target link at this router (see portForwardLink). */
  targets?: ReadonlyMap<string, TargetLink>;
}

/** An addressed interface of the router (kernel name and its addresses as written). */
export interface RouterLink {
  ifname: string;
  addresses: readonly string[];
}

const LOOPBACK4 = parsePrefix('127.0.0.0/8')!;

/**
 * Which interface of the router leads to a port forward's target: the one whose connected
 * subnet holds it (longest prefix), else the device of the route covering it (its `dev`, or
 * the interface whose subnet holds its gateway). Undefined when the design does not say.
 */
export function portForwardLink(pf: PortForward, links: readonly RouterLink[], routes: readonly Route[]): TargetLink | undefined {
  const to = parseAddress(pf.to);
  if (!to) return undefined;
  const connected = (a: Address): { ifname: string; subnet: Prefix } | undefined => {
    let best: { ifname: string; subnet: Prefix } | undefined;
    for (const l of links) {
      for (const text of l.addresses) {
        const p = parsePrefix(text);
        if (!p || !contains(p, a) || (best && best.subnet.length >= p.length)) continue;
        best = { ifname: l.ifname, subnet: { ...p, address: network(p) } };
      }
    }
    return best;
  };
  const direct = connected(to);
  if (direct) return direct;
  let route: Route | undefined;
  let length = -1;
  for (const r of routes) {
    const via = r.via !== undefined ? parseAddress(r.via) : undefined;
    const p: Prefix | undefined = r.to === 'default' ? (via === undefined || via.family === to.family ? { family: to.family, address: 0n, length: 0 } : undefined) : parsePrefix(r.to);
    if (!p || !contains(p, to) || p.length <= length) continue;
    route = r;
    length = p.length;
  }
  if (!route) return undefined;
  if (route.dev !== undefined) return { ifname: route.dev };
  const via = route.via !== undefined ? parseAddress(route.via) : undefined;
  const gw = via && connected(via);
  return gw ? { ifname: gw.ifname } : undefined;
}

/** Whether a port forward's output-chain twin serves 127.0.0.1 (IPv4, any local address or a 127/8 listen address). */
export function servesLoopback(pf: PortForward): boolean {
  if (!pf.hostLocal || parseAddress(pf.to)?.family !== 4) return false;
  if (pf.listen === undefined) return true;
  const l = parseAddress(pf.listen);
  return l !== undefined && contains(LOOPBACK4, l);
}

/** The sysctl (slash form) that lets a 127.0.0.1 source be routed out of `ifname`. */
export const routeLocalnetKey = (ifname: string) => `net/ipv4/conf/${ifname}/route_localnet`;

const fam = (f: Family) => (f === 4 ? 'ip' : 'ip6');

function prefixesByFamily(list: readonly string[]): Map<Family, string[]> {
  const out = new Map<Family, string[]>();
  for (const text of list) {
    const p = parsePrefix(text);
    if (!p) continue;
    out.set(p.family, [...(out.get(p.family) ?? []), formatNetwork(p)]);
  }
  return out;
}

const set = (items: string[]) => (items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`);

/** Prerouting: `[iifname I] (ip daddr L | fib daddr type local) P dport N`. */
function preroutingMatch(pf: PortForward): string {
  const parts: string[] = [];
  if (pf.ingress) parts.push(`iifname "${pf.ingress}"`);
  const listen = pf.listen ? parseAddress(pf.listen) : undefined;
  if (listen) parts.push(`${fam(listen.family)} daddr ${formatAddress(listen.family, listen.value)}`);
  else parts.push('fib daddr type local');
  parts.push(`${pf.protocol} dport ${pf.port}`);
  return parts.join(' ');
}

/**
 * Output (hostLocal): `fib daddr type local [ip daddr L] P dport N`. IPv6 leaves ::1 alone:
 * the kernel cannot route a loopback source out, so ::1:N stays the host's own port.
 */
function outputMatch(pf: PortForward): string {
  const parts = ['fib daddr type local'];
  const listen = pf.listen ? parseAddress(pf.listen) : undefined;
  if (listen) parts.push(`${fam(listen.family)} daddr ${formatAddress(listen.family, listen.value)}`);
  else if (parseAddress(pf.to)?.family === 6) parts.push('ip6 daddr != ::1');
  parts.push(`${pf.protocol} dport ${pf.port}`);
  return parts.join(' ');
}

/** The DNAT'ed connection on its way to the target: `ip daddr T P dport N ct status dnat`. */
function towardsTarget(pf: PortForward): string | undefined {
  const to = parseAddress(pf.to);
  if (!to) return undefined;
  return `${fam(to.family)} daddr ${formatAddress(to.family, to.value)} ${pf.protocol} dport ${pf.toPort ?? pf.port} ct status dnat`;
}

/** nft's listing order of ct states (its bit order), so the designed text equals the listed one. */
const CT_ORDER: readonly CtState[] = ['invalid', 'established', 'related', 'new'];
export const ctStateText = (states: readonly CtState[]) => CT_ORDER.filter((s) => states.includes(s)).join(',');

function dnatTarget(pf: PortForward): string | undefined {
  const to = parseAddress(pf.to);
  if (!to) return undefined;
  const addr = formatAddress(to.family, to.value);
  const port = pf.toPort ?? pf.port;
  return to.family === 4 ? `dnat ip to ${addr}:${port}` : `dnat ip6 to [${addr}]:${port}`;
}

function ruleLines(rule: PolicyRule, protects: Map<Family, string[]>, comment: string): string[] {
  const lines: string[] = [];
  const from = rule.from ? parsePrefix(rule.from) : undefined;
  const to = rule.to ? parsePrefix(rule.to) : undefined;
  const families: Family[] = from ? [from.family] : to ? [to.family] : [...protects.keys()];
  for (const f of families) {
    const dests = to ? [formatNetwork(to)] : protects.get(f) ?? [];
    if (dests.length === 0) continue;
    const parts: string[] = [];
    if (rule.in !== undefined) parts.push(`iifname "${rule.in}"`);
    if (rule.out !== undefined) parts.push(`oifname "${rule.out}"`);
    parts.push(`${fam(f)} daddr ${set(dests)}`);
    if (from) parts.push(`${fam(f)} saddr ${formatNetwork(from)}`);
    if (rule.protocol === 'icmp') parts.push(`meta l4proto ${f === 4 ? 'icmp' : 'ipv6-icmp'}`);
    else if (rule.protocol !== 'any') {
      parts.push(`meta l4proto ${rule.protocol}`);
      if (rule.ports) parts.push(`th dport ${rule.ports}`);
    }
    if (rule.state !== undefined && rule.state.length > 0) parts.push(`ct state ${ctStateText(rule.state)}`);
    lines.push(`${parts.join(' ')} counter ${rule.action} comment "${comment}"`);
  }
  return lines;
}

/** The table body (without the table's own comment); its digest tags the loaded table. */
function tableBody(fw: RouterFirewall, owner: (id: string) => string): string[] {
  const out: string[] = [];
  const chain = (name: string, hook: string, body: string[]) => {
    if (body.length === 0) return;
    out.push(`  chain ${name} {`, `    ${hook}`, ...body.map((l) => `    ${l}`), '  }');
  };
  const pre: string[] = [];
  const local: string[] = [];
  const post: string[] = [];
  const guard: string[] = [];
  for (const pf of fw.portForwards) {
    const target = dnatTarget(pf);
    const towards = towardsTarget(pf);
    if (!target || !towards) continue;
    const tag = `comment "${owner(pf.id)}"`;
    pre.push(`${preroutingMatch(pf)} counter ${target} ${tag}`);
    if (pf.hostLocal) local.push(`${outputMatch(pf)} counter ${target} ${tag}`);
    if (servesLoopback(pf)) {
      post.push(`ip saddr 127.0.0.0/8 ${towards} counter masquerade ${tag}`);
      if (guard.length === 0) guard.push(`iifname != "lo" ip daddr 127.0.0.0/8 counter drop ${tag}`);
    }
    const subnet = fw.targets?.get(pf.id)?.subnet;
    if (subnet) post.push(`${fam(subnet.family)} saddr ${formatNetwork(subnet)} ${towards} counter masquerade ${tag}`);
  }
  for (const m of fw.masquerades) {
    const src = parsePrefix(m.source);
    if (!src) continue;
    const net = formatNetwork(src);
    const f = fam(src.family);
    const out = `${m.egress ? ` oifname "${m.egress}"` : ''}${m.egressExcept ? ` oifname != "${m.egressExcept}"` : ''}`;
    post.push(`${f} saddr ${net} ${f} daddr != ${net}${out} counter masquerade comment "${owner(m.id)}"`);
  }
  const fwd: string[] = [];
  if (fw.policies.some((p) => p.allowEstablished)) fwd.push('ct state established,related accept');
  for (const p of fw.policies) {
    const protects = prefixesByFamily(p.protects);
    for (const rule of p.rules) fwd.push(...ruleLines(rule, protects, owner(p.id)));
    if (p.defaultAction === 'drop') {
      for (const [f, dests] of protects) fwd.push(`${fam(f)} daddr ${set(dests)} counter drop comment "${owner(p.id)}"`);
    }
  }
  chain('guard', 'type filter hook prerouting priority raw; policy accept;', guard);
  chain('prerouting', 'type nat hook prerouting priority dstnat; policy accept;', pre);
  chain('output', 'type nat hook output priority -100; policy accept;', local);
  chain('postrouting', 'type nat hook postrouting priority srcnat; policy accept;', post);
  chain('forward', 'type filter hook forward priority filter; policy accept;', fwd);
  return out;
}

export function hasFirewall(fw: RouterFirewall): boolean {
  return fw.masquerades.length + fw.portForwards.length + fw.policies.length > 0;
}

/**
 * The nft script: declare-then-delete-then-define, so loading it replaces the table in
 * one transaction whether or not it existed before.
 */
export function nftRuleset(table: string, tag: string, fw: RouterFirewall, owner: (id: string) => string): { text: string; digest: string } {
  const body = tableBody(fw, owner);
  const digest = sha256Hex(body.join('\n')).slice(0, 16);
  const text = [
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    `  comment "wireplan:${tag}:${digest}"`,
    ...body,
    '}',
    '',
  ].join('\n');
  return { text, digest };
}
