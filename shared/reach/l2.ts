// Layer-2 paths between two interfaces of the design. Validation's segments (segments.ts)
// say which interfaces share a broadcast domain on paper; a packet also needs every
// interface on its way to be up, and it matters which bridges it crosses (a bridge whose
// namespace has bridge netfilter on runs bridged traffic through its firewall). So this
// keeps the same joins as segments.ts as a graph and searches paths in it, using the
// segment id as a quick "never connected" test first. A stretched bridge's far ports
// reach it through the stitch devices the compiler adds (compile/stitch.ts), which join
// the graph as interfaces of their own, so a path names the tunnel it crosses.
import { planStitching } from '../compile/stitch';
import type { Bridge, Host } from '../model/schema';
import type { RuleContext } from '../validation/context';
import { scopeKey, type Iface } from '../validation/ifaces';

interface Edge {
  to: string;
}

export interface L2Path {
  /** Interfaces on the way, both ends included. */
  ifaces: Iface[];
  /** Bridges crossed as a switch (entered on one port, left on another). */
  bridged: Iface[];
}

export type L2Failure =
  | { kind: 'down'; iface: Iface }
  | { kind: 'macvlan-isolated'; a: Iface; b: Iface; mode: string }
  | { kind: 'apart' };

const node = (i: Iface) => `if:${i.key}`;

export class L2Graph {
  private readonly adj = new Map<string, Edge[]>();
  private readonly ifaceOf = new Map<string, Iface>();
  private readonly macvlanMode = new Map<string, { host: string; parent: string; mode: string; kind: string }>();
  /** Kernel name of the bridge an interface is a port of, where it is not its design bridge's own. */
  private readonly masters = new Map<Iface, string>();

  constructor(
    private readonly ctx: RuleContext,
    private readonly adminUp: (i: Iface) => boolean,
  ) {
    const { design, ifaceByKey } = ctx;
    for (const i of ctx.ifaces) this.ifaceOf.set(node(i), i);
    const hostOf = (id: string) => ifaceByKey.get(id)?.host?.id ?? '?';
    for (const i of ctx.ifaces) if (i.master && !i.stretched) this.link(node(i), `if:${i.master.id}`);
    this.stitches();
    for (const b of design.bridges) for (const nic of b.nics) this.link(`if:${b.id}`, `nic:${hostOf(b.id)}:${nic}`);
    for (const m of design.macvlans) {
      this.macvlanMode.set(`if:${m.id}`, { host: hostOf(m.id), parent: m.parent, mode: m.mode, kind: m.kind });
      // Children of one parent reach each other only in bridge mode (ipvlan: always).
      if (m.kind === 'ipvlan' || m.mode === 'bridge') this.link(`if:${m.id}`, `mv:${hostOf(m.id)}:${m.parent}`);
    }
    for (const v of design.vlans) this.link(`if:${v.id}`, `vlan:${hostOf(v.id)}:${v.parent}:${v.vlanId}`);
    for (const x of design.vxlans) this.link(`if:${x.id}`, `vni:${x.vni}:${x.port}`);
    for (const v of design.veths) this.link(`if:${v.id}.a`, `if:${v.id}.b`);
  }

  /** Stretch bridges and stitch VXLANs: far port -> stretch -> VXLAN -> VXLAN -> home bridge. */
  private stitches(): void {
    const { ctx } = this;
    if (!ctx.ifaces.some((i) => i.stretched)) return;
    const stitching = planStitching(ctx.design, ctx.index, ctx.names);
    const add = (i: Iface) => {
      this.ifaceOf.set(node(i), i);
      return node(i);
    };
    const device = (key: string, collection: 'bridges' | 'vxlans', label: string, host: Host, ifname: string, bridge: Bridge): Iface => ({
      key, elementId: bridge.id, collection, path: '', label, spec: { addresses: [], mtu: bridge.mtu }, host, scope: scopeKey(host), ifname,
      ...(collection === 'vxlans' ? { master: bridge } : {}),
    });
    for (const seg of stitching.segments) {
      const b = seg.bridge;
      for (const link of seg.links) {
        const far = link.peer.host;
        const stretchName = seg.stretchNames.get(far.id)!;
        const stretch = add(device(`${b.id}@${far.id}`, 'bridges', `bridge "${stretchName}" (stretch of bridge "${b.name}")`, far, stretchName, b));
        const tunnel = (end: typeof link.home, master: string) => {
          const i = device(`${b.id}@${end.host.id}>${end.to.id}`, 'vxlans', `VXLAN "${end.ifname}" (stitch of bridge "${b.name}")`, end.host, end.ifname, b);
          this.masters.set(i, master);
          return add(i);
        };
        const farVx = tunnel(link.peer, stretchName);
        const homeVx = tunnel(link.home, link.home.master);
        this.link(stretch, farVx);
        this.link(farVx, homeVx);
        this.link(homeVx, `if:${b.id}`);
        for (const i of ctx.ifaces) {
          if (!i.stretched || i.master?.id !== b.id || i.host?.id !== far.id) continue;
          this.link(node(i), stretch);
          this.masters.set(i, stretchName);
        }
      }
    }
  }

