// What connecting two canvas nodes means. Containers (namespace, bridge, host root) are
// joined by a new veth with automatic interface names and addresses; a NIC becomes a
// bridge port or a sub-interface's parent; a sub-interface or NAT/policy element moves
// into the namespace it is connected to.
import { resolveNames } from '../../../shared/compile/names';
import { parsePrefix } from '../../../shared/net/ip';
import type { Bridge, Design, Namespace, Nic, Veth, VethEnd } from '../../../shared/model/schema';
import { DesignIndex } from '../../../shared/model/topology';
import { addressOnly, nextFreeAddress } from './addressing';
import { setElementField } from './edit';
import { KIND_LABEL, type NodeKind } from './kinds';
import { lookup, type Entry } from './lookup';
import { distinctName, freshId, ifnameFragment, ifnameWithSuffix, nextFree } from './names';

/** A route the connection added by itself, and why (the inspector says so, with an undo). */
export interface InferredRoute {
  nsId: string;
  to: string;
  via: string;
  because: string;
}

export type ConnectResult = { ok: true; design: Design; label: string; created?: string; inferred?: InferredRoute } | { ok: false; reason: string };

const CONTAINERS = new Set<NodeKind | 'veth'>(['namespace', 'bridge', 'host']);
const SUBIFS = new Set<NodeKind | 'veth'>(['macvlan', 'ipvlan', 'vlan', 'vxlan']);
const SERVICES = new Set<NodeKind | 'veth'>(['masquerade', 'portForward', 'policy']);

type Plan =
  | { type: 'veth'; a: Entry; b: Entry }
  | { type: 'enslave-nic'; nic: Entry; bridge: Entry }
  | { type: 'parent'; nic: Entry; sub: Entry }
  | { type: 'place'; element: Entry; at: Entry }
  | { type: 'bridge-port'; sub: Entry; bridge: Entry };

function label(e: Entry): string {
  return `${KIND_LABEL[e.kind as NodeKind] ?? e.kind} "${(e.element as { name: string }).name}"`;
}

function planConnection(design: Design, sourceId: string, targetId: string): Plan | string {
  const { byId } = lookup(design);
  const s = byId.get(sourceId);
  const t = byId.get(targetId);
  if (!s || !t) return 'unknown element';
  if (s.id === t.id) return 'cannot connect an element to itself';
  const pair = (k1: (k: Entry['kind']) => boolean, k2: (k: Entry['kind']) => boolean): [Entry, Entry] | undefined =>
    k1(s.kind) && k2(t.kind) ? [s, t] : k1(t.kind) && k2(s.kind) ? [t, s] : undefined;
  const is = (kind: NodeKind) => (k: Entry['kind']) => k === kind;
  const isIn = (set: Set<NodeKind | 'veth'>) => (k: Entry['kind']) => set.has(k);
  if (s.hostId !== t.hostId) return crossHost(s, t, pair);

  let p: [Entry, Entry] | undefined;
  if ((p = pair(is('nic'), is('bridge')))) {
    const bridge = p[1].element as Bridge;
    if (bridge.at !== p[1].hostId) return `${label(p[1])} is inside a namespace; only a root-namespace bridge can enslave a NIC`;
    if (bridge.nics.includes((p[0].element as Nic).name)) return `${label(p[0])} is already a port of ${label(p[1])}`;
    return { type: 'enslave-nic', nic: p[0], bridge: p[1] };
  }
  const field = (e: Entry, key: string) => (e.element as unknown as Record<string, unknown>)[key];
  if ((p = pair(is('nic'), isIn(SUBIFS)))) {
    const key = p[1].kind === 'vxlan' ? 'dev' : 'parent';
    if (field(p[1], key) === (p[0].element as Nic).name) return `${label(p[1])} already uses ${label(p[0])}`;
    return { type: 'parent', nic: p[0], sub: p[1] };
  }
  if ((p = pair((k) => k === 'vlan' || k === 'vxlan', is('bridge')))) {
    if (field(p[0], 'bridge') === p[1].id) return `${label(p[0])} is already a port of ${label(p[1])}`;
    return { type: 'bridge-port', sub: p[0], bridge: p[1] };
  }
  if ((p = pair((k) => SUBIFS.has(k) || SERVICES.has(k), (k) => k === 'namespace' || k === 'host'))) {
    if (field(p[0], 'at') === p[1].id) return `${label(p[0])} is already in ${label(p[1])}`;
    return { type: 'place', element: p[0], at: p[1] };
  }
  if (CONTAINERS.has(s.kind) && CONTAINERS.has(t.kind)) {
    if (s.kind === 'host' && t.kind === 'host') return 'connect two hosts with a VXLAN';
    const hostSide = s.kind === 'host' ? t : t.kind === 'host' ? s : undefined;
    if (hostSide?.kind === 'bridge' && (hostSide.element as Bridge).at === hostSide.hostId) {
      return `${label(hostSide)} is already in the host's root namespace`;
    }
    // The namespace side is end a: it gets eth0.. and the segment address.
    const order = (e: Entry) => (e.kind === 'namespace' ? 0 : e.kind === 'bridge' ? 1 : 2);
    return order(s) <= order(t) ? { type: 'veth', a: s, b: t } : { type: 'veth', a: t, b: s };
  }
  return `cannot connect ${label(s)} to ${label(t)}`;
}

