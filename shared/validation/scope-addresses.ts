// Interface addresses grouped by scope: what a namespace is connected to.
import type { IfaceAddress } from './context';
import { pushTo } from './group';

export function addressesByScope(addresses: IfaceAddress[]): Map<string, IfaceAddress[]> {
  const map = new Map<string, IfaceAddress[]>();
  for (const a of addresses) if (a.iface.scope !== undefined) pushTo(map, a.iface.scope, a);
  return map;
}
