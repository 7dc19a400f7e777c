// Random valid designs for the convergence property (issue 10), and random edits of
// them. A design is drawn as a small "spec" of plain numbers and flags (so fast-check can
// shrink it) and built into a Design deterministically:
//
// - one host `h` (a sandbox with the NIC eth0), 0-6 namespaces ns0..ns5 in any order;
// - bridges in the root or inside a namespace, veths between any two places (root,
//   namespace, bridge port) with the ends in either order;
// - addresses: every L2 segment (a bridge with its ports and what the veths join to it,
//   or one veth pair) gets its own /24, stable across edits (named after its first
//   element); MTU per segment, taken from that first element;
// - routes: defaults and prefixes via a neighbour on a connected segment, device routes;
// - masquerades, port forwards and forward policies at a root or namespace router, whose
//   ip_forward is then switched on.
//
// Element ids are serial numbers kept in the spec, so an edit that removes one element
// leaves the others' ids (and kernel names) alone.
import fc from 'fast-check';
import { compile } from '../../shared/compile/compile';
import { DesignSchema, type Design, type DesignInput } from '../../shared/model/schema';
import { portableSnapshot, snapshot, type Snapshot } from './sandbox-snapshot';
import type { Sandbox } from './sandbox';

export const MAX_NAMESPACES = 6;
export const HOST_ID = 'h';
export const HOST_NIC = 'eth0';
export const TAG = 'cv';

export type Mtu = 1280 | 1400 | 1500 | 9000 | null;

export interface NsSpec {
  serial: number;
  forward: boolean;
}
/** place 0 is the host's root namespace, place k (1..6) namespace serial k-1 (see buildDesign). */
export interface BridgeSpec {
  serial: number;
  place: number;
  addr: boolean;
  hostNo: number;
  mtu: Mtu;
}
export interface EndSpec {
  place: number;
  /** Bridge serial: the end is a port of that bridge (and lives where the bridge does). */
  bridge: number | null;
  addr: boolean;
  hostNo: number;
}
export interface VethSpec {
  serial: number;
  a: EndSpec;
  b: EndSpec;
  mtu: Mtu;
}
export interface RouteSpec {
  serial: number;
  place: number;
  kind: 'default' | 'net' | 'dev';
  pick: number;
  metric: number | null;
}
export interface MasqSpec {
  serial: number;
  place: number;
  pick: number;
  egress: 'none' | 'nic' | 'iface';
}
export interface PortForwardSpec {
  serial: number;
  place: number;
  pick: number;
  protocol: 'tcp' | 'udp';
  toPort: number | null;
  hostLocal: boolean;
  ingress: boolean;
}
export interface PolicyRuleSpec {
  from: number | null;
  protocol: 'any' | 'tcp' | 'udp' | 'icmp';
  ports: string | null;
  action: 'accept' | 'drop';
}
export interface PolicySpec {
  serial: number;
  place: number;
  pick: number;
  defaultAction: 'drop' | 'accept';
  allowEstablished: boolean;
  rules: PolicyRuleSpec[];
}
export interface DesignSpec {
  namespaces: NsSpec[];
  hostForward: boolean;
  bridges: BridgeSpec[];
  veths: VethSpec[];
  routes: RouteSpec[];
  masquerades: MasqSpec[];
  portForwards: PortForwardSpec[];
  policies: PolicySpec[];
}

export type Edit =
  | { op: 'mtu'; target: number; mtu: Mtu }
  | { op: 'address'; target: number; hostNo: number; toggle: boolean }
  | { op: 'addVeth'; veth: VethSpec }
  | { op: 'removeVeth'; target: number }
  | { op: 'moveEnd'; target: number; end: 'a' | 'b'; to: EndSpec }
  | { op: 'addBridge'; bridge: BridgeSpec }
  | { op: 'removeBridge'; target: number }
  | { op: 'addNamespace'; serial: number; forward: boolean }
  | { op: 'removeNamespace'; target: number }
  | { op: 'forward'; place: number }
  | { op: 'addRoute'; route: RouteSpec }
  | { op: 'removeRoute'; target: number }
  | { op: 'addMasquerade'; masquerade: MasqSpec }
  | { op: 'removeMasquerade'; target: number }
  | { op: 'addPortForward'; portForward: PortForwardSpec }
  | { op: 'removePortForward'; target: number }
  | { op: 'addPolicy'; policy: PolicySpec }
  | { op: 'removePolicy'; target: number }
  | { op: 'policyDefault'; target: number };

