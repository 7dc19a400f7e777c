// Import: a design built from a host's observed state. Namespaces, bridges, veth pairs
// (matched across namespaces by peer ifindex + link-netnsid), macvlan/ipvlan, VLAN and
// VXLAN interfaces, addresses, routes, forwarding sysctls, and the NAT / port-forward /
// policy rules import understands (nft and iptables). Whatever cannot be modelled is
// listed in the notes with the reason; nothing is dropped silently. Host data (names,
// aliases, rule text) only ever appears in notes as quoted text, and only names that pass
// the design's allowlists become part of the design.
//
// Pure and total: never throws; the result is validated and the diagnostics returned.
import { CURRENT_VERSION, type Bridge, type Design, type Host, type Macvlan, type Masquerade, type Namespace, type Policy, type PortForward, type Route, type Veth, type VethEnd, type Vlan, type Vxlan } from '../model/schema';
import { isIfname, NETNS_NAME } from '../model/identifiers';
import type { Diagnostic } from '../validation/diagnostic';
import { validate } from '../validation/validate';
import { resolveLinkPeer } from './host';
import { importFirewall } from './import-firewall';
import { IdAllocator, isDesignTag, parseOwnerTag } from './import-ids';
import { importLayout } from './import-layout';
import type { ObservedHost, ObservedLink, ObservedNamespace, ObservedRoute } from './types';

export interface ImportOptions {
  /** Design name (default "Imported from <host name>"). */
  name?: string;
  /** Design tag (default: the tag of Wireplan objects found on the host, else "imported"). */
  tag?: string;
  hostId?: string;
  hostName?: string;
  target?: Host['target'];
  /** The address the host was reached at: the NIC holding it is marked as management. */
  managementAddress?: string;
  /** Root interfaces to take as the host's NICs whatever their kind (e.g. a veth uplink). */
  nics?: readonly string[];
  /** Namespaces to leave out (named in a note); a root veth into one is taken as a NIC. */
  skipNamespaces?: readonly string[];
}

export interface ImportNote {
  level: 'info' | 'warning';
  message: string;
}

export interface ImportResult {
  design: Design;
  notes: ImportNote[];
  /** Validation of the imported design (errors mean it needs editing before use). */
  diagnostics: Diagnostic[];
  /** What was imported, by kind (for the CLI summary). */
  counts: Record<string, number>;
}

const q = (s: string) => JSON.stringify(s);
const DEFAULT_MTU = 1500;

function nsLabel(ns: string): string {
  return ns === '' ? 'the root namespace' : `netns ${q(ns)}`;
}

