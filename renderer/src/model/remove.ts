// Deleting: elements (with what cannot exist without them) and reference edges (the
// reference is reset). A host takes its namespaces and elements with it; a namespace
// takes what lives inside it; any container takes the veths attached to it; a bridge
// releases the VLAN/VXLAN ports enslaved to it.
import type { Design } from '../../../shared/model/schema';
import { parseNicNodeId } from './kinds';
import { pruneLayout } from './layout';
import { lookup } from './lookup';
import { parseRelationId } from './relations';

/** Ids (canvas node/edge ids) that deleting `ids` removes, cascade included. */
export function removalSet(design: Design, ids: Iterable<string>): Set<string> {
  const { byId } = lookup(design);
  const gone = new Set<string>();
  for (const id of ids) if (byId.has(id)) gone.add(id);
  // Fixed point over containment: host -> namespaces/elements, namespace -> elements, container -> veths.
  let changed = true;
  while (changed) {
    changed = false;
    const add = (id: string) => {
      if (!gone.has(id)) {
        gone.add(id);
        changed = true;
      }
    };
    for (const n of design.namespaces) if (gone.has(n.host)) add(n.id);
    for (const h of design.hosts) if (gone.has(h.id)) for (const nic of h.nics) add(`nic:${h.id}:${nic.name}`);
    const placed = [...design.bridges, ...design.macvlans, ...design.vlans, ...design.vxlans, ...design.masquerades, ...design.portForwards, ...design.policies];
    for (const e of placed) if (gone.has(e.at)) add(e.id);
    for (const v of design.veths) if (gone.has(v.a.at) || gone.has(v.b.at)) add(v.id);
  }
  return gone;
}

export function removeElements(design: Design, ids: Iterable<string>): Design {
  const list = [...ids];
  const gone = removalSet(design, list);
  const nicsGone = new Map<string, Set<string>>();
  for (const id of gone) {
    const nic = parseNicNodeId(id);
    if (nic) nicsGone.set(nic.hostId, (nicsGone.get(nic.hostId) ?? new Set()).add(nic.name));
  }
  const keep = <T extends { id: string }>(xs: T[]) => (xs.some((x) => gone.has(x.id)) ? xs.filter((x) => !gone.has(x.id)) : xs);
  let d: Design = {
    ...design,
    hosts: keep(design.hosts).map((h) => (nicsGone.has(h.id) ? { ...h, nics: h.nics.filter((n) => !nicsGone.get(h.id)!.has(n.name)) } : h)),
    namespaces: keep(design.namespaces),
    bridges: keep(design.bridges).map((b) => {
      const hostNics = nicsGone.get(lookup(design).byId.get(b.id)?.hostId ?? '');
      return hostNics && b.nics.some((n) => hostNics.has(n)) ? { ...b, nics: b.nics.filter((n) => !hostNics.has(n)) } : b;
    }),
    veths: keep(design.veths),
    macvlans: keep(design.macvlans),
    vlans: keep(design.vlans).map((v) => (v.bridge && gone.has(v.bridge) ? withoutKey(v, 'bridge') : v)),
    vxlans: keep(design.vxlans).map((x) => (x.bridge && gone.has(x.bridge) ? withoutKey(x, 'bridge') : x)),
    masquerades: keep(design.masquerades),
    portForwards: keep(design.portForwards),
    policies: keep(design.policies),
  };
  for (const id of list) if (!gone.has(id)) d = detach(d, id);
  return pruneLayout(d);
}

function withoutKey<T extends object, K extends keyof T>(obj: T, key: K): Omit<T, K> & Partial<Pick<T, K>> {
  const copy = { ...obj };
  delete copy[key];
  return copy;
}

/** Deleting a reference edge resets the reference. */
function detach(design: Design, relationId: string): Design {
  const r = parseRelationId(relationId);
  if (!r) return design;
  const host = (id: string) => lookup(design).byId.get(id)?.hostId;
  const mapIn = <T extends { id: string }>(xs: T[], id: string, f: (x: T) => T) => xs.map((x) => (x.id === id ? f(x) : x));
  switch (r.type) {
    case 'in-namespace': {
      const h = host(r.element);
      if (!h) return design;
      const reset = <T extends { id: string; at: string }>(x: T) => ({ ...x, at: h });
      return {
        ...design,
        bridges: mapIn(design.bridges, r.element, reset),
        macvlans: mapIn(design.macvlans, r.element, reset),
        vlans: mapIn(design.vlans, r.element, reset),
        vxlans: mapIn(design.vxlans, r.element, reset),
        masquerades: mapIn(design.masquerades, r.element, reset),
        portForwards: mapIn(design.portForwards, r.element, reset),
        policies: mapIn(design.policies, r.element, reset),
      };
    }
    case 'bridge-port':
      return {
        ...design,
        vlans: mapIn(design.vlans, r.element, (v) => withoutKey(v, 'bridge')),
        vxlans: mapIn(design.vxlans, r.element, (x) => withoutKey(x, 'bridge')),
      };
    case 'parent':
      return {
        ...design,
        macvlans: mapIn(design.macvlans, r.element, (m) => ({ ...m, parent: '' })),
        vlans: mapIn(design.vlans, r.element, (v) => ({ ...v, parent: '' })),
        vxlans: mapIn(design.vxlans, r.element, (x) => withoutKey(x, 'dev')),
      };
    case 'nic-port':
      return { ...design, bridges: mapIn(design.bridges, r.bridge, (b) => ({ ...b, nics: b.nics.filter((n) => n !== r.nic) })) };
  }
}