// ---------------------------------------------------------------------------------
// Arbitraries

const place = fc.integer({ min: 0, max: MAX_NAMESPACES });
const hostNo = fc.integer({ min: 2, max: 60 });
const mtu: fc.Arbitrary<Mtu> = fc.constantFrom<Mtu>(null, null, 1280, 1400, 1500, 9000);

const endSpec: fc.Arbitrary<EndSpec> = fc.record({
  place,
  bridge: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 2 }),
  addr: fc.boolean(),
  hostNo,
});
const vethBody = fc.record({ a: endSpec, b: endSpec, mtu });
const bridgeBody = fc.record({ place, addr: fc.boolean(), hostNo, mtu });
const routeBody = fc.record({
  place,
  kind: fc.constantFrom<RouteSpec['kind']>('default', 'default', 'net', 'dev'),
  pick: fc.nat(20),
  metric: fc.constantFrom<number | null>(null, null, 100),
});
const masqBody = fc.record({ place, pick: fc.nat(20), egress: fc.constantFrom<MasqSpec['egress']>('none', 'nic', 'iface') });
const pfBody = fc.record({
  place,
  pick: fc.nat(20),
  protocol: fc.constantFrom<'tcp' | 'udp'>('tcp', 'udp'),
  toPort: fc.constantFrom<number | null>(null, 80, 8443),
  hostLocal: fc.boolean(),
  ingress: fc.boolean(),
});
const policyRule: fc.Arbitrary<PolicyRuleSpec> = fc
  .record({
    from: fc.option(fc.nat(20), { nil: null }),
    protocol: fc.constantFrom<PolicyRuleSpec['protocol']>('any', 'tcp', 'udp', 'icmp'),
    ports: fc.constantFrom<string | null>(null, '80', '8000-8100'),
    action: fc.constantFrom<'accept' | 'drop'>('accept', 'drop'),
  })
  .map((r) => (r.protocol === 'tcp' || r.protocol === 'udp' ? r : { ...r, ports: null }));
const policyBody = fc.record({
  place,
  pick: fc.nat(20),
  defaultAction: fc.constantFrom<'drop' | 'accept'>('drop', 'accept'),
  allowEstablished: fc.boolean(),
  rules: fc.array(policyRule, { maxLength: 3 }),
});

/** Serial numbers 0..n-1 for a list of bodies. */
function serials<T>(arb: fc.Arbitrary<T>, maxLength: number): fc.Arbitrary<(T & { serial: number })[]> {
  return fc.array(arb, { maxLength }).map((xs) => xs.map((x, i) => ({ ...x, serial: i })));
}

export const designSpec: fc.Arbitrary<DesignSpec> = fc.record({
  namespaces: fc
    .shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 0, maxLength: MAX_NAMESPACES })
    .chain((ids) => fc.tuple(...ids.map((serial) => fc.record({ serial: fc.constant(serial), forward: fc.boolean() })))),
  hostForward: fc.boolean(),
  bridges: serials(bridgeBody, 3),
  veths: serials(vethBody, 6),
  routes: serials(routeBody, 4),
  masquerades: serials(masqBody, 2),
  portForwards: serials(pfBody, 2),
  policies: serials(policyBody, 2),
});

/** New elements an edit adds get serials from 50 up, clear of the spec's own. */
const added = <T>(arb: fc.Arbitrary<T>) => fc.tuple(arb, fc.integer({ min: 50, max: 59 })).map(([x, serial]) => ({ ...x, serial }));

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('mtu' as const), target: fc.nat(20), mtu }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('address' as const), target: fc.nat(20), hostNo, toggle: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('addVeth' as const), veth: added(vethBody) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('removeVeth' as const), target: fc.nat(20) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('moveEnd' as const), target: fc.nat(20), end: fc.constantFrom<'a' | 'b'>('a', 'b'), to: endSpec }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('addBridge' as const), bridge: added(bridgeBody) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('removeBridge' as const), target: fc.nat(20) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('addNamespace' as const), serial: fc.integer({ min: 0, max: MAX_NAMESPACES - 1 }), forward: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('removeNamespace' as const), target: fc.nat(20) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('forward' as const), place }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('addRoute' as const), route: added(routeBody) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('removeRoute' as const), target: fc.nat(20) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('addMasquerade' as const), masquerade: added(masqBody) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('removeMasquerade' as const), target: fc.nat(20) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('addPortForward' as const), portForward: added(pfBody) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('removePortForward' as const), target: fc.nat(20) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('addPolicy' as const), policy: added(policyBody) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('removePolicy' as const), target: fc.nat(20) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('policyDefault' as const), target: fc.nat(20) }), weight: 1 },
);

