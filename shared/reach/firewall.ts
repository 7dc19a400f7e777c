// What a router's Wireplan firewall does to one packet, read from the design with the
// same semantics as the nftables table the compiler writes (compile/nft.ts):
//   prerouting  port forwards: `[iifname I] (ip daddr L | fib daddr type local) tcp dport P dnat to T:TP`
//   output      port forwards with hostLocal, only for local destinations
//   postrouting port forward hairpin: `ip saddr <target's subnet> ip daddr T ... ct status dnat masquerade`;
//               masquerade: `ip saddr S ip daddr != S [oifname E] [oifname != X] masquerade`
//   forward     `ct state established,related accept` (when a policy allows it), then
//               each policy's rules in order ([iifname] [oifname] daddr [saddr] [proto]
//               [ports] [ct state]), then its default drop for what it protects; the
//               chain's own policy is accept.
import type { Masquerade, Policy, PolicyRule, PortForward } from '../model/schema';
import { canonicalAddress, contains, parseAddress, parsePrefix, type Family, type Prefix } from '../net/ip';
import { parsePortSpec } from '../validation/ports';

export interface Packet {
  family: Family;
  proto: 'icmp' | 'tcp';
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
}

const inPrefix = (p: Prefix | undefined, text: string) => {
  const a = parseAddress(text);
  return p !== undefined && a !== undefined && contains(p, a);
};

export interface PolicyDecision {
  verdict: 'accept' | 'drop';
  /** How it was decided: the conntrack shortcut, a rule, a policy's default drop, or nothing matched. */
  how: 'established' | 'rule' | 'default' | 'none';
  policy?: Policy;
  rule?: number;
}

/** Where a forwarded packet came in and goes out (kernel names), and its conntrack state. */
export interface ForwardContext {
  iif?: string | undefined;
  oif?: string | undefined;
  /** A reply of a connection this router's conntrack saw (else the packet starts one: new). */
  established: boolean;
}

function ruleMatches(policy: Policy, rule: PolicyRule, p: Packet, fc: ForwardContext): boolean {
  if (rule.in !== undefined && rule.in !== fc.iif) return false;
  if (rule.out !== undefined && rule.out !== fc.oif) return false;
  if (rule.state !== undefined && !rule.state.includes(fc.established ? 'established' : 'new')) return false;
  const from = rule.from !== undefined ? parsePrefix(rule.from) : undefined;
  const to = rule.to !== undefined ? parsePrefix(rule.to) : undefined;
  if ((rule.from !== undefined && !from) || (rule.to !== undefined && !to)) return false;
  const family: Family | undefined = from?.family ?? to?.family;
  if (family !== undefined && family !== p.family) return false;
  const dests = to ? [to] : protectedPrefixes(policy, p.family);
  if (!dests.some((d) => inPrefix(d, p.dst))) return false;
  if (from && !inPrefix(from, p.src)) return false;
  if (rule.protocol === 'icmp') return p.proto === 'icmp';
  if (rule.protocol === 'udp') return false; // probes are ICMP or TCP
  if (rule.protocol === 'tcp') {
    if (p.proto !== 'tcp') return false;
    if (rule.ports === undefined) return true;
    const range = parsePortSpec(rule.ports);
    return range !== undefined && p.dport !== undefined && p.dport >= range.lo && p.dport <= range.hi;
  }
  return true;
}

export function protectedPrefixes(policy: Policy, family: Family): Prefix[] {
  return policy.protects.map((t) => parsePrefix(t)).filter((x): x is Prefix => x !== undefined && x.family === family);
}

