// The design seen as a network the packet walker can move through: validation's scopes,
// interfaces, addresses and segments (built once by buildContext, exactly as validation
// sees them), plus what the walker needs on top: which interfaces are up, each scope's
// routing table (connected subnets and static routes), and the NAT / policy elements
// that act in each scope.
import type { Masquerade, Policy, PortForward } from '../model/schema';
import { contains, formatAddress, formatNetwork, parseAddress, parsePrefix, type Address, type Family, type Prefix } from '../net/ip';
import { isHostPrefix } from '../validation/addr-kinds';
import type { IfaceAddress, RuleContext } from '../validation/context';
import type { Iface } from '../validation/ifaces';
import { forwards, type Scope } from '../validation/scopes';
import { L2Graph } from './l2';
import type { ScopeRef } from './types';

export interface RouteEntry {
  family: Family;
  /** Destination prefix (0/0 for default). */
  prefix: Prefix;
  metric: number;
  kind: 'connected' | 'static';
  /** Outgoing interface: a design interface or a host NIC name (root namespace). */
  dev: string;
  iface?: Iface;
  via?: Address;
  /** As the kernel shows the destination: "default", "10.0.0.0/24". */
  text: string;
}

export interface ScopeInfo {
  scope: Scope;
  ref: ScopeRef;
  /** Design addresses on interfaces of this scope that are administratively up. */
  addrs: IfaceAddress[];
  routes: RouteEntry[];
  masquerades: Masquerade[];
  portForwards: PortForward[];
  policies: Policy[];
  forwards(family: Family): boolean;
}

export interface World {
  ctx: RuleContext;
  scopes: Map<string, ScopeInfo>;
  l2: L2Graph;
  /** Admin state (IFF_UP) of a design interface. */
  adminUp(iface: Iface): boolean;
  /** Design addresses equal to this one (family/canonical text), on any interface (up or down). */
  owners(family: Family, address: string): IfaceAddress[];
  /** Scope that owns this interface. */
  scopeOf(iface: Iface): ScopeInfo | undefined;
  ifaceByName(scope: ScopeInfo, ifname: string): Iface | undefined;
}

const key = (family: Family, address: string) => `${family}/${address}`;

export function scopeRef(scope: Scope): ScopeRef {
  const ns = scope.ns?.name ?? '';
  return { key: scope.key, hostId: scope.host.id, hostName: scope.host.name, ns, name: ns ? `${scope.host.name}/${ns}` : scope.host.name };
}

function adminStates(ctx: RuleContext): Map<string, boolean> {
  const up = new Map<string, boolean>();
  const { design } = ctx;
  for (const b of design.bridges) up.set(b.id, b.up);
  for (const v of design.veths) {
    up.set(`${v.id}.a`, v.a.up);
    up.set(`${v.id}.b`, v.b.up);
  }
  for (const m of design.macvlans) up.set(m.id, m.up);
  for (const v of design.vlans) up.set(v.id, v.up);
  for (const x of design.vxlans) up.set(x.id, x.up);
  return up;
}

export function buildWorld(ctx: RuleContext): World {
  const up = adminStates(ctx);
  const adminUp = (iface: Iface) => up.get(iface.key) !== false;
  const owners = new Map<string, IfaceAddress[]>();
  const scopes = new Map<string, ScopeInfo>();
  for (const scope of ctx.scopes.values()) {
    scopes.set(scope.key, {
      scope,
      ref: scopeRef(scope),
      addrs: [],
      routes: [],
      masquerades: [],
      portForwards: [],
      policies: [],
      forwards: (f) => forwards(scope, f),
    });
  }
  for (const a of ctx.addresses) {
    if (a.iface.scope === undefined) continue;
    const k = key(a.prefix.family, a.address);
    owners.set(k, [...(owners.get(k) ?? []), a]);
    if (adminUp(a.iface)) scopes.get(a.iface.scope)?.addrs.push(a);
  }
  const at = (id: string) => {
    const s = ctx.scopeAt(id);
    return s && scopes.get(s.key);
  };
  for (const m of ctx.design.masquerades) at(m.at)?.masquerades.push(m);
  for (const p of ctx.design.portForwards) at(p.at)?.portForwards.push(p);
  for (const p of ctx.design.policies) at(p.at)?.policies.push(p);
  for (const info of scopes.values()) info.routes = routingTable(info, adminUp);
  const byName = new Map<string, Iface>();
  for (const i of ctx.ifaces) if (i.scope !== undefined && i.ifname) byName.set(`${i.scope}\u0000${i.ifname}`, i);
  return {
    ctx,
    scopes,
    l2: new L2Graph(ctx, adminUp),
    adminUp,
    owners: (family, address) => owners.get(key(family, address)) ?? [],
    scopeOf: (iface) => (iface.scope === undefined ? undefined : scopes.get(iface.scope)),
    ifaceByName: (scope, ifname) => byName.get(`${scope.scope.key}\u0000${ifname}`),
  };
}

