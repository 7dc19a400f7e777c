// The evidence run after a mismatch: per namespace on the expected path, read what the
// kernel really holds there (links and addresses, forwarding and bridge-netfilter
// sysctls, the route it picks for each destination, the nftables ruleset), in one bash
// script per host. Read-only: it changes nothing on the host.
import { shellCommand } from '../../../shared/export/quote';

// Written with @{ for bash's ${, which a template literal would interpolate.
const RUNTIME = String.raw`
set -u
export LC_ALL=C
wp_tag=
wp_say() { printf '%s %s\n' "$wp_tag" "$*"; }
wp_in() { local ns=$1; shift; if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi; }
wp_ev() {
  local idx=$1 ns=$2 d; shift 2
  if [ -n "$ns" ] && ! ip netns exec "$ns" true 2>/dev/null; then wp_say ev "$idx" missing; return; fi
  wp_say ev "$idx" addr
  wp_in "$ns" ip -j -d addr show 2>&1
  wp_say ev "$idx" sysctl
  wp_in "$ns" sh -c 'for k in net/ipv4/ip_forward net/ipv6/conf/all/forwarding net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables net/ipv4/conf/all/rp_filter; do v=$(cat "/proc/sys/$k" 2>/dev/null) || v=-; printf "%s = %s\n" "$k" "$v"; done' 2>&1
  for d in "$@"; do
    wp_say ev "$idx" route "$d"
    wp_in "$ns" ip -j route get "$d" 2>&1
  done
  wp_say ev "$idx" nft
  if command -v nft >/dev/null 2>&1; then wp_in "$ns" nft list ruleset 2>&1; else echo "nft: command not found"; fi
  wp_say ev "$idx" end
}
`.replace(/@\{/g, '${');

export interface EvidenceRequest {
  /** Netns name ('' = root). */
  ns: string;
  /** Destinations to ask `ip route get` about. */
  routes: string[];
}

export function evidenceScript(nonce: string, scopes: readonly EvidenceRequest[]): string {
  const body = [`  wp_tag=${shellCommand([`@wpchk-${nonce}`])}`];
  scopes.forEach((s, i) => body.push(`  ${shellCommand(['wp_ev', String(i), s.ns, ...s.routes])}`));
  body.push('  wp_say done');
  return [RUNTIME, 'main() {', ...body, '}', 'main </dev/null', ''].join('\n');
}

export function evidenceBudgetMs(scopes: readonly EvidenceRequest[]): number {
  return 10_000 + scopes.reduce((n, s) => n + 300 + s.routes.length * 50, 0);
}