/** The forward chain of one router: its policies in design order. */
export function forwardVerdict(policies: readonly Policy[], p: Packet, fc: ForwardContext): PolicyDecision {
  if (fc.established && policies.some((x) => x.allowEstablished)) return { verdict: 'accept', how: 'established' };
  for (const policy of policies) {
    for (const [i, rule] of policy.rules.entries()) {
      if (ruleMatches(policy, rule, p, fc)) return { verdict: rule.action, how: 'rule', policy, rule: i };
    }
    if (policy.defaultAction === 'drop' && protectedPrefixes(policy, p.family).some((d) => inPrefix(d, p.dst))) {
      return { verdict: 'drop', how: 'default', policy };
    }
  }
  return { verdict: 'accept', how: 'none' };
}

function dnatFamily(pf: PortForward): Family | undefined {
  return parseAddress(pf.to)?.family;
}

function pfMatches(pf: PortForward, p: Packet): boolean {
  if (p.proto !== pf.protocol || p.dport !== pf.port || dnatFamily(pf) !== p.family) return false;
  if (pf.listen !== undefined && canonicalAddress(pf.listen) !== p.dst) return false;
  return true;
}

/**
 * The first port forward whose prerouting rule matches a packet arriving on `inIf`: one
 * with a listen address for that address, one without only for a local destination.
 */
export function preroutingDnat(pfs: readonly PortForward[], p: Packet, inIf: string | undefined, dstIsLocal: boolean): PortForward | undefined {
  return pfs.find((pf) => pfMatches(pf, p) && (pf.listen !== undefined || dstIsLocal) && (pf.ingress === undefined || pf.ingress === inIf));
}

/** The first port forward whose output rule matches a locally generated packet to a local address. */
export function outputDnat(pfs: readonly PortForward[], p: Packet, dstIsLocal: boolean): PortForward | undefined {
  if (!dstIsLocal) return undefined;
  return pfs.find((pf) => pf.hostLocal && pfMatches(pf, p));
}

export function dnatTarget(pf: PortForward): { address: string; port: number } {
  return { address: canonicalAddress(pf.to) ?? pf.to, port: pf.toPort ?? pf.port };
}

/** The first masquerade rule matching a packet leaving on `outIf`. */
export function masqueradeFor(masquerades: readonly Masquerade[], p: Packet, outIf: string): Masquerade | undefined {
  return masquerades.find((m) => {
    const src = parsePrefix(m.source);
    if (!src || src.family !== p.family) return false;
    if (m.egress !== undefined && m.egress !== outIf) return false;
    if (m.egressExcept !== undefined && m.egressExcept === outIf) return false;
    return inPrefix(src, p.src) && !inPrefix(src, p.dst);
  });
}

/**
 * The hairpin masquerade of a port forward (compile/nft.ts): a DNAT'ed connection whose
 * client is on the target's own subnet at this router (`subnets`: the router's connected
 * prefixes) leaves with the router's address, so the reply comes back through it.
 */
export function hairpinMasquerade(subnets: readonly Prefix[], p: Packet, target: string): boolean {
  const t = parseAddress(target);
  if (!t) return false;
  let best: Prefix | undefined;
  for (const s of subnets) if (contains(s, t) && (!best || s.length > best.length)) best = s;
  return best !== undefined && inPrefix(best, p.src);
}

/** "rule 2 (tcp 80 accept)" / "its default action (drop)". */
export function describeDecision(d: PolicyDecision): string {
  if (d.how === 'established') return 'as part of an established connection';
  if (d.how === 'none') return 'no rule matched';
  if (d.how === 'default') return 'by its default action (drop)';
  const r = d.policy!.rules[d.rule!]!;
  const parts = [r.protocol === 'any' ? 'any protocol' : r.protocol];
  if (r.ports !== undefined) parts.push(`port ${r.ports}`);
  if (r.in !== undefined) parts.push(`in on ${r.in}`);
  if (r.out !== undefined) parts.push(`out of ${r.out}`);
  if (r.from !== undefined) parts.push(`from ${r.from}`);
  if (r.to !== undefined) parts.push(`to ${r.to}`);
  if (r.state !== undefined) parts.push(`state ${r.state.join(',')}`);
  return `by rule ${d.rule! + 1} (${parts.join(' ')} ${r.action})`;
}
