// Everything drawn as an edge: veths (elements in their own right) and the references
// between elements (placed in a namespace, bridge port, parent NIC). A reference edge's id
// encodes what deleting it undoes.
import type { Design } from '../../../shared/model/schema';
import { nicNodeId } from './kinds';
import { lookup } from './lookup';

export type RelationType = 'veth' | 'in-namespace' | 'bridge-port' | 'nic-port' | 'parent';

export interface Relation {
  id: string;
  type: RelationType;
  /** Canvas node ids. */
  source: string;
  target: string;
}

export const relationId = {
  inNamespace: (elementId: string) => `at:${elementId}`,
  bridgePort: (elementId: string) => `port:${elementId}`,
  nicPort: (bridgeId: string, nic: string) => `enslave:${bridgeId}:${nic}`,
  parent: (elementId: string) => `parent:${elementId}`,
};

export type ParsedRelation =
  | { type: 'in-namespace' | 'bridge-port' | 'parent'; element: string }
  | { type: 'nic-port'; bridge: string; nic: string };

export function parseRelationId(id: string): ParsedRelation | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const head = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (head === 'at') return { type: 'in-namespace', element: rest };
  if (head === 'port') return { type: 'bridge-port', element: rest };
  if (head === 'parent') return { type: 'parent', element: rest };
  if (head === 'enslave') {
    const c = rest.indexOf(':');
    return c < 0 ? undefined : { type: 'nic-port', bridge: rest.slice(0, c), nic: rest.slice(c + 1) };
  }
  return undefined;
}

const cache = new WeakMap<Design, Relation[]>();

export function relations(design: Design): Relation[] {
  const hit = cache.get(design);
  if (hit) return hit;
  const { byId } = lookup(design);
  const out: Relation[] = [];
  const isNs = (id: string) => byId.get(id)?.kind === 'namespace';
  const hostOf = (id: string) => byId.get(id)?.hostId;
  const nicNode = (elementId: string, name: string | undefined) => {
    const host = hostOf(elementId);
    if (!host || !name) return undefined;
    const id = nicNodeId(host, name);
    return byId.has(id) ? id : undefined;
  };
  for (const v of design.veths) {
    const endNode = (at: string) => (byId.has(at) ? at : undefined);
    const a = endNode(v.a.at);
    const b = endNode(v.b.at);
    if (a && b) out.push({ id: v.id, type: 'veth', source: a, target: b });
  }
  const placed = [...design.bridges, ...design.macvlans, ...design.vlans, ...design.vxlans, ...design.masquerades, ...design.portForwards, ...design.policies];
  for (const e of placed) if (isNs(e.at)) out.push({ id: relationId.inNamespace(e.id), type: 'in-namespace', source: e.id, target: e.at });
  for (const b of design.bridges) {
    for (const nic of b.nics) {
      const n = nicNode(b.id, nic);
      if (n) out.push({ id: relationId.nicPort(b.id, nic), type: 'nic-port', source: n, target: b.id });
    }
  }
  for (const e of [...design.vlans, ...design.vxlans]) {
    if (e.bridge && byId.get(e.bridge)?.kind === 'bridge') out.push({ id: relationId.bridgePort(e.id), type: 'bridge-port', source: e.id, target: e.bridge });
  }
  for (const e of [...design.macvlans, ...design.vlans]) {
    const n = nicNode(e.id, e.parent);
    if (n) out.push({ id: relationId.parent(e.id), type: 'parent', source: n, target: e.id });
  }
  for (const x of design.vxlans) {
    const n = nicNode(x.id, x.dev);
    if (n) out.push({ id: relationId.parent(x.id), type: 'parent', source: n, target: x.id });
  }
  cache.set(design, out);
  return out;
}

const degreeCache = new WeakMap<Design, Map<string, number>>();

/** Number of veths attached to each canvas node. */
export function vethDegree(design: Design): Map<string, number> {
  let m = degreeCache.get(design);
  if (!m) {
    m = new Map();
    for (const r of relations(design)) {
      if (r.type !== 'veth') continue;
      m.set(r.source, (m.get(r.source) ?? 0) + 1);
      m.set(r.target, (m.get(r.target) ?? 0) + 1);
    }
    degreeCache.set(design, m);
  }
  return m;
}
