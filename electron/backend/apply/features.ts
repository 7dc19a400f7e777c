// Kernel features a host plan needs, read off its commands, and the shell test for each
// (run in a throwaway network namespace on the host, so nothing of it stays).
import type { HostPlan } from '../../../shared/compile/plan';

export type Feature = 'veth' | 'bridge' | 'bridge-vlan-filtering' | 'macvlan' | 'ipvlan' | 'vlan' | 'vxlan' | 'nftables';

/** Features in a fixed order (tests print in this order). */
export const FEATURES: readonly Feature[] = ['veth', 'bridge', 'bridge-vlan-filtering', 'macvlan', 'ipvlan', 'vlan', 'vxlan', 'nftables'];

export function featuresOf(host: HostPlan): Feature[] {
  const need = new Set<Feature>();
  for (const step of host.steps) {
    for (const c of step.do) {
      const a = c.argv;
      if (a[0] === 'wp_nft_load') need.add('nftables');
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

// Each test runs with `set -e` inside the throwaway namespace; wpf0/wpf1 is a veth pair
// that parents the macvlan/ipvlan/vlan tests.
const TESTS: Record<Feature, string> = {
  veth: 'ip link add wpfv0 type veth peer name wpfv1',
  bridge: 'ip link add wpfbr type bridge',
  'bridge-vlan-filtering': 'ip link add wpfbv type bridge && ip link set dev wpfbv type bridge vlan_filtering 1',
  macvlan: 'ip link add wpfmv link wpf0 type macvlan mode bridge',
  ipvlan: 'ip link add wpfiv link wpf0 type ipvlan mode l2',
  vlan: 'ip link add wpfvl link wpf0 type vlan id 10',
  vxlan: 'ip link add wpfvx type vxlan id 4242 dstport 4789',
  nftables: 'nft add table inet wpf_probe',
};

/** Shell text (run inside the throwaway namespace) printing "feature NAME ok|missing: why". */
export function featureTestScript(features: readonly Feature[]): string {
  const lines = ['ip link set lo up 2>/dev/null || true', 'ip link add wpf0 type veth peer name wpf1 2>/dev/null || true'];
  for (const f of features) {
    lines.push(
      `if out=$( { ${TESTS[f]}; } 2>&1 ); then echo "feature ${f} ok"; else echo "feature ${f} missing: $(printf '%s' "$out" | head -n1)"; fi`,
    );
  }
  return lines.join('\n');
}
