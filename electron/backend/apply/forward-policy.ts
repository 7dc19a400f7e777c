// A FORWARD policy of DROP (Docker sets one) silently breaks a plan that routes or NATs
// in the host's root namespace. Preflight warns, naming the exact rules that let this
// plan's traffic through, in the syntax of the firewall that has the DROP.
import { sysctlKeys } from '../../../shared/compile/compile';
import type { HostPlan } from '../../../shared/compile/plan';

export type FirewallBackend = 'iptables-nft' | 'iptables-legacy' | 'nft' | 'none';

export interface FirewallFacts {
  backend: FirewallBackend;
  /** `iptables -S FORWARD` first line, e.g. "-P FORWARD DROP". */
  iptablesForward?: string;
  legacyForward?: string;
  dockerUser: boolean;
  /** nft base chains on the forward hook with policy drop: "family table chain". */
  nftForwardDrop: string[];
  /** net.bridge.bridge-nf-call-iptables: bridged traffic goes through the FORWARD chain too. */
  bridgeNfCall: boolean;
}

/** Root-namespace interfaces this plan routes through: its bridges and un-enslaved links. */
export function forwardedInterfaces(host: HostPlan): string[] {
  const created = new Set<string>();
  const enslaved = new Set<string>();
  for (const s of host.steps) {
    const p = s.probe;
    if ((p.type === 'link' || p.type === 'alias') && p.ns === '') created.add(p.ifname);
    if (p.type === 'link-state' && p.ns === '' && p.master) enslaved.add(p.ifname);
  }
  return [...created].filter((i) => !enslaved.has(i));
}

export function forwardsInRoot(host: HostPlan): boolean {
  return host.steps.some(
    (s) =>
      (s.probe.type === 'sysctl' && s.probe.ns === '' && (s.probe.key === sysctlKeys.ipForward || s.probe.key === sysctlKeys.ipv6Forward) && s.probe.value === '1') ||
      (s.probe.type === 'nft' && s.probe.ns === ''),
  );
}

export function forwardDropWarnings(host: HostPlan, fw: FirewallFacts): string[] {
  const ifaces = forwardedInterfaces(host);
  const bridges = host.steps.filter((s) => s.probe.type === 'link' && s.probe.ns === '' && s.do.some((c) => c.argv.includes('bridge') && c.argv[2] === 'add')).length > 0;
  if (!(forwardsInRoot(host) || (fw.bridgeNfCall && bridges)) || ifaces.length === 0) return [];
  const out: string[] = [];
  const why = forwardsInRoot(host) ? 'traffic this plan routes' : 'bridged traffic (bridge-nf-call-iptables=1)';
  const ipt = (tool: string, chain: string) =>
    ifaces.flatMap((i) => [`${tool} -I ${chain} -i ${i} -j ACCEPT`, `${tool} -I ${chain} -o ${i} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`]);
  if (fw.iptablesForward === '-P FORWARD DROP') {
    const tool = fw.backend === 'iptables-legacy' ? 'iptables-legacy' : 'iptables';
    const chain = fw.dockerUser ? 'DOCKER-USER' : 'FORWARD';
    out.push(`the FORWARD policy is DROP (${fw.backend}${fw.dockerUser ? ', Docker' : ''}): ${why} will be dropped. To let it through, run:\n  ${ipt(tool, chain).join('\n  ')}`);
  }
  if (fw.legacyForward === '-P FORWARD DROP' && fw.backend !== 'iptables-legacy') {
    out.push(`iptables-legacy also has a FORWARD policy of DROP: ${why} will be dropped. To let it through, run:\n  ${ipt('iptables-legacy', 'FORWARD').join('\n  ')}`);
  }
  for (const chain of fw.nftForwardDrop) {
    // iptables-nft's own FORWARD chain is reported above in iptables syntax.
    if (fw.backend === 'iptables-nft' && /^ip6? filter FORWARD$/.test(chain) && fw.iptablesForward === '-P FORWARD DROP') continue;
    const [family, table, name] = chain.split(' ');
    const rules = ifaces.flatMap((i) => [`nft insert rule ${family} ${table} ${name} iifname "${i}" accept`, `nft insert rule ${family} ${table} ${name} oifname "${i}" ct state established,related accept`]);
    out.push(`nft chain ${family} ${table} ${name} drops forwarded packets by policy: ${why} will be dropped. To let it through, run:\n  ${rules.join('\n  ')}`);
  }
  return out;
}
