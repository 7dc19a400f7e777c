// Observed state mapped onto the design: per element (and per veth end) present, missing,
// drifted (which field, expected vs actual), foreign (the name is taken by an object that
// is not ours) or unknown (not observed), with link state, traffic rates and the packet
// counters of the firewall rules each element owns.
//
// prepareStatus() does the design-side work once per (design, plan, host); evaluateStatus()
// runs per observation and only looks things up. Pure: no clocks, no I/O.
import type { ElementPresence, ElementStatus, RuleCounter } from '../api/contract';
import { firewallTable, ownerTag } from '../compile/compile';
import type { HostPlan, Plan, Probe, Step } from '../compile/plan';
import type { Design } from '../model/schema';
import { DesignIndex } from '../model/topology';
import { findLink, resolveLinkPeer } from './host';
import { evaluateProbe, type ProbeResult } from './probe';
import { programStatuses } from './program-state';
import { counterRate, roundRate, type LinkRate } from './rates';
import { compareFirewall } from './status-firewall';
import { interfaceDrift, operStateOf, type InterfaceSpec, type PeerResolver } from './status-links';
import type { ObservedHost, ObservedLink, ObservedNamespace } from './types';

const q = (s: string) => JSON.stringify(s);

type TargetKind = 'host' | 'namespace' | 'interface' | 'firewall';

interface Target {
  id: string;
  kind: TargetKind;
  /** Namespace the target lives in ('' = root); for namespaces their own name. */
  ns: string;
  ifname?: string;
  spec?: InterfaceSpec;
  owner: string;
  steps: Step[];
  /** The probe that says whether the object exists and is ours. */
  primary?: Probe;
  primaryStep?: Step;
  /** Namespaces only: lo is meant to be up. */
  loopback?: boolean;
  /** Local addresses the design puts on this interface (an address probe also looks for them elsewhere). */
  locals?: string[];
}

interface FirewallRouter {
  ns: string;
  table: string;
  loadText: string;
  step: Step;
  /** Owner tags of the elements whose rules live here. */
  owners: string[];
}

export interface StatusModel {
  hostId: string;
  tag: string;
  targets: Target[];
  /** Veth element id -> its two end target ids. */
  veths: Map<string, { a: string; b: string }>;
  routers: FirewallRouter[];
  /** Namespaces the design creates on this host. */
  namespaces: Set<string>;
  /** Namespace -> ifname -> the owner tag we expect on it. */
  expectedTags: Map<string, Map<string, string>>;
  /** Namespaces whose sysctls the plan checks, and the keys (slash form). */
  sysctls: Map<string, string[]>;
  /** Namespaces with link impairments (qdisc probes), and their interfaces. */
  qdiscs: Map<string, string[]>;
}

export interface StatusOptions {
  /** Traffic rate of an interface, from RateTracker.rate. */
  rate?: (ns: string, ifname: string) => LinkRate | undefined;
  /** Rule counters of the previous evaluation (for rule rates); see EvaluatedStatus.ruleCounters. */
  previousRuleCounters?: ReadonlyMap<string, { packets: number; bytes: number; at: number }>;
  /** Time of this observation in ms (for rule rates); default host.collectedAt. */
  at?: number;
  /**
   * Incremental evaluation: only these namespaces changed since `previous` was evaluated.
   * Elements that depend on none of them keep their previous status (rates refreshed).
   */
  changed?: ReadonlySet<string>;
  previous?: ReadonlyMap<string, ElementStatus>;
}

export interface EvaluatedStatus {
  elements: ElementStatus[];
  /** Things on the host that are not Wireplan's but sit where the design lives. */
  foreign: string[];
  /** Rule counters of this evaluation, to pass back as previousRuleCounters next time. */
  ruleCounters: Map<string, { packets: number; bytes: number; at: number }>;
}

function hostPlanOf(plan: Plan, hostId: string): HostPlan | undefined {
  return plan.hosts.find((h) => h.host.id === hostId);
}

