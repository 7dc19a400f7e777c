// The kinds of things drawn on the canvas and where each lives in the design document.
import type { ElementCollection } from '../../../shared/model/schema';

export type NodeKind =
  | 'host'
  | 'namespace'
  | 'bridge'
  | 'nic'
  | 'macvlan'
  | 'ipvlan'
  | 'vlan'
  | 'vxlan'
  | 'masquerade'
  | 'portForward'
  | 'policy';

/** Kinds that can be added from the palette (hosts are frames, NICs live in a host's list). */
export const PALETTE_KINDS: readonly NodeKind[] = [
  'host',
  'namespace',
  'bridge',
  'nic',
  'macvlan',
  'ipvlan',
  'vlan',
  'vxlan',
  'masquerade',
  'portForward',
  'policy',
];

export const KIND_LABEL: Record<NodeKind, string> = {
  host: 'Host',
  namespace: 'Namespace',
  bridge: 'Bridge',
  nic: 'NIC',
  macvlan: 'macvlan',
  ipvlan: 'ipvlan',
  vlan: 'VLAN',
  vxlan: 'VXLAN',
  masquerade: 'Masquerade',
  portForward: 'Port forward',
  policy: 'Policy',
};

export const KIND_HINT: Record<NodeKind, string> = {
  host: 'A Linux machine: a frame that holds its elements',
  namespace: 'A network namespace (ip netns)',
  bridge: 'A Linux bridge: one L2 segment',
  nic: 'A physical NIC of the host',
  macvlan: 'macvlan sub-interface of a NIC',
  ipvlan: 'ipvlan sub-interface of a NIC',
  vlan: '802.1Q VLAN sub-interface',
  vxlan: 'VXLAN tunnel endpoint',
  masquerade: 'Source NAT (masquerade) for a prefix',
  portForward: 'Publish a port (DNAT)',
  policy: 'Forwarding firewall policy',
};

/** Design collection of each element kind (NICs are entries of host.nics, not a collection). */
export const KIND_COLLECTION = {
  host: 'hosts',
  namespace: 'namespaces',
  bridge: 'bridges',
  veth: 'veths',
  macvlan: 'macvlans',
  ipvlan: 'macvlans',
  vlan: 'vlans',
  vxlan: 'vxlans',
  masquerade: 'masquerades',
  portForward: 'portForwards',
  policy: 'policies',
} as const satisfies Record<Exclude<NodeKind, 'nic'> | 'veth', ElementCollection>;

/** Fixed node sizes: the canvas never has to measure an element to lay it out. */
export const NODE_SIZE: Record<Exclude<NodeKind, 'host'>, { width: number; height: number }> = {
  namespace: { width: 150, height: 56 },
  bridge: { width: 150, height: 48 },
  nic: { width: 110, height: 40 },
  macvlan: { width: 130, height: 44 },
  ipvlan: { width: 130, height: 44 },
  vlan: { width: 130, height: 44 },
  vxlan: { width: 130, height: 44 },
  masquerade: { width: 130, height: 44 },
  portForward: { width: 130, height: 44 },
  policy: { width: 130, height: 44 },
};

export const FRAME_HEADER = 34;
export const FRAME_PAD = 24;
export const FRAME_MIN = { width: 360, height: 220 };

/** Canvas node id of a host NIC (NICs have names, not ids). */
export function nicNodeId(hostId: string, nicName: string): string {
  return `nic:${hostId}:${nicName}`;
}

export function parseNicNodeId(nodeId: string): { hostId: string; name: string } | undefined {
  if (!nodeId.startsWith('nic:')) return undefined;
  const rest = nodeId.slice(4);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  return { hostId: rest.slice(0, colon), name: rest.slice(colon + 1) };
}
