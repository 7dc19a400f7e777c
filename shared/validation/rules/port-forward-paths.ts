// A published port works only if both directions do: the router must reach the DNAT
// target (a connected subnet or a route), and the target's namespace must route replies
// back through the router (a default route) — replies to outside clients otherwise
// leave by no path at all. Two classic "port forward does nothing" causes.
import { canonicalAddress, contains, parseAddress, parsePrefix, type Address, type Family } from '../../net/ip';
import type { Route } from '../../model/schema';
import { isHostPrefix } from '../addr-kinds';
import type { IfaceAddress } from '../context';
import { pushTo } from '../group';
import { warning, type Finding, type Rule } from '../rule';
import { addressesByScope } from '../scope-addresses';

const routeFamily = (r: Route): Family | undefined => (r.via === undefined ? undefined : parseAddress(r.via)?.family);

function covers(r: Route, to: Address): boolean {
  if (r.to === 'default') return (routeFamily(r) ?? to.family) === to.family;
  const p = parsePrefix(r.to);
  return p !== undefined && contains(p, to);
}

export const portForwardPaths: Rule = ({ design, scopeAt, scopes, addresses, segments }) => {
  const out: Finding[] = [];
  const byScope = addressesByScope(addresses);
  const owners = new Map<string, IfaceAddress[]>();
  for (const a of addresses) pushTo(owners, `${a.prefix.family}/${a.address}`, a);
  for (const pf of design.portForwards) {
    const router = scopeAt(pf.at);
    const to = parseAddress(pf.to);
    if (!router || !to) continue;
    const target = (owners.get(`${to.family}/${canonicalAddress(pf.to) ?? ''}`) ?? []).find((a) => a.iface.host?.id === router.host.id);
    if (!target || target.iface.scope === router.key) continue; // unknown target: another rule; local: no path needed
    const mine = byScope.get(router.key) ?? [];
    const connected = mine.some((a) => !isHostPrefix(a.prefix) && contains(a.prefix, to));
    const macvlanChild = target.iface.collection === 'macvlans' && !router.ns; // the shim rules speak for these
    if (!connected && !router.routes.some((r) => covers(r, to)) && !macvlanChild) {
      out.push(warning('port-forward-unreachable', pf.id, 'to', `${router.label} has no route to ${pf.to} (${target.iface.label}): it is on no subnet connected there and no route covers it`, `connect ${router.label} to the segment of ${target.iface.label}, or add a route to it`));
    }
    const targetScope = target.iface.scope === undefined ? undefined : scopes.get(target.iface.scope);
    if (!targetScope?.ns) continue; // a root namespace has the host's own routes, which Wireplan does not see
    if (targetScope.routes.some((r) => r.to === 'default' && (routeFamily(r) ?? to.family) === to.family)) continue;
    const gateway = mine.find((a) => a.prefix.family === to.family && a.segment === segments.of(target.iface));
    out.push(
      warning(
        'port-forward-no-return',
        pf.id,
        'to',
        `${targetScope.label} has no default route, so replies from ${pf.to} to clients of port forward "${pf.name}" outside its subnets are dropped`,
        `add a default route in namespace "${targetScope.ns.name}"${gateway ? ` via ${gateway.address}` : ' via the router'}`,
      ),
    );
  }
  return out;
};