/** Design-side preparation: which steps belong to which element or veth end. */
export function prepareStatus(design: Design, plan: Plan, hostId: string): StatusModel {
  const hp = hostPlanOf(plan, hostId);
  const index = new DesignIndex(design);
  const tag = design.tag;
  const model: StatusModel = {
    hostId,
    tag,
    targets: [],
    veths: new Map(),
    routers: [],
    namespaces: new Set(design.namespaces.filter((n) => n.host === hostId).map((n) => n.name)),
    expectedTags: new Map(),
    sysctls: new Map(),
    qdiscs: new Map(),
  };
  const byId = new Map<string, Target>();
  const add = (t: Target) => {
    byId.set(t.id, t);
    model.targets.push(t);
  };
  const host = design.hosts.find((h) => h.id === hostId);
  if (!host || !hp) return model;
  add({ id: host.id, kind: 'host', ns: '', owner: ownerTag(tag, host.id), steps: [] });
  for (const n of design.namespaces.filter((x) => x.host === hostId)) {
    add({ id: n.id, kind: 'namespace', ns: n.name, owner: ownerTag(tag, n.id), steps: [], loopback: n.loopback });
  }
  // Interfaces, from the plan's name table (logical element -> kernel name).
  const byPlace = new Map<string, string>();
  const nameOf = (element: string, end?: 'a' | 'b') => hp.names.find((m) => m.element === element && m.end === end);
  for (const m of hp.names) {
    const id = m.end ? `${m.element}.${m.end}` : m.element;
    const ref = index.byId.get(m.element);
    let spec: InterfaceSpec | undefined;
    if (ref?.collection === 'bridges') spec = { collection: 'bridges', element: design.bridges[ref.index]! };
    else if (ref?.collection === 'macvlans') spec = { collection: 'macvlans', element: design.macvlans[ref.index]! };
    else if (ref?.collection === 'vlans') spec = { collection: 'vlans', element: design.vlans[ref.index]! };
    else if (ref?.collection === 'vxlans') spec = { collection: 'vxlans', element: design.vxlans[ref.index]! };
    else if (ref?.collection === 'veths' && m.end) {
      const other = nameOf(m.element, m.end === 'a' ? 'b' : 'a');
      const v = design.veths[ref.index]!;
      if (other) spec = { collection: 'veths', element: v[m.end], peer: { ns: other.ns, ifname: other.ifname } };
      const pair = model.veths.get(m.element) ?? { a: `${m.element}.a`, b: `${m.element}.b` };
      model.veths.set(m.element, pair);
    }
    const owner = ownerTag(tag, m.element, m.end);
    add({ id, kind: 'interface', ns: m.ns, ifname: m.ifname, owner, steps: [], ...(spec ? { spec } : {}) });
    byPlace.set(`${m.ns}\u0000${m.ifname}`, id);
    const tags = model.expectedTags.get(m.ns) ?? new Map<string, string>();
    tags.set(m.ifname, owner);
    model.expectedTags.set(m.ns, tags);
  }
  for (const n of design.namespaces.filter((x) => x.host === hostId)) {
    const tags = model.expectedTags.get(n.name) ?? new Map<string, string>();
    tags.set('lo', ownerTag(tag, n.id));
    model.expectedTags.set(n.name, tags);
  }
  // Firewall elements, one target each, in the namespace of their router.
  const fwOwners = new Map<string, string[]>();
  for (const el of [...design.masquerades, ...design.portForwards, ...design.policies]) {
    const p = index.placeNoBridge(el.at);
    if (p?.host.id !== hostId) continue;
    const ns = p.ns?.name ?? '';
    const owner = ownerTag(tag, el.id);
    add({ id: el.id, kind: 'firewall', ns, owner, steps: [] });
    fwOwners.set(ns, [...(fwOwners.get(ns) ?? []), owner]);
  }
  for (const step of hp.steps) {
    const p = step.probe;
    if (p.type === 'nft') {
      const load = step.do.find((c) => c.argv[0] === 'wp_nft_load');
      model.routers.push({ ns: p.ns, table: p.table, loadText: load?.argv[1] ?? '', step, owners: fwOwners.get(p.ns) ?? [] });
      // The router's table is what a firewall element needs to exist at all.
      for (const t of model.targets) {
        if (t.kind !== 'firewall' || t.ns !== p.ns) continue;
        t.steps.push(step);
        t.primary = p;
        t.primaryStep = step;
      }
      continue;
    }
    if (p.type === 'sysctl') model.sysctls.set(p.ns, [...(model.sysctls.get(p.ns) ?? []), p.key]);
    if (p.type === 'qdisc') model.qdiscs.set(p.ns, [...new Set([...(model.qdiscs.get(p.ns) ?? []), p.ifname])]);
    let target: Target | undefined;
    if (p.type === 'netns') target = byId.get(step.element);
    else if ('ifname' in p) {
      const id = byPlace.get(`${p.ns}\u0000${p.ifname}`);
      target = id !== undefined ? byId.get(id) : byId.get(step.element);
    } else target = byId.get(step.element);
    if (!target) continue;
    target.steps.push(step);
    if (p.type === 'addr') (target.locals ??= []).push(p.cidr.slice(0, p.cidr.lastIndexOf('/')));
    const isPrimary =
      (target.kind === 'namespace' && p.type === 'netns') ||
      (target.kind === 'interface' && (p.type === 'link' || p.type === 'alias') && 'ifname' in p && p.ifname === target.ifname && p.ns === target.ns);
    if (isPrimary && (!target.primaryStep || p.type === 'link')) {
      target.primaryStep = step;
      target.primary = p;
    }
  }
  // An interface created by another step without its own probe (the peer of a veth whose
  // ends share a namespace): its ownership tag is the existence check.
  for (const t of model.targets) {
    if (t.kind === 'interface' && !t.primary && t.ifname !== undefined) t.primary = { type: 'alias', ns: t.ns, ifname: t.ifname, owner: t.owner };
  }
  return model;
}

