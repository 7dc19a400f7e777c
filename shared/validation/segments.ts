// L2 segments: which interfaces share a broadcast domain. A bridge and its ports, the
// two ends of a veth, macvlan/ipvlan children of one NIC, VLANs of one NIC and VLAN id,
// and VXLANs with one VNI are joined with union-find. Address, subnet and MTU rules
// compare interfaces within (or across) these segments.
import type { Design } from '../model/schema';
import type { Iface } from './ifaces';

/**
 * Union-find over string keys, stored as integers: each key is hashed once (when first
 * seen), and find/union walk plain arrays.
 */
class UnionFind {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly parent: number[] = [];

  /** The node for `key`, created as its own set when new. */
  node(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
      this.parent.push(id);
    }
    return id;
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    // Path compression keeps 10,000-interface designs linear.
    for (let cur = x; cur !== root; ) {
      const next = this.parent[cur]!;
      this.parent[cur] = root;
      cur = next;
    }
    return root;
  }

  /** The key of the set's root: the set's stable name. */
  rootKey(x: number): string {
    return this.keys[this.find(x)]!;
  }

  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // Deterministic: the smaller key becomes the root.
    if (this.keys[ra]! < this.keys[rb]!) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}

export interface Segments {
  /** Segment id of an interface (a stable string, equal for interfaces on one segment). */
  of(iface: Iface): string;
  /** Veth ids that close an L2 loop between bridges, with the bridges involved. */
  loops: { vethId: string; bridgeIds: string[] }[];
}

export function buildSegments(design: Design, ifaces: Iface[]): Segments {
  const uf = new UnionFind();
  const byKey = new Map(ifaces.map((i) => [i.key, i]));
  const hostOf = (key: string) => byKey.get(key)?.host?.id ?? '?';
  const nodeOf = new Map<Iface, number>();
  for (const i of ifaces) {
    const n = uf.node(`if:${i.key}`);
    nodeOf.set(i, n);
    if (i.master) uf.union(n, uf.node(`if:${i.master.id}`));
  }
  const join = (a: string, b: string) => uf.union(uf.node(a), uf.node(b));
  for (const b of design.bridges) for (const nic of b.nics) join(`if:${b.id}`, `nic:${hostOf(b.id)}:${nic}`);
  for (const m of design.macvlans) join(`if:${m.id}`, `nic:${hostOf(m.id)}:${m.parent}`);
  for (const v of design.vlans) join(`if:${v.id}`, `vlan:${hostOf(v.id)}:${v.parent}:${v.vlanId}`);
  for (const x of design.vxlans) join(`if:${x.id}`, `vni:${x.vni}:${x.port}`);

  // Veth wires last: a wire whose two ends are already on one segment closes a loop.
  const loops: Segments['loops'] = [];
  for (const v of design.veths) {
    const joined = join(`if:${v.id}.a`, `if:${v.id}.b`);
    const masters = [byKey.get(`${v.id}.a`)?.master, byKey.get(`${v.id}.b`)?.master].filter((m) => m !== undefined);
    if (!joined && masters.length === 2) loops.push({ vethId: v.id, bridgeIds: [...new Set(masters.map((m) => m.id))] });
  }
  // Every rule asks for segments of the same interfaces: find each root once.
  const segmentOf = new Map<Iface, string>();
  const of = (iface: Iface) => {
    let id = segmentOf.get(iface);
    if (id === undefined) segmentOf.set(iface, (id = uf.rootKey(nodeOf.get(iface) ?? uf.node(`if:${iface.key}`))));
    return id;
  };
  return { of, loops };
}
