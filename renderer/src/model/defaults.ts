// Sensible defaults for new elements: unique ids and names, a free subnet for a bridge,
// the host's first data NIC as a parent, the first segment as the NAT source.
import type { Bridge, Design, Host, Macvlan, Masquerade, Namespace, Nic, Policy, PortForward, Vlan, Vxlan } from '../../../shared/model/schema';
import { addressOnly, nextFreeSubnet, subnetOf } from './addressing';
import type { NodeKind } from './kinds';
import { freshId, freshName, idFromName } from './names';

/** The NIC a new sub-interface hangs off: first non-management NIC, else the first, else eth0. */
function defaultParent(host: Host | undefined): string {
  return host?.nics.find((n) => !n.management)?.name ?? host?.nics[0]?.name ?? 'eth0';
}

function firstSubnetOnHost(design: Design, hostId: string): string | undefined {
  const nsOnHost = new Set(design.namespaces.filter((n) => n.host === hostId).map((n) => n.id));
  const bridge = design.bridges.find((b) => (b.at === hostId || nsOnHost.has(b.at)) && b.addresses.length > 0);
  return bridge && subnetOf(bridge.addresses[0]!);
}

function firstNamespaceAddress(design: Design, hostId: string): string | undefined {
  const nsOnHost = new Set(design.namespaces.filter((n) => n.host === hostId).map((n) => n.id));
  for (const v of design.veths) {
    for (const end of [v.a, v.b]) if (nsOnHost.has(end.at) && end.addresses[0]) return addressOnly(end.addresses[0]);
  }
  return undefined;
}

const iface = { addresses: [] as string[], up: true };

export function newHost(design: Design): Host {
  const id = freshId(design, 'host');
  return { id, name: id, target: { kind: 'sandbox' }, nics: [], routes: [], sysctls: { interfaces: [] } };
}

export function newNic(host: Host): Nic {
  return { name: freshName('eth', host.nics.map((n) => n.name), 0), management: false };
}

export function newNamespace(design: Design, hostId: string): Namespace {
  const name = freshName('ns', design.namespaces.map((n) => n.name));
  return { id: idFromName(design, name), name, host: hostId, loopback: true, routes: [], sysctls: {}, programs: [] };
}

export function newBridge(design: Design, at: string): Bridge {
  const name = freshName('br', design.bridges.map((b) => b.name), 0);
  const id = idFromName(design, name);
  return { id, name, at, ...iface, addresses: [nextFreeSubnet(design)], stp: false, vlanFiltering: false, nics: [] };
}

export function newMacvlan(design: Design, at: string, host: Host | undefined, kind: 'macvlan' | 'ipvlan'): Macvlan {
  const base = kind === 'macvlan' ? 'mv' : 'ipv';
  const name = freshName(base, design.macvlans.map((m) => m.name), 0);
  const id = idFromName(design, name);
  return { id, name, kind, at, parent: defaultParent(host), mode: kind === 'macvlan' ? 'bridge' : 'l2', ...iface };
}

export function newVlan(design: Design, at: string, host: Host | undefined): Vlan {
  const parent = defaultParent(host);
  let vlanId = 100;
  while (design.vlans.some((v) => v.parent === parent && v.vlanId === vlanId)) vlanId++;
  return { id: freshId(design, 'vlan'), name: `${parent}.${vlanId}`, parent, vlanId, at, ...iface };
}

export function newVxlan(design: Design, at: string): Vxlan {
  let vni = 100;
  while (design.vxlans.some((x) => x.vni === vni)) vni++;
  return { id: idFromName(design, `vx${vni}`), name: `vx${vni}`, at, vni, port: 4789, learning: true, ...iface };
}

export function newMasquerade(design: Design, at: string, hostId: string): Masquerade {
  const name = freshName('nat', design.masquerades.map((m) => m.name));
  return {
    id: idFromName(design, name),
    name,
    at,
    source: firstSubnetOnHost(design, hostId) ?? '10.0.0.0/24',
  };
}

export function newPortForward(design: Design, at: string, hostId: string): PortForward {
  let port = 8080;
  while (design.portForwards.some((p) => p.at === at && p.port === port)) port++;
  const name = freshName('pf', design.portForwards.map((p) => p.name));
  return {
    id: idFromName(design, name),
    name,
    at,
    protocol: 'tcp',
    port,
    to: firstNamespaceAddress(design, hostId) ?? '10.0.0.2',
    toPort: 80,
    hostLocal: true,
  };
}

export function newPolicy(design: Design, at: string, hostId: string): Policy {
  const name = freshName('policy', design.policies.map((p) => p.name));
  return {
    id: idFromName(design, name),
    name,
    at,
    protects: [firstSubnetOnHost(design, hostId) ?? '10.0.0.0/24'],
    defaultAction: 'drop',
    allowEstablished: true,
    rules: [],
  };
}

export type ElementKind = Exclude<NodeKind, 'host' | 'nic'>;
