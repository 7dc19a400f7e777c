// L2 segments: which interfaces share a broadcast domain. A bridge and its ports, the
// two ends of a veth, macvlan/ipvlan children of one NIC, VLANs of one NIC and VLAN id,
// and VXLANs with one VNI are joined with union-find. Address, subnet and MTU rules
// compare interfaces within (or across) these segments.
import type { Design } from '../model/schema';
import type { Iface } from './ifaces';

class UnionFind {
  private parent = new Map<string, string>();

  find(x: string): string {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    // Path compression keeps 10,000-interface designs linear.
    for (let cur = x; cur !== root; ) {
      const next = this.parent.get(cur) ?? root;
      this.parent.set(cur, root);
      cur = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }

  union(a: string, b: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // Deterministic: the smaller key becomes the root.
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
    return true;
  }
}

export interface Segments {
  /** Segment id of an interface (a stable string, equal for interfaces on one segment). */
  of(iface: Iface): string;
  /** Veth ids that close an L2 loop between bridges, with the bridges involved. */
  loops: { vethId: string; bridgeIds: string[] }[];
}

const node = (iface: Iface) => `if:${iface.key}`;

export function buildSegments(design: Design, ifaces: Iface[]): Segments {
  const uf = new UnionFind();
  const byKey = new Map(ifaces.map((i) => [i.key, i]));
  const hostOf = (key: string) => byKey.get(key)?.host?.id ?? '?';
  for (const i of ifaces) {
    uf.find(node(i));
    if (i.master) uf.union(node(i), `if:${i.master.id}`);
  }
  for (const b of design.bridges) for (const nic of b.nics) uf.union(`if:${b.id}`, `nic:${hostOf(b.id)}:${nic}`);
  for (const m of design.macvlans) uf.union(`if:${m.id}`, `nic:${hostOf(m.id)}:${m.parent}`);
  for (const v of design.vlans) uf.union(`if:${v.id}`, `vlan:${hostOf(v.id)}:${v.parent}:${v.vlanId}`);
  for (const x of design.vxlans) uf.union(`if:${x.id}`, `vni:${x.vni}:${x.port}`);

  // Veth wires last: a wire whose two ends are already on one segment closes a loop.
  const loops: Segments['loops'] = [];
  for (const v of design.veths) {
    const a = `if:${v.id}.a`;
    const b = `if:${v.id}.b`;
    const joined = uf.union(a, b);
    const masters = [byKey.get(`${v.id}.a`)?.master, byKey.get(`${v.id}.b`)?.master].filter((m) => m !== undefined);
    if (!joined && masters.length === 2) loops.push({ vethId: v.id, bridgeIds: [...new Set(masters.map((m) => m.id))] });
  }
  // Every rule asks for segments of the same interfaces: find each root once.
  const segmentOf = new Map<Iface, string>();
  const of = (iface: Iface) => {
    let id = segmentOf.get(iface);
    if (id === undefined) segmentOf.set(iface, (id = uf.find(node(iface))));
    return id;
  };
  return { of, loops };
}
