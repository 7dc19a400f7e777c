// The management path is sacred: the NIC marked `management` carries the SSH session
// Wireplan applies through. Enslaving it to a bridge or handing it to a passthru
// macvlan moves its traffic off the host's IP stack and cuts the session; a port
// forward on the SSH port steals new SSH connections; a new default route may take over
// the reply path.
import type { Host } from '../../model/schema';
import { error, warning, type Finding, type Rule } from '../rule';

const CUT = 'would cut the SSH session';

export const management: Rule = ({ design, ifaceByKey, scopeAt }) => {
  const out: Finding[] = [];
  const mgmt = (host: Host | undefined, nic: string) => host?.nics.some((n) => n.management && n.name === nic) === true;
  for (const b of design.bridges) {
    const host = ifaceByKey.get(b.id)?.host;
    b.nics.forEach((nic, i) => {
      if (mgmt(host, nic)) out.push(error('management-nic', b.id, `nics[${i}]`, `enslaving management NIC "${nic}" to bridge "${b.name}" ${CUT} to host "${host!.name}" (its address stops working until moved to the bridge)`, 'use another NIC for the bridge, or clear "management" only if the host is reached another way'));
    });
  }
  for (const m of design.macvlans) {
    const host = ifaceByKey.get(m.id)?.host;
    if (m.mode === 'passthru' && mgmt(host, m.parent)) {
      out.push(error('management-nic', m.id, 'mode', `a passthru ${m.kind} takes over management NIC "${m.parent}" and ${CUT} to host "${host!.name}"`, 'use bridge mode, or another parent NIC'));
    }
  }
  for (const host of design.hosts) {
    if (host.target.kind !== 'ssh') continue;
    host.routes.forEach((r, i) => {
      if (r.to === 'default') out.push(warning('management-route', host.id, `routes[${i}]`, `a default route in the root namespace of SSH host "${host.name}" may replace the route the SSH session uses and cut it`, 'route only the prefixes you need, or make sure this gateway also reaches the machine running Wireplan'));
    });
  }
  for (const p of design.portForwards) {
    const scope = scopeAt(p.at);
    const target = scope?.host.target;
    if (!scope || scope.ns || target?.kind !== 'ssh' || p.protocol !== 'tcp' || p.port !== target.port) continue;
    const viaMgmt = p.ingress === undefined || mgmt(scope.host, p.ingress);
    const onSshAddress = p.listen === undefined || p.listen === target.address;
    if (viaMgmt && onSshAddress) {
      out.push(error('management-ssh-port', p.id, 'port', `port forward "${p.name}" captures tcp/${p.port}, the SSH port of host "${scope.host.name}": new SSH connections (Wireplan's own included) would go to ${p.to}`, `publish another port (e.g. 2222 -> ${p.to}:22), or restrict it to an ingress interface that is not the management NIC`));
    }
  }
  return out;
};