// ---------------------------------------------------------------------------------
// Edits

function removeAt<T>(xs: T[], target: number): void {
  if (xs.length > 0) xs.splice(target % xs.length, 1);
}

function withSerial<T extends { serial: number }>(xs: T[], x: T): void {
  if (!xs.some((y) => y.serial === x.serial)) xs.push(x);
}

/** D2's spec: D1's with the edits applied in order (each edit is total). */
export function applyEdits(spec: DesignSpec, edits: readonly Edit[]): DesignSpec {
  const s = structuredClone(spec);
  for (const e of edits) {
    switch (e.op) {
      case 'mtu': {
        const all: { mtu: Mtu }[] = [...s.bridges, ...s.veths];
        if (all.length) all[e.target % all.length]!.mtu = e.mtu;
        break;
      }
      case 'address': {
        const all: { addr: boolean; hostNo: number }[] = [...s.bridges, ...s.veths.flatMap((v) => [v.a, v.b])];
        if (!all.length) break;
        const x = all[e.target % all.length]!;
        if (e.toggle) x.addr = !x.addr;
        else x.hostNo = e.hostNo;
        break;
      }
      case 'addVeth': withSerial(s.veths, e.veth); break;
      case 'removeVeth': removeAt(s.veths, e.target); break;
      case 'moveEnd': if (s.veths.length) s.veths[e.target % s.veths.length]![e.end] = e.to; break;
      case 'addBridge': withSerial(s.bridges, e.bridge); break;
      case 'removeBridge': removeAt(s.bridges, e.target); break;
      case 'addNamespace': withSerial(s.namespaces, { serial: e.serial, forward: e.forward }); break;
      case 'removeNamespace': removeAt(s.namespaces, e.target); break;
      case 'forward': {
        if (e.place === 0) s.hostForward = !s.hostForward;
        const n = s.namespaces.find((x) => x.serial === e.place - 1);
        if (n) n.forward = !n.forward;
        break;
      }
      case 'addRoute': withSerial(s.routes, e.route); break;
      case 'removeRoute': removeAt(s.routes, e.target); break;
      case 'addMasquerade': withSerial(s.masquerades, e.masquerade); break;
      case 'removeMasquerade': removeAt(s.masquerades, e.target); break;
      case 'addPortForward': withSerial(s.portForwards, e.portForward); break;
      case 'removePortForward': removeAt(s.portForwards, e.target); break;
      case 'addPolicy': withSerial(s.policies, e.policy); break;
      case 'removePolicy': removeAt(s.policies, e.target); break;
      case 'policyDefault': {
        if (!s.policies.length) break;
        const p = s.policies[e.target % s.policies.length]!;
        p.defaultAction = p.defaultAction === 'drop' ? 'accept' : 'drop';
        break;
      }
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------
// Building a design

interface Iface {
  /** Union-find node: the bridge, or the veth end (a bridge port's node is its bridge). */
  node: string;
  scope: string;
  ifname: string;
  port: boolean;
  addr: boolean;
  hostNo: number;
  set(fields: { addresses?: string[]; mtu?: number }): void;
}

const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);

export function buildDesign(spec: DesignSpec): Design {
  // Place k names namespace serial k-1; when that one is absent, another present one
  // (so removing a namespace moves what was in it), and the root when there is none.
  const present = spec.namespaces.map((n) => n.serial).sort((x, y) => x - y);
  const scopeId = (p: number): string | undefined => {
    if (p === 0 || present.length === 0) return HOST_ID;
    return `n${present.includes(p - 1) ? p - 1 : present[(p - 1) % present.length]!}`;
  };

  const input: DesignInput & Required<Pick<DesignInput, 'namespaces' | 'bridges' | 'veths' | 'masquerades' | 'portForwards' | 'policies'>> = {
    wireplan: 2,
    tag: TAG,
    name: 'convergence property',
    hosts: [],
    namespaces: [],
    bridges: [],
    veths: [],
    masquerades: [],
    portForwards: [],
    policies: [],
  };
  const ifaces: Iface[] = [];
  const bridgeScope = new Map<number, string>();
  const routesOf = new Map<string, { to: string; via?: string; dev?: string; metric?: number }[]>();
  const routers = new Set<string>();

  for (const b of [...spec.bridges].sort((x, y) => x.serial - y.serial)) {
    const at = scopeId(b.place);
    if (!at || bridgeScope.has(b.serial)) continue;
    bridgeScope.set(b.serial, at);
  }
  // Bridges in spec order (document order is part of what is drawn).
  for (const b of spec.bridges) {
    const at = bridgeScope.get(b.serial);
    if (!at || input.bridges.some((x) => x.id === `b${b.serial}`)) continue;
    const el: NonNullable<DesignInput['bridges']>[number] = { id: `b${b.serial}`, name: `br${b.serial}`, at, ifname: `br${b.serial}` };
    input.bridges.push(el);
    ifaces.push({
      node: `b${b.serial}`, scope: at, ifname: `br${b.serial}`, port: false, addr: b.addr, hostNo: b.hostNo,
      set: (f) => Object.assign(el, f),
    });
  }
  const mtuOfNode = new Map<string, Mtu>();
  for (const b of spec.bridges) mtuOfNode.set(`b${b.serial}`, b.mtu);

  const seenVeth = new Set<number>();
  for (const v of spec.veths) {
    if (seenVeth.has(v.serial)) continue;
    const ends = (['a', 'b'] as const).map((end) => {
      const e = v[end];
      const bridgeAt = e.bridge === null ? undefined : bridgeScope.get(e.bridge);
      if (bridgeAt) return { end, e, at: `b${e.bridge}`, scope: bridgeAt, port: true, node: `b${e.bridge}` };
      const at = scopeId(e.place);
      return at ? { end, e, at, scope: at, port: false, node: `v${v.serial}.${end}` } : undefined;
    });
    const [ea, eb] = ends;
    if (!ea || !eb) continue;
    if (ea.port && eb.port && ea.node === eb.node) continue; // both ends on one bridge
    seenVeth.add(v.serial);
    const el = {
      id: `v${v.serial}`,
      name: `veth ${v.serial}`,
      a: { at: ea.at, ifname: `v${v.serial}a` } as Record<string, unknown> & { at: string },
      b: { at: eb.at, ifname: `v${v.serial}b` } as Record<string, unknown> & { at: string },
    };
    input.veths.push(el as NonNullable<DesignInput['veths']>[number]);
    for (const x of [ea, eb]) {
      const side = el[x.end];
      ifaces.push({
        node: x.node, scope: x.scope, ifname: `v${v.serial}${x.end}`, port: x.port, addr: !x.port && x.e.addr, hostNo: x.e.hostNo,
        set: (f) => Object.assign(side, f),
      });
      if (!x.port) mtuOfNode.set(x.node, v.mtu);
    }
  }

  // L2 segments: union-find over bridges and non-port veth ends, joined by each veth.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const order = (x: string): number => {
    const m = /^(b|v)(\d+)(?:\.(a|b))?$/.exec(x)!;
    return m[1] === 'b' ? Number(m[2]) : 1000 + Number(m[2]) * 2 + (m[3] === 'b' ? 1 : 0);
  };
  const union = (x: string, y: string): void => {
    const [rx, ry] = [find(x), find(y)];
    if (rx === ry) return;
    if (order(rx) < order(ry)) parent.set(ry, rx);
    else parent.set(rx, ry);
  };
  for (const i of ifaces) if (!parent.has(i.node)) parent.set(i.node, i.node);
  for (const v of input.veths) {
    const [a, b] = ifaces.filter((i) => i.ifname === v.a.ifname || i.ifname === v.b.ifname);
    union(a!.node, b!.node);
  }
  // A segment's subnet is named after its first element (so it is stable across edits).
  const subnetOf = (leader: string): number => {
    const o = order(leader);
    return o < 1000 ? 1 + o : 100 + (o - 1000);
  };
  const used = new Map<string, Set<number>>();
  const addrs: { scope: string; segment: string; ip: string }[] = [];
  for (const i of ifaces) {
    const seg = find(i.node);
    const m = mtuOfNode.get(seg) ?? null;
    const fields: { addresses?: string[]; mtu?: number } = {};
    if (m !== null) fields.mtu = m;
    if (i.addr) {
      const taken = used.get(seg) ?? new Set<number>();
      used.set(seg, taken);
      let h = i.hostNo;
      while (taken.has(h)) h = h >= 250 ? 2 : h + 1;
      taken.add(h);
      const ip = `10.${subnetOf(seg)}.0.${h}`;
      fields.addresses = [`${ip}/24`];
      addrs.push({ scope: i.scope, segment: seg, ip });
    }
    i.set(fields);
  }
  const subnets = [...new Set(ifaces.map((i) => find(i.node)))].sort((x, y) => order(x) - order(y)).map((seg) => `10.${subnetOf(seg)}.0.0/24`);

  const scopeIfaces = (scope: string) => ifaces.filter((i) => i.scope === scope && !i.port);
  const neighbours = (scope: string) => {
    const mine = addrs.filter((a) => a.scope === scope);
    const segs = new Set(mine.map((a) => a.segment));
    const own = new Set(mine.map((a) => a.ip));
    return addrs.filter((a) => segs.has(a.segment) && !own.has(a.ip)).map((a) => a.ip);
  };

  for (const r of spec.routes) {
    const scope = scopeId(r.place);
    if (!scope) continue;
    const list = routesOf.get(scope) ?? [];
    const route: { to: string; via?: string; dev?: string; metric?: number } = { to: '' };
    if (r.kind === 'dev') {
      const i = pick(scopeIfaces(scope), r.pick);
      if (!i) continue;
      route.to = `172.17.${r.serial}.0/24`;
      route.dev = i.ifname;
    } else {
      // The sandbox root keeps its own default route (the uplink's): finding 3 has its own test.
      if (r.kind === 'default' && scope === HOST_ID) continue;
      const via = pick(neighbours(scope), r.pick);
      if (!via) continue;
      route.to = r.kind === 'default' ? 'default' : `172.16.${r.serial}.0/24`;
      route.via = via;
    }
    if (r.metric !== null) route.metric = r.metric;
    if (list.some((x) => x.to === route.to && x.metric === route.metric)) continue;
    list.push(route);
    routesOf.set(scope, list);
  }

  const allIps = addrs.map((a) => a.ip);
  for (const m of spec.masquerades) {
    const at = scopeId(m.place);
    const source = pick(subnets, m.pick);
    if (!at || !source) continue;
    const el: NonNullable<DesignInput['masquerades']>[number] = { id: `m${m.serial}`, name: `nat ${m.serial}`, at, source };
    if (m.egress === 'nic' && at === HOST_ID) el.egress = HOST_NIC;
    if (m.egress === 'iface') {
      const i = pick(scopeIfaces(at), m.pick);
      if (i) el.egress = i.ifname;
    }
    input.masquerades.push(el);
    routers.add(at);
  }
  for (const p of spec.portForwards) {
    const at = scopeId(p.place);
    const to = pick(allIps, p.pick);
    if (!at || !to) continue;
    const el: NonNullable<DesignInput['portForwards']>[number] = {
      id: `p${p.serial}`, name: `publish ${p.serial}`, at, protocol: p.protocol, port: 8000 + p.serial, to, hostLocal: p.hostLocal,
    };
    if (p.toPort !== null) el.toPort = p.toPort;
    if (p.ingress) {
      const ingress = at === HOST_ID ? HOST_NIC : pick(scopeIfaces(at), p.pick)?.ifname;
      if (ingress) el.ingress = ingress;
    }
    input.portForwards.push(el);
    routers.add(at);
  }
  for (const p of spec.policies) {
    const at = scopeId(p.place);
    const protects = pick(subnets, p.pick);
    if (!at || !protects) continue;
    input.policies.push({
      id: `f${p.serial}`,
      name: `policy ${p.serial}`,
      at,
      protects: [protects],
      defaultAction: p.defaultAction,
      allowEstablished: p.allowEstablished,
      rules: p.rules.map((r) => ({
        ...(r.from === null ? {} : { from: pick(subnets, r.from)! }),
        protocol: r.protocol,
        ...(r.ports === null ? {} : { ports: r.ports }),
        action: r.action,
      })),
    });
    routers.add(at);
  }

  input.hosts.push({
    id: HOST_ID,
    name: HOST_ID,
    target: { kind: 'sandbox' },
    nics: [{ name: HOST_NIC }],
    routes: routesOf.get(HOST_ID) ?? [],
    sysctls: spec.hostForward || routers.has(HOST_ID) ? { ipForward: true, interfaces: [] } : { interfaces: [] },
  });
  for (const n of spec.namespaces) {
    const id = `n${n.serial}`;
    input.namespaces.push({
      id,
      name: `ns${n.serial}`,
      host: HOST_ID,
      routes: routesOf.get(id) ?? [],
      sysctls: n.forward || routers.has(id) ? { ipForward: true } : {},
    });
  }
  return DesignSchema.parse(input);
}

/** Why a built design is not one the property uses (null when it is). */
export function unusable(design: Design): string | null {
  const r = compile(design);
  if (!r.ok) return `does not compile: ${r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`;
  // A bridge loop without STP floods forever (IPv6 router solicitations are enough).
  if (r.diagnostics.some((d) => d.rule === 'l2-loop')) return 'closes an L2 loop';
  return null;
}

/** A compact one-line-per-element rendering of a design, for failure reports. */
export function describeDesign(d: Design): string {
  const lines: string[] = [];
  const h = d.hosts[0]!;
  lines.push(`host ${h.id}: ipForward=${String(h.sysctls.ipForward ?? false)} routes=${JSON.stringify(h.routes)}`);
  for (const n of d.namespaces) lines.push(`netns ${n.name} (${n.id}): ipForward=${String(n.sysctls.ipForward ?? false)} routes=${JSON.stringify(n.routes)}`);
  for (const b of d.bridges) lines.push(`bridge ${b.ifname} at ${b.at} addr=${JSON.stringify(b.addresses)} mtu=${b.mtu ?? '-'}`);
  for (const v of d.veths) {
    const end = (e: typeof v.a) => `${e.ifname}@${e.at} ${JSON.stringify(e.addresses)} mtu=${e.mtu ?? '-'}`;
    lines.push(`veth ${v.id}: ${end(v.a)} <-> ${end(v.b)}`);
  }
  for (const m of d.masquerades) lines.push(`masquerade ${m.id} at ${m.at}: ${m.source} egress=${m.egress ?? '*'}`);
  for (const p of d.portForwards) lines.push(`portForward ${p.id} at ${p.at}: ${p.protocol}/${p.port} -> ${p.to}:${p.toPort ?? p.port} ingress=${p.ingress ?? '*'} hostLocal=${String(p.hostLocal)}`);
  for (const p of d.policies) lines.push(`policy ${p.id} at ${p.at}: protects ${p.protects.join(',')} default=${p.defaultAction} est=${String(p.allowEstablished)} rules=${JSON.stringify(p.rules)}`);
  return lines.join('\n');
}

/**
 * Snapshot right after `up`: waits (bounded) for linkwatch to catch up with carrier
 * changes, since a link-local address and its routes appear only then, but not for IPv6
 * DAD (link-local addresses are normalized away, and DAD takes up to ~2 s per link).
 */
export const snapshotAfterUp = (sb: Sandbox): Promise<Snapshot> => snapshot(sb, { iptables: false, waitForDad: false });

/** Two hosts' states as comparable: portable, and without the IPv6 link-local local-table routes (they appear when DAD ends, not by a design's doing). */
export function comparable(s: Snapshot): Snapshot {
  const p = portableSnapshot(s);
  for (const ns of Object.values(p.namespaces)) ns.routes = ns.routes.filter((r) => !(r.dst === 'fe80::(link-local)' && r.type === 'local'));
  return p;
}