/**
 * Across hosts, only a segment can be joined: a namespace or a host root linked to a
 * root-namespace bridge on another host stretches that bridge there (the compiler stitches
 * it with VXLAN over the hosts' underlay).
 */
function crossHost(s: Entry, t: Entry, pair: (k1: (k: Entry['kind']) => boolean, k2: (k: Entry['kind']) => boolean) => [Entry, Entry] | undefined): Plan | string {
  const p = pair((k) => k === 'namespace' || k === 'host', (k) => k === 'bridge');
  if (!p) return `${label(s)} and ${label(t)} are on different hosts; link a namespace to a bridge on the other host to stretch that segment, or connect the hosts with VXLANs`;
  const [member, bridge] = p;
  if ((bridge.element as Bridge).at !== bridge.hostId) return `${label(bridge)} is inside a namespace; only a root-namespace bridge can be stretched to another host`;
  return member.kind === 'namespace' ? { type: 'veth', a: member, b: bridge } : { type: 'veth', a: bridge, b: member };
}

/** Why a connection is refused, or undefined when it is allowed (used while dragging). */
export function connectionRefusal(design: Design, sourceId: string, targetId: string): string | undefined {
  const p = planConnection(design, sourceId, targetId);
  return typeof p === 'string' ? p : undefined;
}

/** Kernel names already used in the namespace an `at` reference resolves to. */
function namesInPlace(design: Design, index: DesignIndex, at: string): Set<string> {
  const place = index.place(at);
  if (!place) return new Set();
  const ns = place.ns ? place.ns.name : '';
  const taken = new Set(['lo']);
  for (const r of resolveNames(design, index)) if (r.hostId === place.host.id && r.ns === ns) taken.add(r.ifname);
  if (!place.ns) for (const n of place.host.nics) taken.add(n.name);
  return taken;
}

