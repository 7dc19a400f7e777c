// nftables ruleset for one router (a host's root namespace or a namespace): masquerade,
// port forwards and forwarding policies, all inside one table Wireplan owns. Loading
// the file replaces the table atomically, so applying it twice is a no-op and removing
// it never touches anyone else's rules. Every rule an element owns carries a `counter`, so
// live status can show its packets and bytes per NAT, port forward and policy rule.
import { parseAddress, parsePrefix, formatNetwork, formatAddress, type Family } from '../net/ip';
import type { Masquerade, Policy, PolicyRule, PortForward } from '../model/schema';
import { sha256Hex } from '../util/sha256';

export interface RouterFirewall {
  masquerades: Masquerade[];
  portForwards: PortForward[];
  policies: Policy[];
}

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

function portForwardMatch(pf: PortForward): string {
  const parts: string[] = [];
  if (pf.ingress) parts.push(`iifname "${pf.ingress}"`);
  const listen = pf.listen ? parseAddress(pf.listen) : undefined;
  if (listen) parts.push(`${fam(listen.family)} daddr ${formatAddress(listen.family, listen.value)}`);
  parts.push(`${pf.protocol} dport ${pf.port}`);
  return parts.join(' ');
}

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
    const parts = [`${fam(f)} daddr ${set(dests)}`];
    if (from) parts.push(`${fam(f)} saddr ${formatNetwork(from)}`);
    if (rule.protocol === 'icmp') parts.push(`meta l4proto ${f === 4 ? 'icmp' : 'ipv6-icmp'}`);
    else if (rule.protocol !== 'any') {
      parts.push(`meta l4proto ${rule.protocol}`);
      if (rule.ports) parts.push(`th dport ${rule.ports}`);
    }
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
  for (const pf of fw.portForwards) {
    const target = dnatTarget(pf);
    if (!target) continue;
    pre.push(`${portForwardMatch(pf)} counter ${target} comment "${owner(pf.id)}"`);
    if (pf.hostLocal) local.push(`fib daddr type local ${portForwardMatch({ ...pf, ingress: undefined })} counter ${target} comment "${owner(pf.id)}"`);
  }
  const post: string[] = [];
  for (const m of fw.masquerades) {
    const src = parsePrefix(m.source);
    if (!src) continue;
    const net = formatNetwork(src);
    const f = fam(src.family);
    post.push(`${f} saddr ${net} ${f} daddr != ${net}${m.egress ? ` oifname "${m.egress}"` : ''} counter masquerade comment "${owner(m.id)}"`);
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
