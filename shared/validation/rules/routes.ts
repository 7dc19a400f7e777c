// Static routes the kernel would refuse: no gateway and no device, the same destination
// and metric twice, or an IPv4 metric-0 route onto a connected subnet ("File exists").
import { formatNetwork, parseAddress, parsePrefix } from '../../net/ip';
import { isHostPrefix } from '../addr-kinds';
import { error, type Finding, type Rule } from '../rule';
import { addressesByScope } from '../scope-addresses';

export const routes: Rule = ({ scopes, addresses }) => {
  const out: Finding[] = [];
  const connectedByScope = addressesByScope(addresses);
  for (const scope of scopes.values()) {
    const connected = new Map<string, string>();
    for (const a of connectedByScope.get(scope.key) ?? []) {
      if (a.prefix.family === 4 && !isHostPrefix(a.prefix)) connected.set(a.subnet, a.iface.label);
    }
    const seen = new Map<string, number>();
    scope.routes.forEach((r, i) => {
      const field = `routes[${i}]`;
      if (r.via === undefined && r.dev === undefined) {
        out.push(error('route-no-target', scope.ownerId, field, `route to ${r.to} in ${scope.label} has neither a gateway nor a device`, 'set "via" (the next hop) or "dev" (the outgoing interface)'));
      }
      const dest = r.to === 'default' ? undefined : parsePrefix(r.to);
      if (r.to !== 'default' && !dest) return; // address-syntax reports it
      const family = dest?.family ?? (r.via ? parseAddress(r.via)?.family : undefined) ?? 4;
      const metric = r.metric ?? (family === 6 ? 1024 : 0);
      const destText = dest ? formatNetwork(dest) : 'default';
      const key = `${family}\u0000${destText}\u0000${metric}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        out.push(error('route-duplicate', scope.ownerId, field, `route to ${destText} (IPv${family}, metric ${metric}) in ${scope.label} repeats routes[${earlier}]; the kernel refuses the second one`, 'remove one, or give them different metrics'));
      } else seen.set(key, i);
      const onLink = dest && family === 4 && metric === 0 ? connected.get(destText) : undefined;
      if (onLink) {
        out.push(error('route-shadows-connected', scope.ownerId, `${field}.to`, `route to ${destText} in ${scope.label} has the same destination and metric as the connected subnet of ${onLink}; the kernel refuses it ("File exists")`, 'drop the route (the subnet is already connected), or give it a metric above 0'));
      }
    });
  }
  return out;
};