/** The namespaces a status model needs observed, and whether each needs nft / sysctls / qdiscs (which interfaces). */
export function statusNeeds(model: StatusModel): { nft: Set<string>; sysctls: Map<string, string[]>; qdiscs: Map<string, string[]> } {
  return { nft: new Set(['', ...model.routers.map((r) => r.ns)]), sysctls: model.sysctls, qdiscs: model.qdiscs };
}

const RANK: Record<ElementPresence, number> = { present: 0, unknown: 1, drifted: 2, missing: 3, foreign: 4 };

function worst(a: ElementPresence, b: ElementPresence): ElementPresence {
  return RANK[a] >= RANK[b] ? a : b;
}

function detailOf(r: ProbeResult, fallback: string): string {
  return r.detail ?? fallback;
}

/** A step that is not on the host: said as missing, and why when its device is not there either. */
function missingDetail(s: Step, r: ProbeResult, ns: ObservedNamespace | undefined): string {
  const p = s.probe;
  const dev = p.type === 'route' ? p.dev : undefined;
  const devGone = dev !== undefined && ns?.observed.links === true && !findLink(ns, dev);
  return `${s.description}: missing${devGone ? ` (${dev} does not exist)` : ''}${r.detail ? ` — ${r.detail}` : ''}`;
}

interface NsIndex {
  links: Map<string, ObservedNamespace['links'][number]>;
  addrsByIf: Map<string, ObservedNamespace['addresses']>;
  addrsByLocal: Map<string, ObservedNamespace['addresses']>;
}

function indexNamespace(ns: ObservedNamespace): NsIndex {
  const links = new Map<string, ObservedNamespace['links'][number]>();
  for (const l of ns.links) if (!links.has(l.ifname)) links.set(l.ifname, l);
  const addrsByIf = new Map<string, ObservedNamespace['addresses']>();
  const addrsByLocal = new Map<string, ObservedNamespace['addresses']>();
  for (const a of ns.addresses) {
    const byIf = addrsByIf.get(a.ifname);
    if (byIf) byIf.push(a);
    else addrsByIf.set(a.ifname, [a]);
    const byLocal = addrsByLocal.get(a.local);
    if (byLocal) byLocal.push(a);
    else addrsByLocal.set(a.local, [a]);
  }
  return { links, addrsByIf, addrsByLocal };
}

