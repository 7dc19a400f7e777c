// One lookup table per design object (memoized by identity): id -> kind, element and the
// host it belongs to. Every renderer-side query that would otherwise scan the design uses it.
import type { Design, Host, Nic, Veth } from '../../../shared/model/schema';
import { nicNodeId, type NodeKind } from './kinds';

export type AnyElement = Design[Exclude<keyof Design, 'wireplan' | 'tag' | 'name' | 'description' | 'layout'>][number];

export interface Entry {
  id: string;
  kind: NodeKind | 'veth';
  /** The element (for NICs: the host's NIC entry). */
  element: AnyElement | Nic;
  /** Host the element is drawn in; undefined when its placement does not resolve. */
  hostId: string | undefined;
}

export interface Lookup {
  byId: Map<string, Entry>;
  /** Canvas children of each host frame, in design order. */
  childrenOf: Map<string, string[]>;
}

const cache = new WeakMap<Design, Lookup>();

export function lookup(design: Design): Lookup {
  let found = cache.get(design);
  if (!found) {
    found = build(design);
    cache.set(design, found);
  }
  return found;
}

function build(design: Design): Lookup {
  const byId = new Map<string, Entry>();
  const hostIds = new Set(design.hosts.map((h) => h.id));
  const nsHost = new Map(design.namespaces.map((n) => [n.id, n.host]));
  const placeHost = (at: string): string | undefined => (hostIds.has(at) ? at : nsHost.get(at));
  const bridgeHost = new Map(design.bridges.map((b) => [b.id, placeHost(b.at)]));
  const anyHost = (at: string) => placeHost(at) ?? bridgeHost.get(at);

  for (const h of design.hosts) {
    byId.set(h.id, { id: h.id, kind: 'host', element: h, hostId: h.id });
    for (const nic of h.nics) byId.set(nicNodeId(h.id, nic.name), { id: nicNodeId(h.id, nic.name), kind: 'nic', element: nic, hostId: h.id });
  }
  for (const n of design.namespaces) byId.set(n.id, { id: n.id, kind: 'namespace', element: n, hostId: hostIds.has(n.host) ? n.host : undefined });
  for (const b of design.bridges) byId.set(b.id, { id: b.id, kind: 'bridge', element: b, hostId: bridgeHost.get(b.id) });
  for (const m of design.macvlans) byId.set(m.id, { id: m.id, kind: m.kind, element: m, hostId: placeHost(m.at) });
  for (const v of design.vlans) byId.set(v.id, { id: v.id, kind: 'vlan', element: v, hostId: placeHost(v.at) });
  for (const x of design.vxlans) byId.set(x.id, { id: x.id, kind: 'vxlan', element: x, hostId: placeHost(x.at) });
  for (const m of design.masquerades) byId.set(m.id, { id: m.id, kind: 'masquerade', element: m, hostId: placeHost(m.at) });
  for (const p of design.portForwards) byId.set(p.id, { id: p.id, kind: 'portForward', element: p, hostId: placeHost(p.at) });
  for (const p of design.policies) byId.set(p.id, { id: p.id, kind: 'policy', element: p, hostId: placeHost(p.at) });
  for (const v of design.veths) byId.set(v.id, { id: v.id, kind: 'veth', element: v, hostId: anyHost(v.a.at) ?? anyHost(v.b.at) });

  const childrenOf = new Map<string, string[]>(design.hosts.map((h) => [h.id, []]));
  for (const entry of byId.values()) {
    if (entry.kind === 'host' || entry.kind === 'veth' || !entry.hostId) continue;
    childrenOf.get(entry.hostId)?.push(entry.id);
  }
  return { byId, childrenOf };
}

export function hostById(design: Design, id: string): Host | undefined {
  const e = lookup(design).byId.get(id);
  return e?.kind === 'host' ? (e.element as Host) : undefined;
}

export function vethById(design: Design, id: string): Veth | undefined {
  const e = lookup(design).byId.get(id);
  return e?.kind === 'veth' ? (e.element as Veth) : undefined;
}

/** Every id in use (element ids; NIC node ids are not element ids). */
export function usedIds(design: Design): Set<string> {
  const ids = new Set<string>();
  for (const [id, e] of lookup(design).byId) if (e.kind !== 'nic') ids.add(id);
  return ids;
}
