// One flat view of every interface Wireplan creates (bridges, veth ends, macvlans,
// VLANs, VXLANs) with where it lives, which bridge it is a port of, and its kernel name,
// so rules about names, addresses and MTUs treat all kinds alike.
import type { ResolvedName } from '../compile/names';
import type { Bridge, Design, Host, Namespace } from '../model/schema';
import type { DesignIndex } from '../model/topology';

export type IfaceCollection = 'bridges' | 'veths' | 'macvlans' | 'vlans' | 'vxlans';

export interface IfaceSpec {
  ifname?: string | undefined;
  addresses: string[];
  mac?: string | undefined;
  mtu?: number | undefined;
}

export interface Iface {
  /** Element id, or "<veth id>.a" / "<veth id>.b". */
  key: string;
  elementId: string;
  collection: IfaceCollection;
  end?: 'a' | 'b';
  /** Prefix for field paths of this interface's own fields: "a." for veth ends, "" otherwise. */
  path: string;
  /** For messages: 'bridge "br0"', 'veth "link1" end a'. */
  label: string;
  spec: IfaceSpec;
  host?: Host;
  ns?: Namespace;
  /** Scope key (see scopes.ts); undefined when the placement does not resolve. */
  scope?: string;
  /** The bridge this interface is enslaved to. */
  master?: Bridge;
  /** A veth end on another host than its bridge: a port of the bridge's stretch there. */
  stretched?: true;
  /** Final kernel name (explicit or derived); undefined when unplaced. */
  ifname?: string;
}

export function scopeKey(host: Host, ns?: Namespace): string {
  return ns ? `${host.id}\u0000${ns.id}` : host.id;
}

const KIND_LABEL: Record<IfaceCollection, string> = {
  bridges: 'bridge',
  veths: 'veth',
  macvlans: 'macvlan',
  vlans: 'VLAN',
  vxlans: 'VXLAN',
};

export function buildIfaces(design: Design, index: DesignIndex, names: Map<string, ResolvedName>): Iface[] {
  const out: Iface[] = [];
  const add = (
    collection: IfaceCollection,
    el: { id: string; name: string },
    spec: IfaceSpec,
    place: { host: Host; ns?: Namespace | undefined } | undefined,
    master: Bridge | undefined,
    end?: 'a' | 'b',
    kindLabel?: string,
    stretched?: boolean,
  ) => {
    const key = end ? `${el.id}.${end}` : el.id;
    const label = `${kindLabel ?? KIND_LABEL[collection]} "${el.name}"${end ? ` end ${end}` : ''}`;
    const iface: Iface = { key, elementId: el.id, collection, path: end ? `${end}.` : '', label, spec };
    if (end) iface.end = end;
    if (place) {
      iface.host = place.host;
      if (place.ns) iface.ns = place.ns;
      iface.scope = scopeKey(place.host, place.ns);
      const resolved = names.get(key);
      if (resolved) iface.ifname = resolved.ifname;
    }
    if (master) iface.master = master;
    if (stretched) iface.stretched = true;
    out.push(iface);
  };
  for (const b of design.bridges) add('bridges', b, b, index.placeNoBridge(b.at), undefined);
  for (const v of design.veths) {
    for (const end of ['a', 'b'] as const) {
      const p = index.placeEnd(v, end);
      add('veths', v, v[end], p, p?.bridge, end, undefined, p?.stretched);
    }
  }
  for (const m of design.macvlans) add('macvlans', m, m, index.placeNoBridge(m.at), undefined, undefined, m.kind);
  for (const v of design.vlans) add('vlans', v, v, index.placeNoBridge(v.at), v.bridge ? index.get('bridges', v.bridge) : undefined);
  for (const x of design.vxlans) add('vxlans', x, x, index.placeNoBridge(x.at), x.bridge ? index.get('bridges', x.bridge) : undefined);
  return out;
}