/**
 * What `ip route` would hold after apply: a connected route per address on an up
 * interface (host prefixes make none), and each static route whose device is up and
 * whose gateway sits on a connected subnet (the kernel refuses or flushes the others).
 */
function routingTable(info: ScopeInfo, adminUp: (i: Iface) => boolean): RouteEntry[] {
  const out: RouteEntry[] = [];
  const nics = new Set(info.scope.ns ? [] : info.scope.host.nics.map((n) => n.name));
  const ifaceNamed = new Map(info.scope.ifaces.filter((i) => i.ifname).map((i) => [i.ifname!, i]));
  for (const a of info.addrs) {
    if (isHostPrefix(a.prefix)) continue;
    const net = parsePrefix(formatNetwork(a.prefix))!;
    if (out.some((r) => r.kind === 'connected' && r.family === net.family && r.prefix.address === net.address && r.prefix.length === net.length)) continue;
    out.push({ family: a.prefix.family, prefix: net, metric: a.prefix.family === 4 ? 0 : 256, kind: 'connected', dev: a.iface.ifname ?? '?', iface: a.iface, text: formatNetwork(a.prefix) });
  }
  const connected = [...out];
  for (const r of info.scope.routes) {
    const via = r.via === undefined ? undefined : parseAddress(r.via);
    if (r.via !== undefined && !via) continue;
    const dest = r.to === 'default' ? undefined : parsePrefix(r.to);
    if (r.to !== 'default' && !dest) continue;
    const family: Family = dest?.family ?? via?.family ?? 4;
    const prefix: Prefix = dest ? parsePrefix(formatNetwork(dest))! : { family, address: 0n, length: 0 };
    let dev = r.dev;
    let iface = dev !== undefined ? ifaceNamed.get(dev) : undefined;
    if (dev !== undefined && !iface && !nics.has(dev)) continue; // dangling (validation reports it)
    if (iface && !adminUp(iface)) continue; // the kernel flushes routes over a down device
    if (via) {
      const onLink = connected.find((c) => c.family === via.family && (dev === undefined || c.dev === dev) && contains(c.prefix, via));
      if (!onLink) {
        // A gateway on a NIC's subnet (root namespace): outside what the design knows.
        if (dev === undefined || !nics.has(dev)) continue;
      } else if (dev === undefined) {
        dev = onLink.dev;
        iface = onLink.iface;
      }
    }
    if (dev === undefined) continue;
    const text = dest ? formatNetwork(dest).replace(family === 4 ? /\/32$/ : /\/128$/, '') : 'default';
    out.push({ family, prefix, metric: r.metric ?? (family === 6 ? 1024 : 0), kind: 'static', dev, ...(iface ? { iface } : {}), ...(via ? { via } : {}), text });
  }
  return out;
}

/** Longest prefix, then lowest metric, then table order. */
export function lookupRoute(info: ScopeInfo, dst: Address): RouteEntry | undefined {
  let best: RouteEntry | undefined;
  for (const r of info.routes) {
    if (r.family !== dst.family || !contains(r.prefix, dst)) continue;
    if (!best || r.prefix.length > best.prefix.length || (r.prefix.length === best.prefix.length && r.metric < best.metric)) best = r;
  }
  return best;
}

/** The address a scope's kernel picks as source for a packet leaving on `route`. */
export function sourceAddress(info: ScopeInfo, route: RouteEntry, nextHop: Address): string | undefined {
  const fam = nextHop.family;
  const onDev = info.addrs.filter((a) => a.prefix.family === fam && a.iface.ifname === route.dev);
  const sameNet = onDev.find((a) => !isHostPrefix(a.prefix) && contains(a.prefix, nextHop));
  const pick = sameNet ?? onDev[0] ?? info.addrs.find((a) => a.prefix.family === fam);
  return pick?.address;
}

export function isLocal(info: ScopeInfo, family: Family, address: string): boolean {
  return info.addrs.some((a) => a.prefix.family === family && a.address === address);
}

export function addrText(a: Address): string {
  return formatAddress(a.family, a.value);
}
