// compile(design) -> per-host plans. Total: a design with validation errors yields the
// diagnostics and no plan; it never throws. Deterministic: the same design gives a
// byte-identical plan (element order = document order, no clocks, no randomness).
import { parseAddress, parsePrefix, formatPrefix, formatNetwork, formatAddress } from '../net/ip';
import type { Bridge, Design, Host, Macvlan, Namespace, PortForward, Program, Route, Veth, VethEnd, Vlan, Vxlan } from '../model/schema';
import { DesignIndex, type Placement } from '../model/topology';
import type { Diagnostic } from '../validation/diagnostic';
import { validateWithContext } from '../validation/validate';
import { shellCommand } from '../export/quote';
import { rememberStepTable, stepTable } from '../export/step-table';
import { sha256Hex } from '../util/sha256';
import { WIREPLAN_VERSION } from '../version';
import { hostPlanDigest } from './digest';
import { describeImpair, qdiscPlan } from './impair';
import { nameTable, resolveNames, type ResolvedName } from './names';
import { hasFirewall, nftRuleset, portForwardLink, routeLocalnetKey, servesLoopback, type RouterFirewall, type RouterLink, type TargetLink } from './nft';
import type { Argv, Command, HostPlan, LinkProps, LinkRef, NameMapping, Plan, Probe, Step } from './plan';
import { programDigest, programStartArgv } from './program';
import { planStitching, stitchOwner, underlayFamily, VXLAN_OVERHEAD, type StitchedSegment, type Stitching, type TunnelEnd } from './stitch';

