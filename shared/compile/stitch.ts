// Stretched segments. A bridge with ports on other hosts (a veth from a namespace on host
// B to a bridge on host A: DesignIndex.placeEnd) is stretched: on every such host the
// compiler adds a stretch bridge that holds the local ports, and joins it to the home
// bridge with a unicast VXLAN over the two hosts' underlay addresses.
//
// Topology: a star around the bridge's own host. Each other host has one VXLAN (to the
// home host); the home host has one per other host. A full mesh of point-to-point
// tunnels would close an L2 loop at three hosts, and one device per host with
// `bridge fdb append` flood entries needs a step kind (and probe) the runtime does not
// have; the star needs neither and is loop-free without STP. Traffic between two
// non-home hosts crosses the home bridge, where the segment's gateway is anyway.
//
// VNIs: one per (bridge, other host), since the home namespace cannot hold two VXLANs
// with one VNI and port. Allocated from STITCH_VNI_MIN..STITCH_VNI_MAX by a hash of the
// design tag, bridge id and host id (stable across compiles, and different for two
// designs on the same hosts), moving up past any VNI the design's own VXLANs or earlier
// stitches use.
import { formatAddress, parseAddress, type Family } from '../net/ip';
import type { Bridge, Design, Host } from '../model/schema';
import type { DesignIndex } from '../model/topology';
import { fnv1a, untakenName, type ResolvedName } from './names';

/** Stitch VNIs: the top 777,216 of the 24-bit space, far from the small numbers people pick. */
export const STITCH_VNI_MIN = 16_000_000;
export const STITCH_VNI_MAX = 16_777_215;
/** The IANA VXLAN port; a bridge may choose another with `stitchPort`. */
export const STITCH_PORT = 4789;
/** Outer Ethernet 14 + IP (20 or 40) + UDP 8 + VXLAN 8 bytes. */
export const VXLAN_OVERHEAD: Record<Family, number> = { 4: 50, 6: 70 };
export const DEFAULT_MTU = 1500;

/** A bridge and the other hosts its ports are on. */
export interface Stretch {
  bridge: Bridge;
  home: Host;
  /** Hosts with ports of the bridge other than its own, in design order. */
  peers: Host[];
}

export function stretches(design: Design, index: DesignIndex): Stretch[] {
  const peersOf = new Map<string, Set<string>>();
  for (const v of design.veths) {
    for (const end of ['a', 'b'] as const) {
      const p = index.placeEnd(v, end);
      if (!p?.stretched) continue;
      let set = peersOf.get(p.bridge!.id);
      if (!set) peersOf.set(p.bridge!.id, (set = new Set()));
      set.add(p.host.id);
    }
  }
  const out: Stretch[] = [];
  if (peersOf.size === 0) return out;
  for (const bridge of design.bridges) {
    const peers = peersOf.get(bridge.id);
    const home = index.placeNoBridge(bridge.at)?.host;
    if (peers && home) out.push({ bridge, home, peers: design.hosts.filter((h) => peers.has(h.id)) });
  }
  return out;
}

/** One side of a stitch tunnel: the VXLAN on `host`, sending to host `to` at `remote`. */
export interface TunnelEnd {
  host: Host;
  to: Host;
  ifname: string;
  local: string;
  remote: string;
  /** The host's underlay NIC. */
  dev: string;
  /** Bridge the VXLAN is a port of (the home bridge or the stretch). */
  master: string;
}

export interface StitchLink {
  vni: number;
  home: TunnelEnd;
  peer: TunnelEnd;
}

export interface StitchedSegment {
  bridge: Bridge;
  home: Host;
  /** UDP port of its tunnels. */
  port: number;
  /** MTU of every stitch device: the bridge's. */
  mtu: number;
  /** Host id -> kernel name of the stretch bridge there. */
  stretchNames: Map<string, string>;
  links: StitchLink[];
}

export interface Stitching {
  segments: StitchedSegment[];
  /** Kernel name of the bridge's stretch on a host (undefined on its own host). */
  stretchName(bridgeId: string, hostId: string): string | undefined;
}