function makeVeth(design: Design, a: Entry, b: Entry): { design: Design; id: string; inferred?: InferredRoute } {
  const index = new DesignIndex(design);
  const name = (e: Entry) => (e.element as { name: string }).name;
  // A bridge's end whose other end is on another host lives in that host's root namespace
  // (the stretched segment's port there).
  const placeOf = (self: Entry, other: Entry) => (self.kind === 'bridge' && self.hostId !== other.hostId ? other.hostId! : self.id);
  const endName = (self: Entry, other: Entry, extraTaken: Set<string>): string => {
    const taken = new Set([...namesInPlace(design, index, placeOf(self, other)), ...extraTaken]);
    if (self.kind === 'namespace') return nextFree('eth', taken, 0);
    const base = ifnameWithSuffix(`v-${ifnameFragment(name(other))}`, '');
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) {
      const candidate = ifnameWithSuffix(`v-${ifnameFragment(name(other))}`, `-${n}`);
      if (!taken.has(candidate)) return candidate;
    }
  };
  const aName = endName(a, b, new Set());
  // Both ends may live in the same namespace (bridge <-> host root): keep them distinct.
  const pa = index.place(placeOf(a, b));
  const pb = index.place(placeOf(b, a));
  const samePlace = pa?.host === pb?.host && pa?.ns === pb?.ns;
  const bName = endName(b, a, samePlace ? new Set([aName]) : new Set());

  const aEnd: VethEnd = { at: a.id, ifname: aName, addresses: [], up: true };
  const bEnd: VethEnd = { at: b.id, ifname: bName, addresses: [], up: true };
  let nsRoute: InferredRoute | undefined;
  if (a.kind === 'namespace' && b.kind === 'bridge') {
    const bridgeAddress = (b.element as Bridge).addresses[0];
    const addr = bridgeAddress && nextFreeAddress(design, bridgeAddress);
    if (addr) aEnd.addresses = [addr];
    const gw = bridgeAddress && parsePrefix(bridgeAddress)?.family === 4 ? addressOnly(bridgeAddress) : undefined;
    const ns = a.element as Namespace;
    // A segment with a gateway address: the namespace's default route goes through it (if the
    // gateway's side does not forward yet, Problems says so and offers to turn it on).
    if (gw && !ns.routes.some((r) => r.to === 'default'))
      nsRoute = { nsId: ns.id, to: 'default', via: gw, because: `${ns.name} joined bridge ${(b.element as Bridge).name}, whose address ${bridgeAddress} is the segment's gateway` };
  }
  const id = freshId(design, 'veth');
  const veth: Veth = {
    id,
    name: distinctName(`${name(a)}-${name(b)}`.slice(0, 60), design.veths.map((v) => v.name)),
    a: aEnd,
    b: bEnd,
  };
  let namespaces = design.namespaces;
  if (nsRoute) {
    const { nsId, via } = nsRoute;
    // The reason travels with the route (saved in the design), so the inspector can say it later too.
    namespaces = namespaces.map((n) => (n.id === nsId ? { ...n, routes: [...n.routes, { to: 'default', via, note: `added because ${nsRoute.because}` }] } : n));
  }
  return { id, design: { ...design, namespaces, veths: [...design.veths, veth] }, ...(nsRoute ? { inferred: nsRoute } : {}) };
}

export function connect(design: Design, sourceId: string, targetId: string): ConnectResult {
  const p = planConnection(design, sourceId, targetId);
  if (typeof p === 'string') return { ok: false, reason: p };
  switch (p.type) {
    case 'veth': {
      const made = makeVeth(design, p.a, p.b);
      return { ok: true, design: made.design, created: made.id, label: `Connect ${label(p.a)} to ${label(p.b)}`, ...(made.inferred ? { inferred: made.inferred } : {}) };
    }
    case 'enslave-nic': {
      const nic = (p.nic.element as Nic).name;
      return {
        ok: true,
        label: `Add ${label(p.nic)} to ${label(p.bridge)}`,
        design: { ...design, bridges: design.bridges.map((b) => (b.id === p.bridge.id ? { ...b, nics: [...b.nics, nic] } : b)) },
      };
    }
    case 'parent': {
      const nic = (p.nic.element as Nic).name;
      const field = p.sub.kind === 'vxlan' ? 'dev' : 'parent';
      return { ok: true, label: `Set ${field} of ${label(p.sub)} to ${nic}`, design: setElementField(design, p.sub.id, [field], nic) };
    }
    case 'bridge-port':
      return { ok: true, label: `Enslave ${label(p.sub)} to ${label(p.bridge)}`, design: setElementField(design, p.sub.id, ['bridge'], p.bridge.id) };
    case 'place':
      return { ok: true, label: `Move ${label(p.element)} into ${label(p.at)}`, design: setElementField(design, p.element.id, ['at'], p.at.id) };
  }
}