export function evaluateStatus(model: StatusModel, host: ObservedHost, opts: StatusOptions = {}): EvaluatedStatus {
  const nsByName = new Map<string, ObservedNamespace>();
  for (const n of host.namespaces) nsByName.set(n.name, n);
  const views = new Map<string, ObservedHost>();
  const view = (ns: string): ObservedHost => {
    let v = views.get(ns);
    if (!v) {
      const n = nsByName.get(ns);
      v = { collectedAt: host.collectedAt, namespaces: n ? [n] : [], firewall: host.firewall, warnings: [] };
      views.set(ns, v);
    }
    return v;
  };
  // A namespace reduced to one interface (and the addresses an address probe looks at):
  // probes and field checks scan their namespace linearly, and a root namespace with a
  // thousand veth ends would make every interface's check cost a thousand.
  const indexes = new Map<string, NsIndex>();
  const reduced = new Map<string, { host: ObservedHost; ns: ObservedNamespace }>();
  const interfaceView = (t: Target): { host: ObservedHost; ns: ObservedNamespace } | undefined => {
    const key = `${t.ns}\u0000${t.ifname}`;
    const hit = reduced.get(key);
    if (hit) return hit;
    const n = nsByName.get(t.ns);
    if (!n || t.ifname === undefined) return undefined;
    let idx = indexes.get(t.ns);
    if (!idx) indexes.set(t.ns, (idx = indexNamespace(n)));
    const link = idx.links.get(t.ifname);
    const addrs = new Set(idx.addrsByIf.get(t.ifname) ?? []);
    for (const local of t.locals ?? []) for (const a of idx.addrsByLocal.get(local) ?? []) addrs.add(a);
    const ns: ObservedNamespace = { ...n, links: link ? [link] : [], addresses: [...addrs] };
    const v = { host: { collectedAt: host.collectedAt, namespaces: [ns], firewall: host.firewall, warnings: [] }, ns };
    reduced.set(key, v);
    return v;
  };
  // Veth peers across namespaces. A live poll does not read each namespace's own nsid
  // names (that costs O(N) per namespace), so a namespace-side end is matched to the link
  // whose ifindex is its peer index and whose peer index is its ifindex: indexed once.
  let peerIndex: Map<string, { namespace: ObservedNamespace; link: ObservedLink }[]> | undefined;
  const peerOf: PeerResolver = (h, ns, link) => {
    if (link.linkNetnsid === undefined || ns.name === '' || ns.observed.nsids || link.linkIndex === undefined) return resolveLinkPeer(h, ns, link);
    if (!peerIndex) {
      peerIndex = new Map();
      for (const n of host.namespaces) {
        for (const l of n.links) {
          if (l.linkNetnsid === undefined || l.linkIndex === undefined) continue;
          const k = `${l.ifindex}/${l.linkIndex}`;
          const list = peerIndex.get(k);
          if (list) list.push({ namespace: n, link: l });
          else peerIndex.set(k, [{ namespace: n, link: l }]);
        }
      }
    }
    const hits = (peerIndex.get(`${link.linkIndex}/${link.ifindex}`) ?? []).filter((c) => c.namespace.name !== ns.name);
    return hits.length === 1 ? hits[0] : undefined;
  };
  const probeNs = (p: Probe) => (p.type === 'netns' ? p.name : p.ns);
  const viewOf = (t: Target, p: Probe): ObservedHost => {
    if (t.kind === 'interface' && 'ifname' in p && p.ifname === t.ifname && p.ns === t.ns) return interfaceView(t)?.host ?? view(t.ns);
    return view(probeNs(p));
  };
  const at = opts.at ?? host.collectedAt;
  const ruleCounters = new Map<string, { packets: number; bytes: number; at: number }>();

  // Firewall comparisons, one per router namespace.
  const fw = new Map<string, ReturnType<typeof compareFirewall> | undefined>();
  for (const r of model.routers) {
    const n = nsByName.get(r.ns);
    fw.set(r.ns, n?.nft ? compareFirewall(n.nft, r.table, r.loadText) : undefined);
  }

  const out: ElementStatus[] = [];
  const byId = new Map<string, ElementStatus>();
  const rateOf = (t: Target, status: ElementStatus) => {
    if (t.kind !== 'interface' || t.ifname === undefined || status.presence === 'missing' || status.presence === 'unknown') return;
    const r = opts.rate?.(t.ns, t.ifname);
    if (r) {
      status.rxRate = roundRate(r.rxBps);
      status.txRate = roundRate(r.txBps);
    }
  };
  for (const t of model.targets) {
    const before = opts.changed && opts.previous?.get(t.id);
    if (before && !opts.changed!.has(t.ns) && !(t.spec?.collection === 'veths' && opts.changed!.has(t.spec.peer.ns))) {
      const { rxRate: _rx, txRate: _tx, ...kept } = before;
      const status: ElementStatus = { ...kept };
      rateOf(t, status);
      out.push(status);
      byId.set(t.id, status);
      continue;
    }
    const drift: string[] = [];
    let presence: ElementPresence = 'present';
    let unobserved = false;
    const primary = t.primary ? evaluateProbe(t.primary, viewOf(t, t.primary)) : undefined;
    if (primary && t.primary) {
      const p = t.primary;
      if (primary.unobserved) unobserved = true;
      else if (primary.state === 'foreign') presence = 'foreign';
      else if (primary.state === 'absent' && p.type === 'alias' && (interfaceView(t)?.ns.links.length ?? 0) > 0) {
        // The name exists but carries no tag of ours: someone else's object.
        presence = 'foreign';
      }
      else if (primary.state === 'absent') presence = 'missing';
      else if (primary.state === 'drifted') drift.push(detailOf(primary, 'ownership tag differs'));
      if (presence !== 'present') drift.push(detailOf(primary, presence));
    } else if (t.kind === 'interface') {
      unobserved = true;
    }
    const status: ElementStatus = { elementId: t.id, presence };
    if (presence === 'present' && !unobserved) {
      let counted = 0;
      let absent = 0;
      for (const s of t.steps) {
        if (s === t.primaryStep) continue;
        // (A program's record is host-wide, not part of a namespace's view.)
        const r = evaluateProbe(s.probe, s.probe.type === 'program' ? host : viewOf(t, s.probe));
        if (r.unobserved) continue;
        counted++;
        if (r.state === 'foreign') {
          presence = 'foreign';
          drift.push(detailOf(r, 'not ours'));
        } else if (r.state === 'absent') {
          absent++;
          drift.push(missingDetail(s, r, nsByName.get(probeNs(s.probe))));
        } else if (r.state !== 'present') {
          drift.push(detailOf(r, `${s.description}: ${r.state}`));
        }
      }
      const ns = nsByName.get(t.ns);
      if (t.kind === 'namespace') {
        const programs = programStatuses(t.steps, host);
        if (programs) status.programs = programs;
      }
      if (t.kind === 'namespace' && ns?.observed.links && t.loopback) {
        const lo = findLink(ns, 'lo');
        if (lo && !lo.up) drift.push('"lo" is down, want up');
      }
      if (t.kind === 'interface' && ns?.observed.links && t.ifname !== undefined) {
        const iv = interfaceView(t);
        const link = iv?.ns.links[0];
        if (iv && link) {
          if (t.spec) drift.push(...interfaceDrift(host, ns, link, t.spec, iv.ns, peerOf));
          status.operState = operStateOf(link);
        }
      }
      if (t.kind === 'firewall') {
        const cmp = fw.get(t.ns);
        if (cmp) {
          for (const f of cmp.findings) if (f.owner === undefined || f.owner === t.owner) drift.push(f.message);
          const rules = cmp.rulesByOwner.get(t.owner) ?? [];
          if (rules.length > 0) {
            status.rules = rules.map((r) => {
              // The rule as text without its counter values (they are the numbers beside it).
              const rule = r.summary.replace(/(^|\s)counter packets \d+ bytes \d+(?=\s|$)/, '$1counter');
              const c: RuleCounter = { chain: r.chain, rule };
              if (r.counter) {
                c.packets = r.counter.packets;
                c.bytes = r.counter.bytes;
                // The text form has no handles: key by the rule text without its counter values.
                const key = `${t.ns}\u0000${r.chain}\u0000${r.handle ?? rule}`;
                const now = { packets: r.counter.packets, bytes: r.counter.bytes, at };
                ruleCounters.set(key, now);
                const rate = counterRate(opts.previousRuleCounters?.get(key), now);
                if (rate) {
                  c.packetRate = roundRate(rate.pps);
                  c.byteRate = roundRate(rate.bps);
                }
              }
              return c;
            });
          }
        }
      }
      // A host's root namespace is always there: its design is its steps (routes, sysctls).
      // None of them there (a run failed and rolled back, or a destroy) is "missing", like
      // every other element of the design; some there and some not is drift.
      if (presence === 'present' && t.kind === 'host' && counted > 0 && absent === counted) presence = 'missing';
      if (presence === 'present' && drift.length > 0) presence = 'drifted';
    }
    if (unobserved && presence === 'present') presence = 'unknown';
    status.presence = presence;
    if (drift.length > 0) status.drift = drift;
    rateOf(t, status);
    out.push(status);
    byId.set(t.id, status);
  }

  // Veth elements: the worse of their two ends; a namespace-side end without its own
  // counters mirrors its peer (what one end sends, the other receives).
  for (const [id, ends] of model.veths) {
    const a = byId.get(ends.a);
    const b = byId.get(ends.b);
    if (!a || !b) continue;
    for (const [x, y] of [[a, b], [b, a]] as const) {
      if (x.rxRate === undefined && y.txRate !== undefined && x.presence !== 'missing' && x.presence !== 'unknown') {
        x.rxRate = y.txRate;
        x.txRate = y.rxRate ?? 0;
      }
    }
    const v: ElementStatus = { elementId: id, presence: worst(a.presence, b.presence) };
    const drift = [...(a.drift ?? []).map((d) => `end a: ${d}`), ...(b.drift ?? []).map((d) => `end b: ${d}`)];
    if (drift.length) v.drift = drift;
    if (a.operState !== undefined || b.operState !== undefined) v.operState = a.operState === 'up' && b.operState === 'up' ? 'up' : a.operState === 'unknown' || b.operState === 'unknown' ? 'unknown' : 'down';
    if (a.rxRate !== undefined) {
      v.rxRate = a.rxRate;
      v.txRate = a.txRate ?? 0;
    }
    out.push(v);
  }
  return { elements: out, foreign: foreignObjects(model, host, nsByName), ruleCounters };
}