/** Ownership tags: the bridge's id with what the object is for, e.g. "wireplan:lab:br-app/vxlan-h2". */
export function stitchOwner(tag: string, bridgeId: string, part: 'stretch' | `vxlan-${string}`): string {
  return `wireplan:${tag}:${bridgeId}/${part}`;
}

export function segmentMtu(bridge: Bridge): number {
  return bridge.mtu ?? DEFAULT_MTU;
}

/** The underlay family two hosts tunnel over (IPv4 unless both addresses are IPv6). */
export function underlayFamily(a: Host, b: Host): Family {
  const fa = a.underlay === undefined ? undefined : parseAddress(a.underlay)?.family;
  const fb = b.underlay === undefined ? undefined : parseAddress(b.underlay)?.family;
  return fa === 6 && fb === 6 ? 6 : 4;
}

function canonical(text: string | undefined): string {
  const a = text === undefined ? undefined : parseAddress(text);
  if (!a) throw new Error(`stitching needs a valid underlay address, got ${JSON.stringify(text)}`);
  return formatAddress(a.family, a.value);
}

function allocateVnis(design: Design, list: Stretch[]): Map<string, number> {
  const used = new Set(design.vxlans.map((x) => x.vni));
  const span = STITCH_VNI_MAX - STITCH_VNI_MIN + 1;
  const out = new Map<string, number>();
  for (const { bridge, peers } of list) {
    for (const peer of peers) {
      let vni = STITCH_VNI_MIN + (fnv1a(`${design.tag}/${bridge.id}/${peer.id}`) % span);
      while (used.has(vni)) vni = vni === STITCH_VNI_MAX ? STITCH_VNI_MIN : vni + 1;
      used.add(vni);
      out.set(`${bridge.id}\u0000${peer.id}`, vni);
    }
  }
  return out;
}

/**
 * The stitch devices of a valid design, named after everything the design itself names
 * (so stitching never renames a design interface): a stretch bridge takes its bridge's
 * kernel name, a VXLAN is "vx<VNI>"; a clash in the root namespace gets a hash suffix.
 */
export function planStitching(design: Design, index: DesignIndex, resolved: readonly ResolvedName[]): Stitching {
  const list = stretches(design, index);
  const byKey = new Map<string, string>();
  const stitching: Stitching = { segments: [], stretchName: (b, h) => byKey.get(`${h}\u0000${b}`) };
  if (list.length === 0) return stitching;
  const vnis = allocateVnis(design, list);
  const taken = new Set<string>();
  const key = (hostId: string, name: string) => `${hostId}\u0000${name}`;
  for (const h of design.hosts) for (const nic of h.nics) taken.add(key(h.id, nic.name));
  const bridgeName = new Map<string, string>();
  for (const r of resolved) {
    if (r.ns === '') taken.add(key(r.hostId, r.ifname));
    if (r.collection === 'bridges') bridgeName.set(r.element, r.ifname);
  }
  const name = (hostId: string, derived: string, seed: string) => {
    const n = untakenName(derived, seed, (x) => taken.has(key(hostId, x)));
    taken.add(key(hostId, n));
    return n;
  };
  for (const { bridge, home, peers } of list) {
    const homeName = bridgeName.get(bridge.id)!;
    const stretchNames = new Map<string, string>();
    const links: StitchLink[] = [];
    for (const peer of peers) {
      const stretch = name(peer.id, homeName, `${bridge.id}@${peer.id}`);
      stretchNames.set(peer.id, stretch);
      byKey.set(`${peer.id}\u0000${bridge.id}`, stretch);
      const vni = vnis.get(`${bridge.id}\u0000${peer.id}`)!;
      const end = (host: Host, other: Host, master: string): TunnelEnd => ({
        host,
        to: other,
        ifname: name(host.id, `vx${vni}`, `${bridge.id}@${host.id}>${other.id}`),
        local: canonical(host.underlay),
        remote: canonical(other.underlay),
        dev: host.underlayDev!,
        master,
      });
      links.push({ vni, home: end(home, peer, homeName), peer: end(peer, home, stretch) });
    }
    stitching.segments.push({ bridge, home, port: bridge.stitchPort ?? STITCH_PORT, mtu: segmentMtu(bridge), stretchNames, links });
  }
  return stitching;
}