export type CompileResult = { ok: true; plan: Plan; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function ownerTag(tag: string, elementId: string, end?: 'a' | 'b'): string {
  return `wireplan:${tag}:${elementId}${end ? `.${end}` : ''}`;
}

export function firewallTable(tag: string): string {
  return `wp_${tag}`;
}

const cmd = (ns: string, argv: Argv): Command => ({ ns, argv });

interface LinkOpts {
  mtu?: number | undefined;
  mac?: string | undefined;
}
const NO_OPTS: readonly string[] = [];
const linkOpts = (o: LinkOpts): readonly string[] =>
  o.mtu || o.mac ? [...(o.mtu ? ['mtu', String(o.mtu)] : []), ...(o.mac ? ['address', o.mac.toLowerCase()] : [])] : NO_OPTS;

/** The kernel's MTU for a new veth end or a bridge without ports: what "no MTU designed" gives. */
export const DEFAULT_MTU = 1500;

/** The properties a probe checks: the designed MTU (or `defaultMtu`) and MAC. */
function linkProps(o: LinkOpts, defaultMtu?: number): LinkProps {
  const props: LinkProps = {};
  const mtu = o.mtu || defaultMtu;
  if (mtu) props.mtu = mtu;
  if (o.mac) props.mac = o.mac.toLowerCase();
  return props;
}

/** sysctl keys in slash form, so interface names containing dots stay unambiguous. */
export const sysctlKeys = {
  ipForward: 'net/ipv4/ip_forward',
  ipv6Forward: 'net/ipv6/conf/all/forwarding',
  iface: (ifname: string, key: 'forwarding' | 'proxy_arp') => `net/ipv4/conf/${ifname}/${key}`,
};

/** An interface element on the host being compiled: where it lives and its kernel name. */
interface Placed<E> {
  el: E;
  ns: string;
  ifname: string;
}

interface PlacedEnd {
  end: 'a' | 'b';
  spec: VethEnd;
  ns: string;
  ifname: string;
  /** Set when the end is a port of this bridge. */
  bridge: Bridge | undefined;
  /** Kernel name of the bridge the end is a port of here (the bridge's stretch on another host). */
  master: string | undefined;
}

interface PlacedVeth {
  v: Veth;
  ends: [PlacedEnd, PlacedEnd];
}

class HostCompiler {
  /**
   * Steps grouped by the namespace their commands run in: all root-namespace work first,
   * then each namespace's work together. The runtime sends each group to one
   * `ip -batch` process, so a namespace costs one process instead of one per command.
   */
  private readonly buckets = new Map<string, Step[]>([['', []]]);
  private readonly ids = new Set<string>();
  private readonly ourNamespaces: Set<string>;
  /** netns name -> id of the step that creates it (the cover of everything inside). */
  private readonly netnsStep = new Map<string, string>();
  /** "ns\0ifname" -> id of the step that creates that interface. */
  private readonly linkSteps = new Map<string, string>();
  readonly restoredSysctls: string[] = [];

  constructor(
    private readonly design: Design,
    private readonly index: DesignIndex,
    private readonly names: Map<string, ResolvedName>,
    private readonly host: Host,
    private readonly stitching: Stitching,
  ) {
    this.ourNamespaces = new Set(design.namespaces.filter((n) => n.host === host.id).map((n) => n.name));
    for (const ns of this.ourNamespaces) {
      this.buckets.set(ns, []);
      this.netnsStep.set(ns, `netns:root:${ns}`);
    }
  }

  get steps(): Step[] {
    const steps: Step[] = [];
    for (const bucket of this.buckets.values()) for (const step of bucket) steps.push(step);
    return steps;
  }

  private owner(id: string, end?: 'a' | 'b'): string {
    return ownerTag(this.design.tag, id, end);
  }

  /**
   * Anything inside a namespace this plan creates is undone by deleting the namespace.
   * (Built without rest/spread/Set: this runs for every step.)
   */
  private nsCover(ns: string, other?: string): string[] {
    const cover: string[] = [];
    const own = this.netnsStep.get(ns);
    if (own !== undefined) cover.push(own);
    const peer = other === undefined || other === ns ? undefined : this.netnsStep.get(other);
    if (peer !== undefined) cover.push(peer);
    return cover;
  }

  /** Steps whose undo removes the interface (and with it its addresses, routes, state). */
  private ifCover(ns: string, ifname: string): string[] {
    const cover = this.nsCover(ns);
    const link = this.linkSteps.get(`${ns}\0${ifname}`);
    if (link) cover.push(link);
    return cover;
  }

  private onHost(p: Placement | undefined): p is Placement {
    return p?.host.id === this.host.id;
  }

  private add(step: Omit<Step, 'id'> & { object: string }): string {
    // Named after where the object lives (a macvlan is created from the root namespace
    // but lives in its own), so two namespaces' "eth0" never collide.
    const where = 'ns' in step.probe ? step.probe.ns : step.ns;
    const id = `${step.kind}:${where || 'root'}:${step.object}`;
    if (this.ids.has(id)) return id; // the same effect asked twice (validation reports real clashes)
    this.ids.add(id);
    let bucket = this.buckets.get(step.ns);
    if (!bucket) this.buckets.set(step.ns, (bucket = []));
    // Spelled out rather than rest + spread: one object per step, fields in plan order.
    const { kind, element, ns, description, probe } = step;
    const out: Step = { id, kind, element, ns, description, do: step.do, undo: step.undo, coveredBy: step.coveredBy, probe };
    bucket.push(out);
    return id;
  }

  private ifname(element: string, end?: 'a' | 'b'): string {
    return this.names.get(end ? `${element}.${end}` : element)!.ifname;
  }

  /** The elements of a collection that live on this host, with their namespace and kernel name (looked up once). */
  private placed<E extends { id: string; at: string }>(list: E[]): Placed<E>[] {
    const out: Placed<E>[] = [];
    for (const el of list) {
      const p = this.index.placeNoBridge(el.at);
      if (this.onHost(p)) out.push({ el, ns: p.ns?.name ?? '', ifname: this.ifname(el.id) });
    }
    return out;
  }

  /** Veths with both ends on this host, each end resolved once. */
  private placedVeths(): PlacedVeth[] {
    const out: PlacedVeth[] = [];
    for (const v of this.design.veths) {
      const pa = this.index.placeEnd(v, 'a');
      const pb = this.index.placeEnd(v, 'b');
      if (!this.onHost(pa) || !this.onHost(pb)) continue;
      const end = (end: 'a' | 'b', p: Placement): PlacedEnd => ({
        end,
        spec: v[end],
        ns: p.ns?.name ?? '',
        ifname: this.ifname(v.id, end),
        bridge: p.bridge,
        master: p.bridge && (p.stretched ? this.stitching.stretchName(p.bridge.id, this.host.id) : this.ifname(p.bridge.id)),
      });
      out.push({ v, ends: [end('a', pa), end('b', pb)] });
    }
    return out;
  }

  /**
   * Creates an interface that lives in `ns`. `create` runs in `createNs` (a macvlan or
   * VLAN is created from the root namespace, next to its parent NIC, straight into its
   * namespace); the ownership tag is then written where the interface lives.
   */
  private linkCreate(element: string, ns: string, ifname: string, owner: string, create: Argv[], description: string, createNs = ns, props: LinkProps = {}): void {
    const tag = cmd(ns, ['ip', 'link', 'set', 'dev', ifname, 'alias', owner]);
    const id = this.add({
      kind: 'link',
      object: ifname,
      element,
      ns: createNs,
      description,
      do: createNs === ns ? [...create.map((argv) => cmd(createNs, argv)), tag] : create.map((argv) => cmd(createNs, argv)),
      undo: [cmd(ns, ['ip', 'link', 'del', 'dev', ifname])],
      // An interface on a root-namespace parent (macvlan, VLAN) is deleted explicitly:
      // namespace teardown is asynchronous and would leave the parent's state (promiscuity,
      // fdb entries) changed for a while after destroy returns.
      coveredBy: createNs === ns ? this.nsCover(ns) : [],
      probe: { type: 'link', ns, ifname, owner, ...props },
    });
    this.linkSteps.set(`${ns}\0${ifname}`, id);
    if (createNs !== ns) this.tagStep(element, ns, ifname, owner, id);
  }

  private tagStep(element: string, ns: string, ifname: string, owner: string, createdBy: string, extra?: Command, props: LinkProps = {}): void {
    const tag = cmd(ns, ['ip', 'link', 'set', 'dev', ifname, 'alias', owner]);
    const cover = [createdBy];
    const netns = this.netnsStep.get(ns);
    if (netns !== undefined) cover.push(netns);
    this.add({
      kind: 'alias',
      object: ifname,
      element,
      ns,
      description: `tag ${ifname}${ns ? ` in ${ns}` : ''} as Wireplan's`,
      do: extra ? [tag, extra] : [tag],
      undo: [],
      coveredBy: cover,
      probe: { type: 'alias', ns, ifname, owner, ...props },
    });
  }

  private addresses(element: string, ns: string, ifname: string, addresses: readonly string[]): void {
    for (const a of addresses) {
      const p = parsePrefix(a);
      if (!p) continue;
      const cidr = formatPrefix(p);
      this.add({
        kind: 'addr',
        object: `${ifname}:${cidr}`,
        element,
        ns,
        description: `address ${cidr} on ${ifname}${ns ? ` in ${ns}` : ''}`,
        do: [cmd(ns, ['ip', 'addr', 'replace', cidr, 'dev', ifname])],
        undo: [cmd(ns, ['ip', 'addr', 'del', cidr, 'dev', ifname])],
        coveredBy: this.ifCover(ns, ifname),
        probe: { type: 'addr', ns, ifname, cidr },
      });
    }
  }

  private linkState(element: string, ns: string, ifname: string, up: boolean, master?: string): void {
    const ours = this.linkSteps.has(`${ns}\0${ifname}`);
    const state = up ? 'up' : 'down';
    // A NIC we enslaved is only released: it was up before we touched it.
    const down = ours && up;
    const undo = master ? (down ? ['nomaster', 'down'] : ['nomaster']) : down ? ['down'] : undefined;
    this.add({
      kind: 'link-state',
      object: ifname,
      element,
      ns,
      description: `${ifname}${master ? ` on bridge ${master}` : ''} ${state}`,
      // Our own link outside any bridge says so: a port the design took out of its bridge leaves it.
      do: [cmd(ns, master ? ['ip', 'link', 'set', 'dev', ifname, 'master', master, state] : ['ip', 'link', 'set', 'dev', ifname, ...(ours ? ['nomaster'] : []), state])],
      undo: undo ? [cmd(ns, ['ip', 'link', 'set', 'dev', ifname, ...undo])] : [],
      coveredBy: this.ifCover(ns, ifname),
      probe: master ? { type: 'link-state', ns, ifname, master, up } : { type: 'link-state', ns, ifname, up },
    });
  }

  /**
   * Bridged mode: a host NIC becomes a bridge port and hands its addresses and routes to the
   * bridge in one on-host step (runtime wp_nic_enslave), which records them and gives them
   * back on down and rollback (wp_nic_release). The NIC was up before we touched it.
   * A bridge without a designed MAC takes the NIC's (`--take-mac`): the neighbours that
   * cached the NIC's MAC for its addresses keep reaching them on the bridge and again on
   * the NIC after release. (The kernel's choice, the lowest port MAC, changes as veths join,
   * and a peer that learnt it loses the host for a neighbour timeout after the release.)
   */
  private nicPort(element: string, nic: string, bridge: string, bridgeHasMac: boolean): void {
    this.add({
      kind: 'link-state',
      object: nic,
      element,
      ns: '',
      description: `${nic} on bridge ${bridge} up (its addresses and routes move to ${bridge})`,
      do: [cmd('', ['wp_nic_enslave', nic, bridge, ...(bridgeHasMac ? [] : ['--take-mac'])])],
      undo: [cmd('', ['wp_nic_release', nic, bridge])],
      coveredBy: [],
      probe: { type: 'link-state', ns: '', ifname: nic, master: bridge, up: true },
    });
  }

  private route(element: string, ns: string, r: Route): void {
    const via = r.via ? parseAddress(r.via) : undefined;
    const dest = r.to === 'default' ? undefined : parsePrefix(r.to);
    const family = dest?.family ?? via?.family ?? 4;
    const to = dest ? formatNetwork(dest) : 'default';
    const spec = [
      ...(via ? ['via', formatAddress(via.family, via.value)] : []),
      ...(r.dev ? ['dev', r.dev] : []),
      ...(r.metric !== undefined ? ['metric', String(r.metric)] : []),
    ];
    const ip = family === 6 ? ['ip', '-6'] : ['ip'];
    const probe: Extract<Probe, { type: 'route' }> = { type: 'route', ns, to };
    if (via) probe.via = formatAddress(via.family, via.value);
    if (r.dev) probe.dev = r.dev;
    if (r.metric !== undefined) probe.metric = r.metric;
    if (r.takeOver) probe.takeOver = true;
    // Taking over someone else's route: what had the key is recorded first and put back after.
    const key = [String(family), to, r.metric !== undefined ? String(r.metric) : ''];
    this.add({
      kind: 'route',
      // "default" alone would make a dual-stack namespace's IPv4 and IPv6 defaults collide.
      object: `${to}${to === 'default' && family === 6 ? '-v6' : ''}${r.metric !== undefined ? `@${r.metric}` : ''}`,
      element,
      ns,
      description: `route ${to} ${spec.join(' ')}${ns ? ` in ${ns}` : ''}`,
      do: r.takeOver ? [cmd(ns, ['wp_route_record', ...key]), cmd(ns, [...ip, 'route', 'replace', to, ...spec])] : [cmd(ns, [...ip, 'route', 'replace', to, ...spec])],
      undo: r.takeOver ? [cmd(ns, [...ip, 'route', 'del', to, ...spec]), cmd(ns, ['wp_route_restore', ...key])] : [cmd(ns, [...ip, 'route', 'del', to, ...spec])],
      // A route taken over is always undone on its own: its undo puts the host's route back.
      coveredBy: r.takeOver ? [] : r.dev ? this.ifCover(ns, r.dev) : this.nsCover(ns),
      probe,
    });
  }

  private sysctl(element: string, ns: string, key: string, value: boolean, ifname?: string): void {
    const v = value ? '1' : '0';
    if (ns === '') this.restoredSysctls.push(key);
    this.add({
      kind: 'sysctl',
      object: key,
      element,
      ns,
      description: `sysctl ${key} = ${v}${ns ? ` in ${ns}` : ''}`,
      // The prior value is recorded on the host first, so rollback and destroy restore it.
      do: [cmd(ns, ['wp_sysctl_set', key, v])],
      undo: [cmd(ns, ['wp_sysctl_restore', key])],
      coveredBy: ifname ? this.ifCover(ns, ifname) : this.nsCover(ns),
      probe: { type: 'sysctl', ns, key, value: v },
    });
  }

  /**
   * Interfaces first (namespaces, then each kind in document order), then addresses, link
   * state (bridges before their ports), routes, sysctls and firewalls. One small method
   * per element kind: each is hot and stays optimized.
   */
  compile(): void {
    const { design, host } = this;
    const namespaces = design.namespaces.filter((n) => n.host === host.id);
    const bridges = this.placed(design.bridges);
    const veths = this.placedVeths();
    const macvlans = this.placed(design.macvlans);
    const vlans = this.placed(design.vlans);
    const vxlans = this.placed(design.vxlans);
    const stretched = this.stitching.segments.filter((s) => s.stretchNames.has(host.id));
    const tunnels = this.tunnelEnds();

    for (const n of namespaces) this.namespace(n);
    for (const b of bridges) this.bridge(b, this.derivedBridgeMtu(b.el, b.ifname, veths, tunnels));
    for (const s of stretched) this.stretchBridge(s);
    for (const v of veths) this.veth(v);
    for (const m of macvlans) this.macvlan(m);
    for (const v of vlans) this.vlan(v);
    for (const x of vxlans) this.vxlan(x);
    for (const t of tunnels) this.tunnel(t);

    for (const { el, ns, ifname } of bridges) this.addresses(el.id, ns, ifname, el.addresses);
    for (const { v, ends } of veths) for (const e of ends) this.addresses(v.id, e.ns, e.ifname, e.spec.addresses);
    for (const { el, ns, ifname } of macvlans) this.addresses(el.id, ns, ifname, el.addresses);
    for (const { el, ns, ifname } of vlans) this.addresses(el.id, ns, ifname, el.addresses);
    for (const { el, ns, ifname } of vxlans) this.addresses(el.id, ns, ifname, el.addresses);

    for (const { el, ns, ifname } of bridges) this.linkState(el.id, ns, ifname, el.up);
    for (const s of stretched) this.linkState(s.bridge.id, '', s.stretchNames.get(host.id)!, s.bridge.up);
    for (const { el, ifname } of bridges) for (const nic of el.nics) this.nicPort(el.id, nic, ifname, el.mac !== undefined);
    for (const v of veths) for (const e of v.ends) this.vethEndState(v.v, e);
    for (const v of veths) for (const e of v.ends) this.impairment(v.v, e);
    for (const { el, ns, ifname } of macvlans) this.linkState(el.id, ns, ifname, el.up);
    for (const p of vlans) this.portState(p);
    for (const p of vxlans) this.portState(p);
    for (const t of tunnels) this.linkState(t.segment.bridge.id, '', t.end.ifname, true, t.end.master);

    for (const n of namespaces) for (const r of n.routes) this.route(n.id, n.name, r);
    for (const r of host.routes) this.route(host.id, '', r);

    for (const n of namespaces) {
      if (n.sysctls.ipForward !== undefined) this.sysctl(n.id, n.name, sysctlKeys.ipForward, n.sysctls.ipForward);
      if (n.sysctls.ipv6Forward !== undefined) this.sysctl(n.id, n.name, sysctlKeys.ipv6Forward, n.sysctls.ipv6Forward);
    }
    if (host.sysctls.ipForward !== undefined) this.sysctl(host.id, '', sysctlKeys.ipForward, host.sysctls.ipForward);
    if (host.sysctls.ipv6Forward !== undefined) this.sysctl(host.id, '', sysctlKeys.ipv6Forward, host.sysctls.ipv6Forward);
    for (const s of host.sysctls.interfaces) {
      if (s.forwarding !== undefined) this.sysctl(host.id, '', sysctlKeys.iface(s.iface, 'forwarding'), s.forwarding, s.iface);
      if (s.proxyArp !== undefined) this.sysctl(host.id, '', sysctlKeys.iface(s.iface, 'proxy_arp'), s.proxyArp, s.iface);
    }

    this.firewalls();
    // Last in each namespace's group: a program starts once its network is built.
    for (const n of namespaces) for (const p of n.programs) this.program(n, p);
  }

  /**
   * A program run in the namespace (docs/programs.md). No cover: deleting a namespace does
   * not stop the processes in it (they keep it alive), so down, prune and rollback stop each
   * program on its own, before its namespace goes.
   */
  private program(n: Namespace, p: Program): void {
    this.add({
      kind: 'program',
      object: p.name,
      element: n.id,
      ns: n.name,
      description: `program ${p.name} in ${n.name}: ${shellCommand(p.command)}`,
      do: [cmd(n.name, programStartArgv(p))],
      undo: [cmd(n.name, ['wp_prog_stop', p.name])],
      coveredBy: [],
      probe: { type: 'program', ns: n.name, name: p.name, digest: programDigest(p) },
    });
  }

  private namespace(n: Namespace): void {
    const owner = this.owner(n.id);
    const id = this.add({
      kind: 'netns',
      object: n.name,
      element: n.id,
      ns: '',
      description: `namespace ${n.name}`,
      do: [cmd('', ['ip', 'netns', 'add', n.name])],
      undo: [cmd('', ['ip', 'netns', 'del', n.name])],
      coveredBy: [],
      probe: { type: 'netns', name: n.name, owner },
    });
    // A namespace has no label of its own: its loopback interface carries the tag.
    this.tagStep(n.id, n.name, 'lo', owner, id, n.loopback ? cmd(n.name, ['ip', 'link', 'set', 'dev', 'lo', 'up']) : undefined);
  }

  /**
   * The MTU a bridge without a designed one ends up with: the kernel gives a bridge the
   * smallest MTU of its ports (1500 without ports). Known only when every port is a veth
   * end of this design; a bridge with a NIC, VLAN or tunnel port is left unchecked.
   */
  private derivedBridgeMtu(b: Bridge, ifname: string, veths: PlacedVeth[], tunnels: { end: TunnelEnd }[]): number | undefined {
    if (b.mtu || b.nics.length) return undefined;
    if (this.design.vlans.some((x) => x.bridge === b.id) || this.design.vxlans.some((x) => x.bridge === b.id)) return undefined;
    if (tunnels.some((t) => t.end.master === ifname)) return undefined;
    let mtu: number | undefined;
    for (const { ends } of veths) {
      for (const e of ends) if (e.bridge?.id === b.id && e.master === ifname) mtu = Math.min(mtu ?? Infinity, e.spec.mtu || DEFAULT_MTU);
    }
    return mtu ?? DEFAULT_MTU;
  }

  private bridge({ el: b, ns, ifname }: Placed<Bridge>, derivedMtu: number | undefined): void {
    this.linkCreate(
      b.id,
      ns,
      ifname,
      this.owner(b.id),
      [
        ['ip', 'link', 'add', 'name', ifname, ...linkOpts(b), 'type', 'bridge', 'stp_state', b.stp ? '1' : '0'],
        // Only when asked: kernels built without bridge VLAN filtering reject the option, even "0".
        ...(b.vlanFiltering ? [['ip', 'link', 'set', 'dev', ifname, 'type', 'bridge', 'vlan_filtering', '1']] : []),
      ],
      `bridge ${ifname}${ns ? ` in ${ns}` : ''}`,
      ns,
      linkProps(b, derivedMtu),
    );
  }

  private veth({ v, ends }: PlacedVeth): void {
    // Where the pair is created decides the step order, and steps run grouped by namespace
    // (root first): a pair is created where both ends are (one namespace), else from the root
    // namespace, which can put each end straight into its namespace (cheap: no move). So the
    // pair exists before any step of either end's namespace, whatever the drawing order.
    const [first, second] = ends;
    const fromB = first.ns !== '' && second.ns === '';
    const local = fromB ? second : first;
    const peer = fromB ? first : second;
    const createNs = local.ns === peer.ns ? local.ns : '';
    const into = (e: PlacedEnd) => (e.ns !== createNs ? ['netns', e.ns] : NO_OPTS);
    const create = cmd(createNs, [
      'ip', 'link', 'add', 'name', local.ifname, ...linkOpts(local.spec), ...into(local), 'type', 'veth',
      'peer', 'name', peer.ifname, ...linkOpts(peer.spec), ...into(peer),
    ]);
    const localOwner = this.owner(v.id, local.end);
    const peerOwner = this.owner(v.id, peer.end);
    const localProps = linkProps(local.spec, DEFAULT_MTU);
    const peerRef: LinkRef = { ns: peer.ns, ifname: peer.ifname, owner: peerOwner };
    const linkId = this.add({
      kind: 'link',
      object: local.ifname,
      element: v.id,
      ns: createNs,
      description: `veth ${local.ifname}${local.ns ? ` (${local.ns})` : ''} <-> ${peer.ifname}${peer.ns ? ` (${peer.ns})` : ''}`,
      do: [create, cmd(local.ns, ['ip', 'link', 'set', 'dev', local.ifname, 'alias', localOwner])],
      undo: [cmd(local.ns, ['ip', 'link', 'del', 'dev', local.ifname])],
      coveredBy: this.nsCover(local.ns, peer.ns),
      probe: { type: 'link', ns: local.ns, ifname: local.ifname, owner: localOwner, peer: peerRef, ...localProps },
    });
    // Deleting either end deletes the pair.
    for (const e of ends) this.linkSteps.set(`${e.ns}\0${e.ifname}`, linkId);
    this.tagStep(v.id, peer.ns, peer.ifname, peerOwner, linkId, undefined, linkProps(peer.spec, DEFAULT_MTU));
  }

  private macvlan({ el: m, ns, ifname }: Placed<Macvlan>): void {
    this.linkCreate(
      m.id,
      ns,
      ifname,
      this.owner(m.id),
      [['ip', 'link', 'add', 'name', ifname, 'link', m.parent, ...(ns ? ['netns', ns] : []), ...linkOpts(m), 'type', m.kind, 'mode', m.mode]],
      `${m.kind} ${ifname} on ${m.parent}${ns ? ` in ${ns}` : ' (host shim)'}`,
      '',
      linkProps(m),
    );
  }

  private vlan({ el: v, ns, ifname }: Placed<Vlan>): void {
    this.linkCreate(
      v.id,
      ns,
      ifname,
      this.owner(v.id),
      [['ip', 'link', 'add', 'name', ifname, 'link', v.parent, ...(ns ? ['netns', ns] : []), ...linkOpts(v), 'type', 'vlan', 'id', String(v.vlanId)]],
      `vlan ${ifname} (id ${v.vlanId} on ${v.parent})`,
      '',
      linkProps(v),
    );
  }

  private vxlan({ el: x, ns, ifname }: Placed<Vxlan>): void {
    const addr = (t?: string) => (t ? canonical(t) : undefined);
    const remote = addr(x.remote);
    const group = addr(x.group);
    const local = addr(x.local);
    this.linkCreate(
      x.id,
      ns,
      ifname,
      this.owner(x.id),
      [
        [
          'ip', 'link', 'add', 'name', ifname, ...linkOpts(x), 'type', 'vxlan', 'id', String(x.vni), 'dstport', String(x.port),
          ...(remote ? ['remote', remote] : []),
          ...(group ? ['group', group] : []),
          ...(local ? ['local', local] : []),
          ...(x.dev ? ['dev', x.dev] : []),
          ...(x.learning ? [] : ['nolearning']),
        ],
      ],
      `vxlan ${ifname} (vni ${x.vni})`,
      ns,
      linkProps(x),
    );
  }

  /** The stitch VXLANs on this host: one per other host on a home bridge, one on a stretch. */
  private tunnelEnds(): { segment: StitchedSegment; end: TunnelEnd; vni: number }[] {
    const out: { segment: StitchedSegment; end: TunnelEnd; vni: number }[] = [];
    for (const segment of this.stitching.segments) {
      for (const link of segment.links) {
        if (link.home.host.id === this.host.id) out.push({ segment, end: link.home, vni: link.vni });
        else if (link.peer.host.id === this.host.id) out.push({ segment, end: link.peer, vni: link.vni });
      }
    }
    return out;
  }

  /** A bridge's stretch on this host: the bridge's settings, without its addresses (the gateway stays home). */
  private stretchBridge({ bridge, home, mtu, stretchNames }: StitchedSegment): void {
    const ifname = stretchNames.get(this.host.id)!;
    this.linkCreate(
      bridge.id,
      '',
      ifname,
      stitchOwner(this.design.tag, bridge.id, 'stretch'),
      [['ip', 'link', 'add', 'name', ifname, 'mtu', String(mtu), 'type', 'bridge', 'stp_state', bridge.stp ? '1' : '0']],
      `bridge ${ifname}: stretch of bridge "${bridge.name}" from host ${home.name}`,
      '',
      { mtu },
    );
  }

  /**
   * A stitch VXLAN. Its MTU is set after creation, not with it: at creation the kernel
   * silently clamps an MTU that does not fit the underlay NIC, while `ip link set mtu`
   * refuses it, so an underlay NIC smaller than the design says fails this step (and
   * rolls back) instead of dropping large frames later.
   */
  private tunnel({ segment, end, vni }: { segment: StitchedSegment; end: TunnelEnd; vni: number }): void {
    const { bridge, mtu } = segment;
    const other = end.to;
    const overhead = VXLAN_OVERHEAD[underlayFamily(end.host, other)];
    this.linkCreate(
      bridge.id,
      '',
      end.ifname,
      stitchOwner(this.design.tag, bridge.id, `vxlan-${other.id}`),
      [
        [
          'ip', 'link', 'add', 'name', end.ifname, 'type', 'vxlan', 'id', String(vni), 'dstport', String(segment.port),
          'remote', end.remote, 'local', end.local, 'dev', end.dev, 'nolearning',
        ],
        ['ip', 'link', 'set', 'dev', end.ifname, 'mtu', String(mtu)],
      ],
      `vxlan ${end.ifname} (vni ${vni}) stretches bridge "${bridge.name}" to host ${other.name} over ${end.dev}; mtu ${mtu} needs ${end.dev} mtu >= ${mtu + overhead}`,
      '',
      { mtu },
    );
  }

  /** Up/down and bridge port of a veth end, and its PVID on a vlan-filtering bridge. */
  private vethEndState(v: Veth, { spec, ns, ifname, bridge, master }: PlacedEnd): void {
    this.linkState(v.id, ns, ifname, spec.up, master);
    if (!bridge || spec.pvid === undefined) return;
    this.add({
      kind: 'bridge-vlan',
      object: ifname,
      element: v.id,
      ns,
      description: `pvid ${spec.pvid} untagged on ${ifname}`,
      do: [cmd(ns, ['bridge', 'vlan', 'add', 'dev', ifname, 'vid', String(spec.pvid), 'pvid', 'untagged'])],
      undo: [cmd(ns, ['bridge', 'vlan', 'del', 'dev', ifname, 'vid', String(spec.pvid)])],
      coveredBy: this.ifCover(ns, ifname),
      probe: { type: 'bridge-vlan', ns, ifname, pvid: spec.pvid },
    });
  }

  /**
   * Link impairments on a veth end's egress (compile/impair.ts): the end's own, else the
   * link's. The step's do is all `tc qdisc replace` (a re-apply with new values changes them
   * in place) and then records the result, so status can tell a hand-made change.
   */
  private impairment(v: Veth, { end, spec, ns, ifname }: PlacedEnd): void {
    const impair = spec.impair ?? v.impair;
    const q = qdiscPlan(ifname, impair);
    if (!q || !impair) return;
    const digest = sha256Hex(JSON.stringify(q.commands)).slice(0, 16);
    this.add({
      kind: 'qdisc',
      object: ifname,
      element: v.id,
      ns,
      description: `impair ${ifname}${ns ? ` in ${ns}` : ''} (end ${end} of link "${v.name}" sends): ${describeImpair(impair)}`,
      do: [...q.commands.map((argv) => cmd(ns, argv)), cmd(ns, ['wp_qdisc_record', ifname, digest])],
      undo: [cmd(ns, ['tc', 'qdisc', 'del', 'dev', ifname, 'root']), cmd(ns, ['wp_qdisc_forget', ifname])],
      coveredBy: this.ifCover(ns, ifname),
      probe: { type: 'qdisc', ns, ifname, shape: q.shape, digest },
    });
  }

  /** Up/down of a VLAN or VXLAN, and the bridge it is a port of. */
  private portState({ el, ns, ifname }: Placed<Vlan | Vxlan>): void {
    const bridge = el.bridge ? this.index.get('bridges', el.bridge) : undefined;
    this.linkState(el.id, ns, ifname, el.up, bridge && this.ifname(bridge.id));
  }

  /** Each port forward's interface towards its target at the router in `ns` (see portForwardLink). */
  private portForwardTargets(ns: string, pfs: readonly PortForward[]): Map<string, TargetLink> {
    const out = new Map<string, TargetLink>();
    if (pfs.length === 0) return out;
    const links: RouterLink[] = [];
    const add = (where: string, ifname: string, addresses: readonly string[]) => {
      if (where === ns && addresses.length > 0) links.push({ ifname, addresses });
    };
    for (const { el, ns: where, ifname } of this.placed(this.design.bridges)) add(where, ifname, el.addresses);
    for (const { ends } of this.placedVeths()) for (const e of ends) add(e.ns, e.ifname, e.spec.addresses);
    for (const { el, ns: where, ifname } of this.placed(this.design.macvlans)) add(where, ifname, el.addresses);
    for (const { el, ns: where, ifname } of this.placed(this.design.vlans)) add(where, ifname, el.addresses);
    for (const { el, ns: where, ifname } of this.placed(this.design.vxlans)) add(where, ifname, el.addresses);
    const routes = ns === '' ? this.host.routes : (this.design.namespaces.find((n) => n.host === this.host.id && n.name === ns)?.routes ?? []);
    for (const pf of pfs) {
      const link = portForwardLink(pf, links, routes);
      if (link) out.set(pf.id, link);
    }
    return out;
  }

  private firewalls(): void {
    const { design, index } = this;
    const routers = new Map<string, RouterFirewall & { element: string }>();
    const routerOf = (at: string) => {
      const p = index.placeNoBridge(at);
      if (!this.onHost(p)) return undefined;
      const ns = p.ns?.name ?? '';
      let fw = routers.get(ns);
      if (!fw) routers.set(ns, (fw = { element: p.ns?.id ?? p.host.id, masquerades: [], portForwards: [], policies: [] }));
      return fw;
    };
    for (const m of design.masquerades) routerOf(m.at)?.masquerades.push(m);
    for (const pf of design.portForwards) routerOf(pf.at)?.portForwards.push(pf);
    for (const p of design.policies) routerOf(p.at)?.policies.push(p);
    const table = firewallTable(design.tag);
    for (const [ns, fw] of [...routers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (!hasFirewall(fw)) continue;
      fw.targets = this.portForwardTargets(ns, fw.portForwards);
      for (const pf of fw.portForwards) {
        // A 127.0.0.1 source DNAT'ed to the target must be routable out of the interface
        // towards it (CNI portmap and Docker do the same); recorded and restored like any sysctl.
        const link = fw.targets.get(pf.id);
        if (link && servesLoopback(pf)) this.sysctl(pf.id, ns, routeLocalnetKey(link.ifname), true, link.ifname);
      }
      const { text, digest } = nftRuleset(table, design.tag, fw, (id) => this.owner(id));
      this.add({
        kind: 'nft',
        object: table,
        element: fw.element,
        ns,
        description: `firewall table inet ${table}${ns ? ` in ${ns}` : ''} (${fw.masquerades.length} masquerade, ${fw.portForwards.length} port forward, ${fw.policies.length} policy)`,
        do: [cmd(ns, ['wp_nft_load', text])],
        undo: [cmd(ns, ['nft', 'delete', 'table', 'inet', table])],
        coveredBy: this.nsCover(ns),
        probe: { type: 'nft', ns, table, digest },
      });
    }
  }
}

function canonical(text: string): string | undefined {
  const a = parseAddress(text);
  return a && formatAddress(a.family, a.value);
}

function hostNames(resolved: ResolvedName[], hostId: string): NameMapping[] {
  const out: NameMapping[] = [];
  for (const r of resolved) {
    if (r.hostId !== hostId) continue;
    const { element, logical, ns, ifname } = r;
    out.push(r.end ? { element, end: r.end, logical, ns, ifname } : { element, logical, ns, ifname });
  }
  return out;
}

export function compile(design: Design): CompileResult {
  let diagnostics: Diagnostic[];
  try {
    const validated = validateWithContext(design);
    diagnostics = validated.diagnostics;
    if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
    const index = validated.context?.index ?? new DesignIndex(design);
    const resolved = validated.context?.names ?? resolveNames(design, index);
    const names = nameTable(resolved);
    const stitching = planStitching(design, index, resolved);
    const hosts: HostPlan[] = design.hosts.map((host) => {
      const hc = new HostCompiler(design, index, names, host, stitching);
      hc.compile();
      const partial = {
        host: { id: host.id, name: host.name },
        steps: hc.steps,
        names: hostNames(resolved, host.id),
        restoredSysctls: hc.restoredSysctls,
        namespaces: design.namespaces.filter((n) => n.host === host.id).map((n) => n.name),
      };
      const table = stepTable(partial);
      const plan: HostPlan = { ...partial, hash: hostPlanDigest(design.tag, partial, table) };
      rememberStepTable(plan, table);
      return plan;
    });
    return {
      ok: true,
      diagnostics,
      plan: { design: { name: design.name, tag: design.tag }, wireplanVersion: WIREPLAN_VERSION, hosts },
    };
  } catch (e) {
    return {
      ok: false,
      diagnostics: [
        {
          rule: 'internal',
          severity: 'error',
          message: `internal compiler error: ${(e as Error).message}`,
          fix: 'Please report this design to the Wireplan developers.',
        },
      ],
    };
  }
}