  /** Kernel name of the bridge `i` is a port of on its host. */
  masterName(i: Iface): string | undefined {
    if (!i.master) return undefined;
    return this.masters.get(i) ?? this.ctx.ifaceByKey.get(i.master.id)?.ifname ?? i.master.id;
  }

  private link(a: string, b: string): void {
    this.adj.set(a, [...(this.adj.get(a) ?? []), { to: b }]);
    this.adj.set(b, [...(this.adj.get(b) ?? []), { to: a }]);
  }

  private usable(n: string): boolean {
    const i = this.ifaceOf.get(n);
    return !i || this.adminUp(i);
  }

  /** Node path from a to b over usable nodes (BFS: fewest hops), or undefined. */
  private search(a: string, b: string, onlyUp: boolean): string[] | undefined {
    if (onlyUp && (!this.usable(a) || !this.usable(b))) return undefined;
    const prev = new Map<string, string>([[a, a]]);
    const queue = [a];
    for (let qi = 0; qi < queue.length; qi++) {
      const cur = queue[qi]!;
      if (cur === b) break;
      for (const e of this.adj.get(cur) ?? []) {
        if (prev.has(e.to) || (onlyUp && !this.usable(e.to))) continue;
        prev.set(e.to, cur);
        queue.push(e.to);
      }
    }
    if (!prev.has(b)) return undefined;
    const path = [b];
    while (path[0] !== a) path.unshift(prev.get(path[0]!)!);
    return path;
  }

  /** The path a frame takes from interface a to interface b, or why there is none. */
  path(a: Iface, b: Iface): L2Path | L2Failure {
    if (a.key === b.key) return { ifaces: [a], bridged: [] };
    const sa = this.ctx.segments.of(a);
    if (sa !== this.ctx.segments.of(b)) return { kind: 'apart' };
    const nodes = this.search(node(a), node(b), true);
    if (nodes) {
      const ifaces = nodes.map((n) => this.ifaceOf.get(n)).filter((i): i is Iface => i !== undefined);
      const bridged = ifaces.slice(1, -1).filter((i) => i.collection === 'bridges');
      return { ifaces, bridged };
    }
    const any = this.search(node(a), node(b), false);
    if (any) {
      const down = any.map((n) => this.ifaceOf.get(n)).find((i) => i !== undefined && !this.adminUp(i));
      if (down) return { kind: 'down', iface: down };
    }
    const ma = this.macvlanMode.get(node(a));
    const mb = this.macvlanMode.get(node(b));
    if (ma && mb && ma.host === mb.host && ma.parent === mb.parent) {
      const isolated = [ma, mb].find((m) => m.kind === 'macvlan' && m.mode !== 'bridge');
      if (isolated) return { kind: 'macvlan-isolated', a, b, mode: isolated.mode };
    }
    return { kind: 'apart' };
  }

  /** True when the interface's segment reaches past the design: a host NIC, or a macvlan/VLAN on one. */
  touchesOutside(i: Iface): boolean {
    const start = node(i);
    const seen = new Set([start]);
    const queue = [start];
    for (let qi = 0; qi < queue.length; qi++) {
      const cur = queue[qi]!;
      if (cur.startsWith('nic:') || cur.startsWith('mv:') || cur.startsWith('vlan:') || this.macvlanMode.has(cur)) return true;
      for (const e of this.adj.get(cur) ?? []) {
        if (seen.has(e.to)) continue;
        seen.add(e.to);
        queue.push(e.to);
      }
    }
    return false;
  }
}
