// Port forwards: the DNAT target should be an address Wireplan puts on this host (a
// typo sends published traffic nowhere), and one router cannot publish one port twice.
import { canonicalAddress } from '../../net/ip';
import { pushTo } from '../group';
import { error, warning, type Finding, type Rule } from '../rule';

interface Claim {
  name: string;
  listen: string | undefined;
  ingress: string | undefined;
}

export const portForwards: Rule = ({ design, scopeAt, addresses }) => {
  const out: Finding[] = [];
  const onHost = new Set(addresses.map((a) => `${a.iface.host?.id ?? ''}\u0000${a.address}`));
  const claimed = new Map<string, Claim[]>();
  for (const p of design.portForwards) {
    const scope = scopeAt(p.at);
    if (!scope) continue;
    const to = canonicalAddress(p.to);
    if (to !== undefined && !onHost.has(`${scope.host.id}\u0000${to}`)) {
      out.push(warning('port-forward-target-unknown', p.id, 'to', `port forward "${p.name}" sends traffic to ${p.to}, which is not an address of any interface in the design on host "${scope.host.name}"`, 'pick the address of the namespace that runs the service'));
    }
    const listen = p.listen === undefined ? undefined : (canonicalAddress(p.listen) ?? p.listen);
    const key = `${scope.key}\u0000${p.protocol}\u0000${p.port}`;
    const clash = claimed.get(key)?.find(
      (c) =>
        (c.listen === undefined || listen === undefined || c.listen === listen) &&
        (c.ingress === undefined || p.ingress === undefined || c.ingress === p.ingress),
    );
    if (clash) {
      out.push(error('port-forward-duplicate', p.id, 'port', `port forward "${p.name}" publishes ${p.protocol}/${p.port}, already published by port forward "${clash.name}" at ${scope.label}`, 'use another port, or restrict each to a different listen address or ingress interface'));
    }
    pushTo(claimed, key, { name: p.name, listen, ingress: p.ingress });
  }
  return out;
};
