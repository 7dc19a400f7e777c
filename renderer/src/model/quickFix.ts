// Problems with an obvious fix, and the fix as a design change: turn on ip_forward where a
// router needs it, add the default route a namespace lacks (via its segment's gateway),
// give a duplicate address the next free one on its subnet, cut an interface name to 15
// bytes. The store applies a fix as one undoable step. Also the gateway a new route should
// start with ("+ route").
import { parsePrefix } from '../../../shared/net/ip';
import type { Bridge, Design } from '../../../shared/model/schema';
import { DesignIndex } from '../../../shared/model/topology';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { addressOnly, nextFreeAddress } from './addressing';
import { getIn, setElementField, type Path } from './edit';
import { lookup } from './lookup';
import { clampIfname } from './names';

export interface QuickFix {
  /** What the button says ("Turn on ip_forward in app1"). */
  label: string;
  apply(design: Design): Design;
}

/** "a.addresses[0]" -> ['a', 'addresses', 0]. */
export function fieldPath(field: string): Path {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [];
    if (m[1]) out.push(m[1]);
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}

/** The IPv4 gateway a namespace reaches through its links: a bridge's address, or a forwarding peer's. */
export function gatewayFor(design: Design, nsId: string): { via: string; because: string } | undefined {
  const { byId } = lookup(design);
  for (const v of design.veths) {
    for (const [mine, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      if (v[mine].at !== nsId) continue;
      const peer = byId.get(v[other].at);
      if (peer?.kind === 'bridge') {
        const addr = (peer.element as Bridge).addresses.find((a) => parsePrefix(a)?.family === 4);
        const via = addr && addressOnly(addr);
        if (via) return { via, because: `bridge "${(peer.element as Bridge).name}" has the segment's gateway address ${addr}` };
      }
    }
  }
  return undefined;
}

function elementName(design: Design, id: string): string {
  const e = lookup(design).byId.get(id);
  return e ? ((e.element as { name?: string }).name ?? id) : id;
}

/** The element owning a router's settings for an element placed `at` (namespace or host). */
function ownerOf(design: Design, at: string): string | undefined {
  const place = new DesignIndex(design).placeNoBridge(at) ?? new DesignIndex(design).place(at);
  if (!place) return undefined;
  return place.ns ? place.ns.id : place.host.id;
}

function forwarding(design: Design, d: Diagnostic, ownerId: string | undefined): QuickFix | undefined {
  if (!ownerId) return undefined;
  const v6 = d.message.includes('IPv6 forwarding');
  const key = v6 ? 'ipv6Forward' : 'ipForward';
  const name = elementName(design, ownerId);
  const isHost = design.hosts.some((h) => h.id === ownerId);
  return {
    label: `Turn on ${v6 ? 'IPv6 forwarding' : 'ip_forward'} ${isHost ? `on host ${name}` : `in ${name}`}`,
    apply: (x) => setElementField(x, ownerId, ['sysctls', key], true),
  };
}

function defaultRoute(design: Design, nsId: string): QuickFix | undefined {
  const ns = design.namespaces.find((n) => n.id === nsId);
  const gw = gatewayFor(design, nsId);
  if (!ns || !gw) return undefined;
  return {
    label: `Add default route via ${gw.via} in ${ns.name}`,
    apply: (x) => setElementField(x, nsId, ['routes'], [...(x.namespaces.find((n) => n.id === nsId)?.routes ?? []), { to: 'default', via: gw.via }]),
  };
}

export function quickFix(design: Design, d: Diagnostic): QuickFix | undefined {
  const id = d.elementId;
  if (!id) return undefined;
  const path = d.field ? fieldPath(d.field) : [];
  const entry = lookup(design).byId.get(id);
  switch (d.rule) {
    case 'forwarding-off': {
      const at = (entry?.element as { at?: string } | undefined)?.at;
      return forwarding(design, d, at && ownerOf(design, at));
    }
    case 'gateway-not-forwarding':
      return forwarding(design, d, id);
    case 'port-forward-no-return': {
      const m = /add a default route in namespace "([^"]+)"/.exec(d.fix ?? '');
      const host = (entry?.element as { at?: string } | undefined)?.at;
      const hostId = host ? new DesignIndex(design).place(host)?.host.id : undefined;
      const ns = m && design.namespaces.find((n) => n.name === m[1] && (!hostId || n.host === hostId));
      return ns ? defaultRoute(design, ns.id) : undefined;
    }
    case 'route-no-target': {
      const ns = design.namespaces.find((n) => n.id === id);
      const gw = ns && gatewayFor(design, id);
      if (!gw || path.length < 2) return undefined;
      return { label: `Route via ${gw.via}`, apply: (x) => setElementField(x, id, [...path, 'via'], gw.via) };
    }
    case 'address-duplicate-segment':
    case 'address-duplicate-namespace': {
      if (!entry || path.length === 0) return undefined;
      const current = getIn(entry.element, path);
      if (typeof current !== 'string') return undefined;
      const next = nextFreeAddress(design, current);
      if (!next || next === current) return undefined;
      return { label: `Use ${next}`, apply: (x) => setElementField(x, id, path, next) };
    }
    case 'ifname-length': {
      if (!entry || path.length === 0) return undefined;
      const current = getIn(entry.element, path);
      if (typeof current !== 'string') return undefined;
      const next = clampIfname(current);
      if (next === current) return undefined;
      return { label: `Shorten to "${next}"`, apply: (x) => setElementField(x, id, path, next) };
    }
    default:
      return undefined;
  }
}
