// The evidence run after a mismatch: per namespace on the expected path, read what the
// kernel really holds there (links and addresses, forwarding and bridge-netfilter
// sysctls, the route it picks for each destination, the nftables ruleset), in one bash
// script per host. Read-only: it changes nothing on the host.
import { shellCommand } from '../../../shared/export/quote';
import { EVIDENCE_SH } from './evidence.generated';

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
  return [EVIDENCE_SH, 'main() {', ...body, '}', 'main </dev/null', ''].join('\n');
}

export function evidenceBudgetMs(scopes: readonly EvidenceRequest[]): number {
  return 10_000 + scopes.reduce((n, s) => n + 300 + s.routes.length * 50, 0);
}
