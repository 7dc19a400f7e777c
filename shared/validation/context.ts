// Everything rules share, computed once per validate() call: the index, resolved kernel
// names, the flat interface list, scopes, parsed interface addresses and L2 segments.
import { nameTable, resolveNames, type ResolvedName } from '../compile/names';
import type { Design } from '../model/schema';
import { DesignIndex } from '../model/topology';
import { parsePrefix, formatAddress, formatNetwork, type Prefix } from '../net/ip';
import { buildIfaces, scopeKey, type Iface } from './ifaces';
import { buildScopes, type Scope } from './scopes';
import { buildSegments, type Segments } from './segments';

/** One well-formed interface address (malformed ones are address-syntax's business). */
export interface IfaceAddress {
  iface: Iface;
  /** Field path, e.g. "a.addresses[0]". */
  field: string;
  text: string;
  prefix: Prefix;
  /** Canonical address without the length, e.g. "fd00::1". */
  address: string;
  /** Canonical subnet, e.g. "10.0.1.0/24" (formatNetwork, computed once for every rule that groups by it). */
  subnet: string;
  segment: string;
}

export interface RuleContext {
  design: Design;
  index: DesignIndex;
  names: ResolvedName[];
  ifaces: Iface[];
  ifaceByKey: Map<string, Iface>;
  scopes: Map<string, Scope>;
  addresses: IfaceAddress[];
  segments: Segments;
  /** Scope named by a host or namespace id (the `at` of a router element). */
  scopeAt(at: string): Scope | undefined;
  /** 'bridge "br0"'-style label of any element id (the id itself when unknown). */
  label(id: string): string;
}

const COLLECTION_LABEL: Record<string, string> = {
  hosts: 'host',
  namespaces: 'namespace',
  bridges: 'bridge',
  veths: 'veth',
  vlans: 'VLAN',
  vxlans: 'VXLAN',
  masquerades: 'masquerade',
  portForwards: 'port forward',
  policies: 'policy',
};

export function buildContext(design: Design): RuleContext {
  const index = new DesignIndex(design);
  const names = resolveNames(design, index);
  const ifaces = buildIfaces(design, index, nameTable(names));
  const scopes = buildScopes(design.hosts, design.namespaces, ifaces);
  const segments = buildSegments(design, ifaces);
  const addresses: IfaceAddress[] = [];
  for (const iface of ifaces) {
    iface.spec.addresses.forEach((text, i) => {
      const prefix = parsePrefix(text);
      if (!prefix) return;
      addresses.push({
        iface,
        field: `${iface.path}addresses[${i}]`,
        text,
        prefix,
        address: formatAddress(prefix.family, prefix.address),
        subnet: formatNetwork(prefix),
        segment: segments.of(iface),
      });
    });
  }
  return {
    design,
    index,
    names,
    ifaces,
    ifaceByKey: new Map(ifaces.map((i) => [i.key, i])),
    scopes,
    addresses,
    segments,
    scopeAt(at) {
      const p = index.placeNoBridge(at);
      return p && scopes.get(scopeKey(p.host, p.ns));
    },
    label(id) {
      const ref = index.byId.get(id);
      if (!ref) return `"${id}"`;
      const kind = ref.collection === 'macvlans' ? (ref.element as { kind?: string }).kind ?? 'macvlan' : COLLECTION_LABEL[ref.collection];
      return `${kind} "${ref.element.name}"`;
    },
  };
}