function mostCommonTag(host: ObservedHost): string | undefined {
  const counts = new Map<string, number>();
  for (const ns of host.namespaces) {
    for (const l of ns.links) {
      const t = parseOwnerTag(l.alias);
      if (t) counts.set(t.tag, (counts.get(t.tag) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

class Importer {
  readonly notes: ImportNote[] = [];
  readonly ids = new IdAllocator();
  readonly tag: string;
  readonly hostId: string;
  readonly nsIds = new Map<string, string>();
  /** "ns\0ifname" -> element id (+ end) of interfaces that were imported. */
  readonly imported = new Map<string, string>();
  /** "ns\0ifname" handled (imported or explained): nothing more to say about it. */
  readonly handled = new Set<string>();
  readonly bridgeIds = new Map<string, string>();
  readonly nics: Host['nics'] = [];
  readonly namespaces: Namespace[] = [];
  readonly bridges: Bridge[] = [];
  readonly veths: Veth[] = [];
  readonly macvlans: Macvlan[] = [];
  readonly vlans: Vlan[] = [];
  readonly vxlans: Vxlan[] = [];
  readonly masquerades: Masquerade[] = [];
  readonly portForwards: PortForward[] = [];
  readonly policies: Policy[] = [];
  hostRoutes: Route[] = [];
  hostSysctls: Host['sysctls'] = { interfaces: [] };

  constructor(
    readonly host: ObservedHost,
    readonly opts: ImportOptions,
  ) {
    const found = mostCommonTag(host);
    this.tag = opts.tag ?? (found && isDesignTag(found) ? found : 'imported');
    this.hostId = opts.hostId ?? 'host';
    this.ids.claim(this.hostId);
  }

  warn(message: string): void {
    this.notes.push({ level: 'warning', message });
  }

  info(message: string): void {
    this.notes.push({ level: 'info', message });
  }

  key(ns: string, ifname: string): string {
    return `${ns}\u0000${ifname}`;
  }

  place(ns: string): string | undefined {
    return ns === '' ? this.hostId : this.nsIds.get(ns);
  }

  tagged(l: ObservedLink): { id: string; end?: 'a' | 'b' } | undefined {
    const t = parseOwnerTag(l.alias);
    return t && t.tag === this.tag ? t : undefined;
  }

  addresses(ns: ObservedNamespace, l: ObservedLink): string[] {
    const out: string[] = [];
    for (const a of ns.addresses) {
      if (a.ifname !== l.ifname) continue;
      if (a.family === 6 && a.scope === 'link') continue;
      if (l.kind === 'loopback' || a.scope === 'host') continue;
      if (a.flags.includes('dynamic')) {
        this.info(`${nsLabel(ns.name)}: dynamic address ${a.cidr} on ${q(l.ifname)} (DHCP/SLAAC) not imported`);
        continue;
      }
      out.push(a.cidr);
    }
    return out;
  }

  mtu(l: ObservedLink): { mtu?: number } {
    return l.mtu !== undefined && l.mtu !== DEFAULT_MTU ? { mtu: l.mtu } : {};
  }

  usableName(ns: ObservedNamespace, l: ObservedLink): boolean {
    if (isIfname(l.ifname)) return true;
    this.warn(`${nsLabel(ns.name)}: interface ${q(l.ifname)} (${l.infoKind ?? l.kind}) has a name a design cannot use (letters, digits, "_", ".", "-", at most 15 bytes); not imported`);
    this.handled.add(this.key(ns.name, l.ifname));
    return false;
  }

  run(): void {
    const root = this.host.namespaces.find((n) => n.name === '');
    if (!root) this.warn('the root namespace was not observed: host NICs, routes and firewall are missing from the import');
    for (const w of this.host.warnings) this.warn(`observation: ${w}`);
    this.importNamespaces();
    for (const ns of this.readable()) this.importBridges(ns);
    for (const ns of this.readable()) for (const l of ns.links) if (l.kind === 'veth') this.importVeth(ns, l);
    if (root) this.importNics(root);
    for (const ns of this.readable()) this.importOthers(ns);
    for (const ns of this.readable()) this.importRoutesAndSysctls(ns);
    for (const ns of this.readable()) this.importFirewall(ns);
    for (const ns of this.readable()) this.leftovers(ns);
  }

  readable(): ObservedNamespace[] {
    return this.host.namespaces.filter((n) => n.observed.links && (n.name === '' || this.nsIds.has(n.name)));
  }

  importNamespaces(): void {
    for (const ns of this.host.namespaces) {
      if (ns.name === '') continue;
      if (this.opts.skipNamespaces?.includes(ns.name)) {
        this.info(`namespace ${q(ns.name)} left out as asked`);
        continue;
      }
      if (!NETNS_NAME.test(ns.name)) {
        this.warn(`namespace ${q(ns.name)}: the name is not allowed in a design (letters, digits, "_", ".", "-", at most 32); not imported with its contents`);
        continue;
      }
      if (!ns.observed.links) {
        this.warn(`namespace ${q(ns.name)} could not be read; not imported${ns.warnings.length ? ` (${ns.warnings[0]})` : ''}`);
        continue;
      }
      const lo = ns.links.find((l) => l.ifname === 'lo');
      const id = this.ids.pick(lo ? this.tagged(lo)?.id : undefined, ns.name, 'ns');
      this.nsIds.set(ns.name, id);
      const n: Namespace = { id, name: ns.name, host: this.hostId, loopback: lo?.up ?? true, routes: [], sysctls: {}, programs: [] };
      this.namespaces.push(n);
    }
  }

  importBridges(ns: ObservedNamespace): void {
    for (const l of ns.links) {
      if (l.kind !== 'bridge' || !this.usableName(ns, l)) continue;
      const id = this.ids.pick(this.tagged(l)?.id, l.ifname, 'br');
      const b: Bridge = {
        id,
        name: l.ifname,
        at: this.place(ns.name)!,
        ifname: l.ifname,
        addresses: this.addresses(ns, l),
        ...this.mtu(l),
        up: l.up,
        stp: (l.bridge?.stpState ?? 0) !== 0,
        vlanFiltering: l.bridge?.vlanFiltering ?? false,
        nics: [],
      };
      if (b.vlanFiltering) this.info(`bridge ${q(l.ifname)} in ${nsLabel(ns.name)} filters VLANs: port VLAN membership is not imported`);
      this.bridges.push(b);
      this.bridgeIds.set(this.key(ns.name, l.ifname), id);
      this.imported.set(this.key(ns.name, l.ifname), id);
      this.handled.add(this.key(ns.name, l.ifname));
    }
  }

  /** `at` for an interface: its bridge when it is a port of one we imported, else its namespace. */
  atOf(ns: ObservedNamespace, l: ObservedLink, what: string): string {
    if (l.master !== undefined) {
      const br = this.bridgeIds.get(this.key(ns.name, l.master));
      if (br) return br;
      this.warn(`${what} is enslaved to ${q(l.master)}, which is not an imported bridge; imported without its master`);
    }
    return this.place(ns.name)!;
  }

  importVeth(ns: ObservedNamespace, l: ObservedLink): void {
    const k = this.key(ns.name, l.ifname);
    if (this.handled.has(k)) return;
    if (ns.name === '' && this.opts.nics?.includes(l.ifname)) return; // a NIC by request (importNics)
    const peer = resolveLinkPeer(this.host, ns, l);
    if (!peer) {
      if (ns.name === '') return; // a root veth whose peer is elsewhere: a NIC (importNics)
      this.handled.add(k);
      this.warn(`veth ${q(l.ifname)} in ${nsLabel(ns.name)}: its peer is in a namespace that is not observed (no name under /run/netns?); not imported`);
      return;
    }
    const pk = this.key(peer.namespace.name, peer.link.ifname);
    if (peer.namespace.name === '' && this.opts.nics?.includes(peer.link.ifname)) {
      this.handled.add(k);
      this.warn(`veth ${q(l.ifname)} in ${nsLabel(ns.name)}: its peer ${q(peer.link.ifname)} is taken as a NIC; not imported`);
      return;
    }
    if (!this.place(peer.namespace.name)) {
      // The root end of a veth into a namespace that is not imported: the host's uplink.
      if (ns.name === '') return;
      this.handled.add(k);
      if (peer.namespace.name !== '') this.handled.add(pk);
      this.warn(`veth ${q(l.ifname)} in ${nsLabel(ns.name)}: its peer is in ${nsLabel(peer.namespace.name)}, which is not imported; not imported`);
      return;
    }
    this.handled.add(k);
    this.handled.add(pk);
    if (!this.usableName(ns, l) || !this.usableName(peer.namespace, peer.link)) {
      this.warn(`veth pair ${q(l.ifname)} (${nsLabel(ns.name)}) - ${q(peer.link.ifname)} (${nsLabel(peer.namespace.name)}) not imported: a name is not allowed`);
      return;
    }
    let a = { ns, link: l };
    let b = { ns: peer.namespace, link: peer.link };
    const ta = this.tagged(l);
    const tb = this.tagged(peer.link);
    if (ta?.end === 'b' || tb?.end === 'a') [a, b] = [b, a];
    else if (!ta && !tb) {
      // The namespace side first (a), the bridge/root side second (b), as designs draw it.
      const score = (x: { ns: ObservedNamespace; link: ObservedLink }) => (x.ns.name === '' ? 2 : 0) + (x.link.master !== undefined ? 1 : 0);
      if (score(a) > score(b) || (score(a) === score(b) && a.ns.name > b.ns.name)) [a, b] = [b, a];
    }
    const tagId = ta && tb && ta.id === tb.id ? ta.id : undefined;
    const label = (x: { ns: ObservedNamespace; link: ObservedLink }) => `${x.ns.name === '' ? 'host' : x.ns.name}:${x.link.ifname}`;
    const name = `${label(a)} - ${label(b)}`.slice(0, 64);
    const id = this.ids.pick(tagId, `${a.ns.name || 'host'}-${a.link.ifname}`, 'veth');
    const end = (x: { ns: ObservedNamespace; link: ObservedLink }): VethEnd => ({
      at: this.atOf(x.ns, x.link, `veth end ${q(x.link.ifname)} in ${nsLabel(x.ns.name)}`),
      ifname: x.link.ifname,
      addresses: this.addresses(x.ns, x.link),
      ...this.mtu(x.link),
      up: x.link.up,
    });
    this.veths.push({ id, name, a: end(a), b: end(b) });
    this.imported.set(this.key(a.ns.name, a.link.ifname), `${id}.a`);
    this.imported.set(this.key(b.ns.name, b.link.ifname), `${id}.b`);
  }

  importNics(root: ObservedNamespace): void {
    for (const l of root.links) {
      const k = this.key('', l.ifname);
      if (this.handled.has(k) || l.kind === 'loopback') continue;
      const isNic = l.kind === 'physical' || this.opts.nics?.includes(l.ifname) === true || l.kind === 'veth';
      if (!isNic) continue;
      this.handled.add(k);
      if (!isIfname(l.ifname)) {
        this.warn(`NIC ${q(l.ifname)}: the name cannot be used in a design; not imported`);
        continue;
      }
      const management = this.opts.managementAddress !== undefined && root.addresses.some((a) => a.ifname === l.ifname && a.local === this.opts.managementAddress);
      this.nics.push({ name: l.ifname, management, ...(l.mtu !== undefined && l.mtu !== DEFAULT_MTU ? { mtu: l.mtu } : {}) });
      if (l.kind === 'veth') this.info(`${q(l.ifname)} is a veth whose peer is outside the imported namespaces (a container or lab uplink): imported as a NIC`);
      else if (l.kind !== 'physical') this.info(`${q(l.ifname)} (${l.infoKind ?? l.kind}) imported as a NIC, as asked`);
      const addrs = this.addresses(root, l);
      if (addrs.length) this.info(`NIC ${q(l.ifname)} has ${addrs.join(', ')}: NIC addresses are the host's own configuration, not part of a design`);
      if (l.master !== undefined) {
        const br = this.bridgeIds.get(this.key('', l.master));
        const bridge = br ? this.bridges.find((b) => b.id === br) : undefined;
        if (bridge) bridge.nics.push(l.ifname);
        else this.warn(`NIC ${q(l.ifname)} is enslaved to ${q(l.master)}, which is not an imported bridge`);
      }
    }
  }

  parentOf(ns: ObservedNamespace, l: ObservedLink, what: string): string | undefined {
    const p = resolveLinkPeer(this.host, ns, l);
    if (!p) {
      this.warn(`${what}: its parent device could not be found; not imported`);
      return undefined;
    }
    if (p.namespace.name !== '') {
      this.warn(`${what}: its parent ${q(p.link.ifname)} is in ${nsLabel(p.namespace.name)}, but a design puts parents on the host's NICs; not imported`);
      return undefined;
    }
    if (!this.nics.some((n) => n.name === p.link.ifname)) {
      this.warn(`${what}: its parent ${q(p.link.ifname)} is not a NIC of the host; not imported`);
      return undefined;
    }
    return p.link.ifname;
  }

  importOthers(ns: ObservedNamespace): void {
    for (const l of ns.links) {
      const k = this.key(ns.name, l.ifname);
      if (this.handled.has(k) || l.kind === 'loopback' || l.ifname === 'lo') continue;
      const what = `${l.infoKind ?? l.kind} ${q(l.ifname)} in ${nsLabel(ns.name)}`;
      if (l.kind !== 'macvlan' && l.kind !== 'ipvlan' && l.kind !== 'vxlan' && l.kind !== 'vlan') continue;
      this.handled.add(k);
      if (!this.usableName(ns, l)) continue;
      const at = this.place(ns.name)!;
      const tagged = this.tagged(l)?.id;
      if (l.kind === 'macvlan' || l.kind === 'ipvlan') {
        const parent = this.parentOf(ns, l, what);
        if (parent === undefined) continue;
        const mode = l.kind === 'macvlan' ? (l.macvlan?.mode ?? 'bridge') : (l.ipvlan?.mode ?? 'l2');
        const allowed = l.kind === 'macvlan' ? ['bridge', 'private', 'vepa', 'passthru'] : ['l2', 'l3', 'l3s'];
        if (!allowed.includes(mode)) {
          this.warn(`${what}: mode ${q(mode)} is not supported by designs; not imported`);
          continue;
        }
        const id = this.ids.pick(tagged, l.ifname, 'mv');
        this.macvlans.push({ id, name: l.ifname, kind: l.kind, at, parent, mode: mode as Macvlan['mode'], ifname: l.ifname, addresses: this.addresses(ns, l), ...this.mtu(l), up: l.up });
        this.imported.set(k, id);
        if (l.master !== undefined) this.warn(`${what} is enslaved to ${q(l.master)}: not modelled for ${l.kind} interfaces`);
      } else if (l.kind === 'vlan') {
        const parent = this.parentOf(ns, l, what);
        if (parent === undefined || l.vlan?.id === undefined) continue;
        const id = this.ids.pick(tagged, l.ifname, 'vlan');
        const bridge = l.master !== undefined ? this.bridgeIds.get(this.key(ns.name, l.master)) : undefined;
        this.vlans.push({ id, name: l.ifname, parent, vlanId: l.vlan.id, at, ifname: l.ifname, addresses: this.addresses(ns, l), ...this.mtu(l), up: l.up, ...(bridge ? { bridge } : {}) });
        this.imported.set(k, id);
      } else {
        const v = l.vxlan;
        if (v?.id === undefined) {
          this.warn(`${what}: no VNI in the observation; not imported`);
          continue;
        }
        const id = this.ids.pick(tagged, l.ifname, 'vx');
        const bridge = l.master !== undefined ? this.bridgeIds.get(this.key(ns.name, l.master)) : undefined;
        if (l.master !== undefined && !bridge) this.warn(`${what} is enslaved to ${q(l.master)}, which is not an imported bridge`);
        const x: Vxlan = {
          id,
          name: l.ifname,
          at,
          vni: v.id,
          port: v.port ?? 4789,
          learning: true,
          ifname: l.ifname,
          addresses: this.addresses(ns, l),
          ...this.mtu(l),
          up: l.up,
          ...(v.remote !== undefined ? { remote: v.remote } : {}),
          ...(v.group !== undefined ? { group: v.group } : {}),
          ...(v.local !== undefined ? { local: v.local } : {}),
          ...(v.dev !== undefined ? { dev: v.dev } : {}),
          ...(bridge ? { bridge } : {}),
        };
        this.vxlans.push(x);
        this.imported.set(k, id);
        this.info(`${what}: learning on/off is not observed; imported with learning on`);
      }
    }
  }

  routeOf(ns: ObservedNamespace, r: ObservedRoute): Route | undefined {
    const where = `${nsLabel(ns.name)}: route ${r.dstRaw}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev !== undefined ? ` dev ${q(r.dev)}` : ''}`;
    if (r.table !== 'main') return undefined;
    if (r.protocol === 'kernel') return undefined; // follows from an address
    if (r.type !== 'unicast') {
      this.warn(`${where}: a ${r.type} route is not modelled`);
      return undefined;
    }
    if (r.protocol === 'ra' || r.protocol === 'dhcp' || r.protocol === 'redirect') {
      this.info(`${where}: learned (${r.protocol}); not imported`);
      return undefined;
    }
    if (r.nexthops && r.nexthops.length > 0) {
      this.warn(`${where}: multipath routes are not modelled`);
      return undefined;
    }
    if (r.dev !== undefined && r.dev !== 'lo' && !this.imported.has(this.key(ns.name, r.dev)) && !(ns.name === '' && this.nics.some((n) => n.name === r.dev))) {
      if (r.gateway === undefined) {
        this.warn(`${where}: its device is not part of the imported design; not imported`);
        return undefined;
      }
    }
    const route: Route = { to: r.dst === '0.0.0.0/0' || r.dst === '::/0' ? 'default' : r.dst };
    if (r.gateway !== undefined) route.via = r.gateway;
    else if (r.dev !== undefined) route.dev = r.dev;
    const defaultMetric = r.family === 6 ? 1024 : 0;
    if (r.metric !== undefined && r.metric !== defaultMetric) route.metric = r.metric;
    return route;
  }

  importRoutesAndSysctls(ns: ObservedNamespace): void {
    const others = new Set<string>();
    const routes: Route[] = [];
    for (const r of ns.routes) {
      if (r.table !== 'main' && r.table !== 'local') others.add(r.table);
      const route = this.routeOf(ns, r);
      if (route) routes.push(route);
    }
    for (const t of others) this.warn(`${nsLabel(ns.name)}: routes in table ${q(t)} (policy routing) are not modelled`);
    const fwd = ns.sysctls['net.ipv4.ip_forward'];
    const fwd6 = ns.sysctls['net.ipv6.conf.all.forwarding'];
    if (ns.name === '') {
      this.hostRoutes = routes;
      this.hostSysctls = { interfaces: [], ...(fwd === '1' ? { ipForward: true } : {}), ...(fwd6 === '1' ? { ipv6Forward: true } : {}) };
      if (!ns.observed.sysctls) this.info('the root namespace\'s forwarding sysctls were not observed');
      return;
    }
    const n = this.namespaces.find((x) => x.name === ns.name);
    if (!n) return;
    n.routes = routes;
    n.sysctls = { ...(fwd === '1' ? { ipForward: true } : {}), ...(fwd6 === '1' ? { ipv6Forward: true } : {}) };
  }

  importFirewall(ns: ObservedNamespace): void {
    const at = this.place(ns.name);
    if (!at) return;
    const fw = importFirewall(ns);
    for (const note of fw.notes) this.warn(note);
    for (const note of fw.infos) this.info(note);
    const label = ns.name === '' ? 'host' : ns.name;
    const ifnameOk = (name: string | undefined, what: string, origin: string) => {
      if (name === undefined) return true;
      if (!isIfname(name)) {
        this.warn(`${origin}: ${what} ${q(name)} cannot be used in a design; not imported`);
        return false;
      }
      if (ns.links.some((l) => l.ifname === name)) return true;
      if (ns.name === '') {
        // A rule for an interface that is not there (yet): the design records it as a NIC.
        if (!this.nics.some((n) => n.name === name)) {
          this.nics.push({ name, management: false });
          this.info(`${origin}: ${what} ${q(name)} does not exist on the host; listed as a NIC of the host so the rule keeps its meaning`);
        }
        return true;
      }
      this.warn(`${origin}: ${what} ${q(name)} does not exist in ${nsLabel(ns.name)}; not imported`);
      return false;
    };
    for (const m of fw.masquerades) {
      if (!ifnameOk(m.egress, 'egress interface', m.origin) || !ifnameOk(m.egressExcept, 'excepted egress interface', m.origin)) continue;
      const id = this.ids.derive(`nat-${label}`, 'nat');
      const out = m.egress ? ` out of ${m.egress}` : m.egressExcept ? ` out of all but ${m.egressExcept}` : '';
      this.masquerades.push({
        id,
        name: `masquerade ${m.source}${out}`.slice(0, 64),
        at,
        source: m.source,
        ...(m.egress !== undefined ? { egress: m.egress } : {}),
        ...(m.egressExcept !== undefined ? { egressExcept: m.egressExcept } : {}),
      });
    }
    for (const p of fw.portForwards) {
      if (!ifnameOk(p.ingress, 'ingress interface', p.origin)) continue;
      const id = this.ids.derive(`fwd-${label}-${p.protocol}-${p.port}`, 'fwd');
      this.portForwards.push({
        id,
        name: `${p.protocol} ${p.port} to ${p.to}:${p.toPort ?? p.port}`.slice(0, 64),
        at,
        protocol: p.protocol,
        port: p.port,
        to: p.to,
        hostLocal: p.hostLocal,
        ...(p.toPort !== undefined ? { toPort: p.toPort } : {}),
        ...(p.listen !== undefined ? { listen: p.listen } : {}),
        ...(p.ingress !== undefined ? { ingress: p.ingress } : {}),
      });
    }
    for (const p of fw.policies) {
      // A rule naming an interface the namespace does not have is left out (and said so).
      const rules = p.rules.filter((r) => ifnameOk(r.in, 'in-interface', p.origin) && ifnameOk(r.out, 'out-interface', p.origin));
      const id = this.ids.derive(`policy-${label}`, 'policy');
      this.policies.push({ id, name: `forwarding policy (${p.protects.join(', ')})`.slice(0, 64), at, protects: p.protects, defaultAction: p.defaultAction, allowEstablished: p.allowEstablished, rules });
    }
  }

  leftovers(ns: ObservedNamespace): void {
    for (const l of ns.links) {
      if (l.alias !== undefined && !parseOwnerTag(l.alias) && this.imported.has(this.key(ns.name, l.ifname))) {
        this.info(`${nsLabel(ns.name)}: the alias of ${q(l.ifname)} (${q(l.alias)}) is not imported (Wireplan writes its own ownership tag there)`);
      }
    }
    for (const l of ns.links) {
      const k = this.key(ns.name, l.ifname);
      if (this.handled.has(k) || l.kind === 'loopback' || l.ifname === 'lo') continue;
      this.handled.add(k);
      if (l.kind === 'physical' && ns.name !== '') this.warn(`NIC ${q(l.ifname)} was moved into ${nsLabel(ns.name)}: not modelled`);
      else this.warn(`${l.infoKind ?? l.kind} interface ${q(l.ifname)} in ${nsLabel(ns.name)} is not modelled by designs; not imported`);
    }
  }

  design(): Design {
    const target: Host['target'] = this.opts.target ?? { kind: 'sandbox' };
    const hostName = this.opts.hostName ?? (target.kind === 'ssh' ? target.address : 'sandbox');
    const host: Host = { id: this.hostId, name: hostName.slice(0, 64), target, nics: this.nics, routes: this.hostRoutes, sysctls: this.hostSysctls };
    const d = {
      hosts: [host],
      namespaces: this.namespaces,
      bridges: this.bridges,
      macvlans: this.macvlans,
      vlans: this.vlans,
      vxlans: this.vxlans,
      masquerades: this.masquerades,
      portForwards: this.portForwards,
      policies: this.policies,
    };
    return {
      wireplan: CURRENT_VERSION,
      tag: this.tag,
      name: (this.opts.name ?? `Imported from ${hostName}`).slice(0, 128),
      description: `Imported by Wireplan from the observed state of ${hostName}.`,
      ...d,
      veths: this.veths,
      layout: importLayout(d),
    };
  }
}

export function importDesign(host: ObservedHost, opts: ImportOptions = {}): ImportResult {
  const im = new Importer(host, opts);
  try {
    im.run();
  } catch (e) {
    im.warn(`internal import error: ${e instanceof Error ? e.message : String(e)}; the design may be incomplete`);
  }
  const design = im.design();
  let diagnostics: Diagnostic[] = [];
  try {
    diagnostics = validate(design);
  } catch (e) {
    diagnostics = [{ rule: 'internal', severity: 'error', message: `validation failed: ${e instanceof Error ? e.message : String(e)}` } as Diagnostic];
  }
  const counts = {
    namespaces: design.namespaces.length,
    bridges: design.bridges.length,
    veths: design.veths.length,
    macvlans: design.macvlans.length,
    vlans: design.vlans.length,
    vxlans: design.vxlans.length,
    masquerades: design.masquerades.length,
    portForwards: design.portForwards.length,
    policies: design.policies.length,
    routes: design.namespaces.reduce((s, n) => s + n.routes.length, design.hosts[0]!.routes.length),
  };
  return { design, notes: im.notes, diagnostics, counts };
}