const MAX_FOREIGN = 50;

function nsText(ns: string): string {
  return ns === '' ? 'the root namespace' : `netns ${q(ns)}`;
}

/** Objects that are not Wireplan's where the design lives: our namespaces and router namespaces. */
function foreignObjects(model: StatusModel, host: ObservedHost, nsByName: Map<string, ObservedNamespace>): string[] {
  const out: string[] = [];
  const ourPrefix = `wireplan:${model.tag}:`;
  const table = firewallTable(model.tag);
  const routerNs = new Set(model.routers.map((r) => r.ns));
  for (const name of model.namespaces) {
    const ns = nsByName.get(name);
    if (!ns?.observed.links) continue;
    const tags = model.expectedTags.get(name);
    for (const l of ns.links) {
      if (l.ifname === 'lo') continue;
      if (tags?.get(l.ifname) === l.alias) continue;
      if (l.alias !== undefined && l.alias.startsWith(ourPrefix)) {
        if (!tags?.has(l.ifname)) out.push(`interface ${q(l.ifname)} in ${nsText(name)} is tagged ${q(l.alias)} but the design has no such interface there`);
        continue;
      }
      if (tags?.has(l.ifname)) continue; // name taken: reported on the element itself
      out.push(`interface ${q(l.ifname)} (${l.infoKind ?? l.kind}) in ${nsText(name)} is not Wireplan's`);
    }
  }
  for (const [name, ns] of nsByName) {
    if (!ns.nft) continue;
    const relevant = name === '' || model.namespaces.has(name) || routerNs.has(name);
    if (!relevant) continue;
    for (const t of ns.nft.tables) {
      if (t.family === 'inet' && t.name === table) {
        if (!routerNs.has(name)) out.push(`nft table inet ${q(table)} in ${nsText(name)} is Wireplan's but the design has no firewall there`);
        continue;
      }
      out.push(`nft table ${t.family} ${q(t.name)} in ${nsText(name)} is not Wireplan's`);
    }
  }
  if (out.length > MAX_FOREIGN) return [...out.slice(0, MAX_FOREIGN), `... and ${out.length - MAX_FOREIGN} more`];
  return out;
}

/** Statuses for a host that cannot be observed right now: everything unknown. */
export function unknownStatus(model: StatusModel): ElementStatus[] {
  return [...model.targets.map((t) => t.id), ...model.veths.keys()].map((elementId) => ({ elementId, presence: 'unknown' as const }));
}

/** Deep equality of two element statuses (what the coalescer compares). */
export function sameElementStatus(a: ElementStatus, b: ElementStatus): boolean {
  if (a.presence !== b.presence || a.operState !== b.operState || a.rxRate !== b.rxRate || a.txRate !== b.txRate) return false;
  const da = a.drift ?? [];
  const db = b.drift ?? [];
  if (da.length !== db.length || da.some((d, i) => d !== db[i])) return false;
  const ra = a.rules ?? [];
  const rb = b.rules ?? [];
  if (ra.length !== rb.length) return false;
  return ra.every((r, i) => {
    const s = rb[i]!;
    return r.chain === s.chain && r.rule === s.rule && r.packets === s.packets && r.bytes === s.bytes && r.packetRate === s.packetRate && r.byteRate === s.byteRate;
  });
}
