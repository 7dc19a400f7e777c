// Field-by-field checks of one interface Wireplan created against its design element,
// beyond what the plan's probes cover (existence, ownership, addresses, master, up/down):
// kind, MTU, MAC, unexpected addresses, the veth peer, and kind-specific settings.
// Pure; every message quotes host data with JSON.stringify so it stays one line of text.
import { canonicalAddress, canonicalPrefix } from '../net/ip';
import type { Bridge, Macvlan, VethEnd, Vlan, Vxlan } from '../model/schema';
import { resolveLinkPeer } from './host';
import type { LinkKind, ObservedHost, ObservedLink, ObservedNamespace } from './types';

const q = (s: string) => JSON.stringify(s);

export type InterfaceSpec =
  | { collection: 'bridges'; element: Bridge }
  | { collection: 'veths'; element: VethEnd; peer: { ns: string; ifname: string } }
  | { collection: 'macvlans'; element: Macvlan }
  | { collection: 'vlans'; element: Vlan }
  | { collection: 'vxlans'; element: Vxlan };

function expectedKind(spec: InterfaceSpec): LinkKind {
  switch (spec.collection) {
    case 'bridges':
      return 'bridge';
    case 'veths':
      return 'veth';
    case 'macvlans':
      return spec.element.kind === 'ipvlan' ? 'ipvlan' : 'macvlan';
    case 'vlans':
      return 'vlan';
    case 'vxlans':
      return 'vxlan';
  }
}

function nsText(ns: string): string {
  return ns === '' ? 'the root namespace' : `netns ${q(ns)}`;
}

/** Addresses that count as configured (not the kernel's own IPv6 link-local ones). */
export function configuredAddresses(ns: ObservedNamespace, ifname: string): string[] {
  return ns.addresses.filter((a) => a.ifname === ifname && !(a.family === 6 && a.scope === 'link')).map((a) => a.cidr);
}

/**
 * Differences between an interface we own and its design element (empty = as designed).
 * `addrNs` may be `ns` reduced to this interface's addresses (a lookup shortcut).
 */
export type PeerResolver = (host: ObservedHost, ns: ObservedNamespace, link: ObservedLink) => ReturnType<typeof resolveLinkPeer>;

export function interfaceDrift(host: ObservedHost, ns: ObservedNamespace, link: ObservedLink, spec: InterfaceSpec, addrNs: ObservedNamespace = ns, peerOf: PeerResolver = resolveLinkPeer): string[] {
  const out: string[] = [];
  const e = spec.element;
  const want = expectedKind(spec);
  if (link.detailed && link.kind !== want) out.push(`kind is ${link.infoKind ?? link.kind}, want ${want}`);
  // MTU and MAC are judged by the plan's own probes (the step that sets them), not here.
  if (ns.observed.addresses) {
    const wanted = new Set(e.addresses.map((a) => canonicalPrefix(a) ?? a));
    for (const cidr of configuredAddresses(addrNs, link.ifname)) {
      if (!wanted.has(cidr)) out.push(`unexpected address ${cidr} on ${q(link.ifname)}`);
    }
  }
  switch (spec.collection) {
    case 'bridges': {
      const stp = link.bridge?.stpState;
      if (stp !== undefined && (stp !== 0) !== spec.element.stp) out.push(`stp is ${stp !== 0 ? 'on' : 'off'}, want ${spec.element.stp ? 'on' : 'off'}`);
      break;
    }
    case 'veths': {
      if (link.kind !== 'veth') break;
      const peer = peerOf(host, ns, link);
      if (peer && (peer.namespace.name !== spec.peer.ns || peer.link.ifname !== spec.peer.ifname)) {
        out.push(`peer is ${q(peer.link.ifname)} in ${nsText(peer.namespace.name)}, want ${q(spec.peer.ifname)} in ${nsText(spec.peer.ns)}`);
      }
      break;
    }
    case 'macvlans': {
      const mode = link.macvlan?.mode ?? link.ipvlan?.mode;
      if (mode !== undefined && mode !== spec.element.mode) out.push(`mode is ${q(mode)}, want ${q(spec.element.mode)}`);
      break;
    }
    case 'vlans': {
      if (link.vlan?.id !== undefined && link.vlan.id !== spec.element.vlanId) out.push(`vlan id is ${link.vlan.id}, want ${spec.element.vlanId}`);
      break;
    }
    case 'vxlans': {
      const x = spec.element;
      const v = link.vxlan;
      if (!v) break;
      if (v.id !== undefined && v.id !== x.vni) out.push(`vni is ${v.id}, want ${x.vni}`);
      if (v.port !== undefined && v.port !== x.port) out.push(`port is ${v.port}, want ${x.port}`);
      const cmp = (field: 'remote' | 'group' | 'local', want: string | undefined) => {
        const w = want === undefined ? undefined : (canonicalAddress(want) ?? want);
        if (w !== v[field]) out.push(`${field} is ${v[field] ?? 'unset'}, want ${w ?? 'unset'}`);
      };
      cmp('remote', x.remote);
      cmp('group', x.group);
      cmp('local', x.local);
      if (x.dev !== undefined && v.dev !== undefined && v.dev !== x.dev) out.push(`underlay dev is ${q(v.dev)}, want ${q(x.dev)}`);
      break;
    }
  }
  return out;
}

/** 'up' when administratively up with a carrier; 'down' otherwise. */
export function operStateOf(link: ObservedLink): 'up' | 'down' | 'unknown' {
  if (!link.up) return 'down';
  if (link.lowerUp) return 'up';
  if (link.operstate === 'UNKNOWN' && link.kind === 'loopback') return 'up';
  return link.operstate === undefined ? 'unknown' : 'down';
}
