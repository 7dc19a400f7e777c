// Kernel features a host plan needs, read off its commands. preflight.sh holds the shell
// test for each (run in a throwaway network namespace on the host, so nothing of it stays).
import type { HostPlan } from '../../../shared/compile/plan';

export type Feature = 'veth' | 'bridge' | 'bridge-vlan-filtering' | 'macvlan' | 'ipvlan' | 'vlan' | 'vxlan' | 'nftables' | 'tbf' | 'netem';

/** Features in a fixed order (tests print in this order). */
export const FEATURES: readonly Feature[] = ['veth', 'bridge', 'bridge-vlan-filtering', 'macvlan', 'ipvlan', 'vlan', 'vxlan', 'nftables', 'tbf', 'netem'];

export function featuresOf(host: HostPlan): Feature[] {
  const need = new Set<Feature>();
  for (const step of host.steps) {
    for (const c of step.do) {
      const a = c.argv;
      if (a[0] === 'wp_nft_load') need.add('nftables');
      // Link impairments (compile/impair.ts): `tc qdisc replace ... tbf|netem ...`.
      if (a[0] === 'tc' && a[1] === 'qdisc' && a[2] === 'replace') for (const q of ['tbf', 'netem'] as const) if (a.includes(q)) need.add(q);
      if (a[0] !== 'ip') continue;
      const t = a.indexOf('type');
      const kind = t >= 0 ? a[t + 1] : undefined;
      if (a[1] === 'link' && a[2] === 'add' && kind) {
        if (kind === 'veth' || kind === 'bridge' || kind === 'macvlan' || kind === 'ipvlan' || kind === 'vlan' || kind === 'vxlan') need.add(kind);
      }
      if (a.includes('vlan_filtering') && a[a.indexOf('vlan_filtering') + 1] === '1') need.add('bridge-vlan-filtering');
    }
    if (step.kind === 'bridge-vlan') need.add('bridge-vlan-filtering');
  }
  return FEATURES.filter((f) => need.has(f));
}
