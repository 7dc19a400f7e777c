// A gateway must be a neighbour: on a subnet connected to the route's namespace (on the
// route's dev, when given) and not one of the namespace's own addresses. The host's NICs
// have addresses Wireplan does not know, so in a root namespace with NICs a gateway
// outside every known subnet is only a warning.
import { contains, parseAddress, parsePrefix } from '../../net/ip';
import { isLinkLocalV6 } from '../addr-kinds';
import { error, warning, type Finding, type Rule } from '../rule';
import { addressesByScope } from '../scope-addresses';

export const gateways: Rule = ({ scopes, addresses }) => {
  const out: Finding[] = [];
  const byScope = addressesByScope(addresses);
  for (const scope of scopes.values()) {
    const local = byScope.get(scope.key) ?? [];
    const nics = new Set(scope.ns ? [] : scope.host.nics.map((n) => n.name));
    scope.routes.forEach((r, i) => {
      const via = r.via === undefined ? undefined : parseAddress(r.via);
      if (!via) return;
      const field = `routes[${i}].via`;
      const dest = r.to === 'default' ? undefined : parsePrefix(r.to);
      if (dest && dest.family !== via.family) return; // family-mismatch reports it
      if (local.some((a) => a.prefix.family === via.family && a.prefix.address === via.value)) {
        out.push(error('gateway-local', scope.ownerId, field, `gateway ${r.via} of the route to ${r.to} is an address of ${scope.label} itself`, 'use the address of the next router on that subnet'));
        return;
      }
      if (isLinkLocalV6(via)) {
        if (r.dev === undefined) out.push(error('gateway-unreachable', scope.ownerId, field, `link-local gateway ${r.via} of the route to ${r.to} in ${scope.label} needs a device`, 'set "dev" to the interface the gateway is on'));
        return;
      }
      if (r.dev !== undefined && (nics.has(r.dev) || !scope.ifnames.has(r.dev))) return; // unknown NIC subnet, or dangling-ifname
      const candidates = r.dev === undefined ? local : local.filter((a) => a.iface.ifname === r.dev);
      if (candidates.some((a) => contains(a.prefix, via))) return;
      const onDev = r.dev === undefined ? '' : ` on ${r.dev}`;
      const msg = `gateway ${r.via} of the route to ${r.to} is not on any subnet connected to ${scope.label}${onDev}`;
      const fix = 'use a gateway address inside a subnet of this namespace, or add an address on that subnet';
      if (!scope.ns && nics.size > 0 && r.dev === undefined) {
        out.push(warning('gateway-unreachable', scope.ownerId, field, `${msg} (fine only if one of the host's NICs, which Wireplan does not address, is on it)`, fix));
      } else {
        out.push(error('gateway-unreachable', scope.ownerId, field, msg, fix));
      }
    });
  }
  return out;
};
