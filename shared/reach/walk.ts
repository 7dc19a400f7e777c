// Walks one packet through the designed network the way the Linux kernel would: at each
// scope (a namespace or a host's root namespace) conntrack/NAT, the martian-source check,
// local delivery, forwarding (ip_forward), the routing table, the forward-chain policies,
// masquerade, then the layer-2 hop to the neighbour (crossing bridges, whose namespace
// may run bridged traffic through its own firewall). The reply walks back the same way,
// and only counts when it reaches the client from the address the client talked to.
import { formatAddress, parseAddress, type Address } from '../net/ip';
import type { Iface } from '../validation/ifaces';
import { describeDecision, dnatTarget, forwardVerdict, hairpinMasquerade, masqueradeFor, outputDnat, preroutingDnat, type Packet } from './firewall';
import type { L2Path } from './l2';
import { factKey, type Facts, type Hop, type Reason, type ReasonCode, type RouteUse } from './types';
import { isLocal, lookupRoute, sourceAddress, type RouteEntry, type ScopeInfo, type World } from './world';

const MAX_HOPS = 32;

export interface Flow {
  /** NAT done per scope key, so conntrack can undo it on the reply. */
  nat: Map<string, { snat?: { from: string; to: string }; dnat?: { origDst: string; origPort?: number; dst: string; port?: number } }>;
  /** Scopes whose conntrack saw the forward direction (their policies see the reply as established). */
  tracked: Set<string>;
}

export interface WalkResult {
  ok: boolean;
  /** Where the packet was delivered (ok) or dropped. */
  at: ScopeInfo;
  pkt: Packet;
  hops: Hop[];
  reasons: Reason[];
  /** Set when the drop is a blocking cause (the last reason). */
  cause?: ReasonCode;
}

export function newFlow(): Flow {
  return { nat: new Map(), tracked: new Set() };
}

const hostPort = (a: string, port?: number) => (port === undefined ? a : a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`);

function routeUse(r: RouteEntry): RouteUse {
  return { to: r.text, ...(r.via ? { via: addr(r.via) } : {}), dev: r.dev, kind: r.kind };
}

const addr = (a: Address) => formatAddress(a.family, a.value);

function bridgeNetfilter(facts: Facts, s: ScopeInfo, family: 4 | 6): boolean {
  const f = facts[factKey(s.ref.hostId, s.ref.ns)];
  return (family === 4 ? f?.bridgeNetfilter4 : f?.bridgeNetfilter6) === true;
}

interface Neighbour {
  iface: Iface;
  scope: ScopeInfo;
  path: L2Path;
}

type NeighbourFailure = { code: ReasonCode; text: string; element?: string };

/** Who answers for `nextHop` on the segment of `out` (ARP/ND), and the layer-2 path to it. */
function neighbour(w: World, cur: ScopeInfo, out: Iface, nextHop: string, family: 4 | 6): Neighbour | NeighbourFailure {
  const owners = w.owners(family, nextHop).filter((o) => o.iface.scope !== cur.scope.key);
  if (owners.length === 0) {
    if (w.l2.touchesOutside(out)) {
      return { code: 'outside-design', text: `${nextHop} is not in the design; it would have to be on the network beyond ${out.ifname} in ${cur.ref.name}` };
    }
    return { code: 'no-neighbour', text: `nothing in the design has ${nextHop} on the segment of ${out.ifname} in ${cur.ref.name}` };
  }
  let failure: NeighbourFailure | undefined;
  for (const o of owners) {
    const scope = w.scopeOf(o.iface);
    if (!scope) continue;
    const p = w.l2.path(out, o.iface);
    if ('ifaces' in p) return { iface: o.iface, scope, path: p };
    if (p.kind === 'down') {
      failure ??= { code: 'link-down', text: `${p.iface.label}${p.iface.ifname ? ` (${p.iface.ifname})` : ''} is down, so ${nextHop} cannot be reached from ${out.ifname} in ${cur.ref.name}`, element: p.iface.elementId };
    } else if (p.kind === 'macvlan-isolated') {
      failure ??= { code: 'macvlan-isolated', text: `${p.a.label} and ${p.b.label} share a parent NIC, but ${p.mode} mode keeps macvlan children apart`, element: p.b.elementId };
    }
  }
  // IPv4 answers ARP for any local address on any interface (arp_ignore=0): an owner may
  // be reached on another of its interfaces.
  if (family === 4) {
    for (const o of owners) {
      const scope = w.scopeOf(o.iface);
      if (!scope) continue;
      for (const j of scope.scope.ifaces) {
        if (j.key === o.iface.key || !w.adminUp(j)) continue;
        const p = w.l2.path(out, j);
        if ('ifaces' in p) return { iface: j, scope, path: p };
      }
    }
  }
  return failure ?? { code: 'no-neighbour', text: `${nextHop} (${owners[0]!.iface.label}) is not on the segment of ${out.ifname} in ${cur.ref.name}` };
}

/**
 * Walks `pkt` from `start`. Forward direction: NAT rules apply and conntrack records
 * what they did in `flow`; reply direction: conntrack undoes it and policies see the
 * packet as established where the forward direction passed.
 */
export function walk(w: World, facts: Facts, start: ScopeInfo, input: Packet, dir: 'forward' | 'reply', flow: Flow): WalkResult {
  const pkt: Packet = { ...input };
  const hops: Hop[] = [];
  const reasons: Reason[] = [];
  const seen = new Set<string>();
  const reason = (code: ReasonCode, text: string, at?: ScopeInfo, extra: { element?: string; rule?: number; short?: string } = {}) =>
    reasons.push({ code, text, ...(at ? { at: at.ref.name } : {}), ...extra, dir });
  const fail = (at: ScopeInfo, code: ReasonCode, text: string, hop?: Hop, extra: { element?: string; rule?: number } = {}): WalkResult => {
    reason(code, text, at, extra);
    if (hop) {
      hop.role = 'drop';
      hops.push(hop);
    }
    return { ok: false, at, pkt, hops, reasons, cause: code };
  };

  /** conntrack: on the reply, undo what this scope rewrote on the way in. */
  const unNat = (s: ScopeInfo) => {
    if (dir !== 'reply') return;
    const n = flow.nat.get(s.scope.key);
    if (!n) return;
    if (n.snat && pkt.dst === n.snat.to) {
      pkt.dst = n.snat.from;
      reason('un-nat', `${s.ref.name} maps the reply back to ${n.snat.from} (masquerade)`, s, { short: `reply un-masqueraded at ${s.ref.name}` });
    }
    if (n.dnat && pkt.src === n.dnat.dst && pkt.sport === n.dnat.port) {
      pkt.src = n.dnat.origDst;
      if (n.dnat.origPort !== undefined) pkt.sport = n.dnat.origPort;
      reason('un-nat', `${s.ref.name} restores the reply's source to ${hostPort(n.dnat.origDst, n.dnat.origPort)} (port forward)`, s, { short: `reply un-DNATed at ${s.ref.name}` });
    }
  };

  const applyDnat = (s: ScopeInfo, pfName: string, pfId: string, target: { address: string; port: number }, hop: Hop) => {
    const n = flow.nat.get(s.scope.key) ?? {};
    n.dnat = { origDst: pkt.dst, ...(pkt.dport !== undefined ? { origPort: pkt.dport } : {}), dst: target.address, port: target.port };
    flow.nat.set(s.scope.key, n);
    reason('dnat', `port forward "${pfName}" at ${s.ref.name} sends ${hostPort(pkt.dst, pkt.dport)} to ${hostPort(target.address, target.port)}`, s, { element: pfId, short: `DNAT at ${s.ref.name} to ${hostPort(target.address, target.port)}` });
    pkt.dst = target.address;
    pkt.dport = target.port;
    (hop.firewall ??= []).push(pfId);
  };

  /** The forward chain; returns false (after recording the drop) when it drops. */
  const filter = (s: ScopeInfo, hop: Hop, iif: string | undefined, oif: string | undefined): boolean => {
    if (s.policies.length === 0) return true;
    const established = dir === 'reply' && flow.tracked.has(s.scope.key);
    const d = forwardVerdict(s.policies, pkt, { iif, oif, established });
    if (dir === 'forward') flow.tracked.add(s.scope.key);
    if (d.policy) (hop.firewall ??= []).push(d.policy.id);
    if (d.verdict === 'drop') {
      reason('policy-drop', `policy "${d.policy!.name}" at ${s.ref.name} drops it ${describeDecision(d)}`, s, { element: d.policy!.id, ...(d.rule !== undefined ? { rule: d.rule } : {}) });
      return false;
    }
    if (d.how === 'established') reason('established', `the firewall at ${s.ref.name} accepts the reply ${describeDecision(d)}`, s);
    else if (d.policy) reason('policy-accept', `policy "${d.policy.name}" at ${s.ref.name} accepts it ${describeDecision(d)}`, s, { element: d.policy.id, ...(d.rule !== undefined ? { rule: d.rule } : {}), short: `policy "${d.policy.name}"${d.rule !== undefined ? ` rule ${d.rule + 1}` : ''} accepts` });
    return true;
  };

  const masquerade = (s: ScopeInfo, outIf: string, hop: Hop, route: RouteEntry | undefined, nextHop: Address | undefined) => {
    if (dir !== 'forward' || flow.nat.get(s.scope.key)?.snat) return; // conntrack NATs a connection once per namespace
    // A port forward's hairpin masquerade first (its rules come first in postrouting).
    const dnat = flow.nat.get(s.scope.key)?.dnat;
    const hairpin = dnat && pkt.dst === dnat.dst && hairpinMasquerade(s.addrs.map((a) => a.prefix), pkt, dnat.dst) ? dnat : undefined;
    const m = hairpin ? undefined : masqueradeFor(s.masquerades, pkt, outIf);
    if (!m && !hairpin) return;
    const to = route && nextHop ? sourceAddress(s, route, nextHop) : s.addrs.find((a) => a.iface.ifname === outIf && a.prefix.family === pkt.family)?.address;
    if (!to) return;
    const n = flow.nat.get(s.scope.key) ?? {};
    n.snat = { from: pkt.src, to };
    flow.nat.set(s.scope.key, n);
    if (hairpin) {
      const pf = s.portForwards.find((x) => dnatTarget(x).address === hairpin.dst);
      reason('masquerade', `${s.ref.name} masquerades the hairpin connection from ${pkt.src} as ${to}${pf ? ` (port forward "${pf.name}")` : ''}, so the reply comes back through it`, s, {
        ...(pf ? { element: pf.id } : {}),
        short: `hairpin-masqueraded at ${s.ref.name} as ${to}`,
      });
      if (pf) (hop.firewall ??= []).push(pf.id);
    } else if (m) {
      reason('masquerade', `masquerade "${m.name}" at ${s.ref.name} rewrites the source ${pkt.src} to ${to}`, s, { element: m.id, short: `masqueraded at ${s.ref.name} as ${to}` });
      (hop.firewall ??= []).push(m.id);
    }
    pkt.src = to;
  };

  let cur = start;
  let inIf: Iface | undefined;
  let dnatDone = false;
  /** Set while a frame DNAT'ed by bridge netfilter is routed on: the bridge and the scope that sent it. */
  let bridgedFrom: { bridge: Iface; scope: string } | undefined;
  let prevScope: string | undefined;
  for (let n = 0; n < MAX_HOPS; n++) {
    const arriving = inIf !== undefined;
    const hop: Hop = { scope: cur.ref, role: arriving ? 'forward' : 'send', src: pkt.src, dst: pkt.dst, ...(pkt.dport !== undefined ? { dport: pkt.dport } : {}) };
    if (inIf?.ifname) hop.inIf = inIf.ifname;
    if (arriving && pkt.src !== '' && isLocal(cur, pkt.family, pkt.src)) {
      return fail(cur, 'martian', `${cur.ref.name} drops it as a martian: its source ${pkt.src} is one of ${cur.ref.name}'s own addresses`, hop);
    }
    unNat(cur);
    const origDst = pkt.dst;
    if (dir === 'forward' && !dnatDone) {
      if (arriving) {
        const pf = preroutingDnat(cur.portForwards, pkt, inIf?.ifname, isLocal(cur, pkt.family, pkt.dst));
        if (pf) applyDnat(cur, pf.name, pf.id, dnatTarget(pf), hop);
        // With bridge netfilter on, a frame that came in through a bridge is DNAT'ed at the bridge's prerouting.
        if (pf && inIf?.collection === 'bridges' && prevScope !== undefined && bridgeNetfilter(facts, cur, pkt.family)) bridgedFrom = { bridge: inIf, scope: prevScope };
      } else {
        const pf = outputDnat(cur.portForwards, pkt, isLocal(cur, pkt.family, pkt.dst));
        if (pf) applyDnat(cur, pf.name, pf.id, dnatTarget(pf), hop);
      }
    }
    dnatDone = false;
    hop.dst = pkt.dst;
    if (pkt.dport !== undefined) hop.dport = pkt.dport;
    if (isLocal(cur, pkt.family, pkt.dst)) {
      if (pkt.src === '') pkt.src = pkt.dst;
      hop.role = 'deliver';
      hop.src = pkt.src;
      hops.push(hop);
      reason('delivered', `${pkt.dst} is an address of ${cur.ref.name}`, cur);
      return { ok: true, at: cur, pkt, hops, reasons };
    }
    if (arriving) {
      if (!cur.forwards(pkt.family)) {
        return fail(cur, 'forwarding-off', `${cur.ref.name} does not forward it: ${pkt.family === 4 ? 'ip_forward' : 'IPv6 forwarding'} is off there`, hop, { element: cur.scope.ownerId });
      }
    }
    const dst = parseAddress(pkt.dst)!;
    const route = lookupRoute(cur, dst);
    if (!route) {
      if (!cur.scope.ns) {
        return fail(cur, 'outside-design', `${cur.ref.name} has no route to ${pkt.dst} in the design; the host's own routes would decide`, hop);
      }
      return fail(cur, 'no-route', `${cur.ref.name} has no route to ${pkt.dst}`, hop, { element: cur.scope.ownerId });
    }
    hop.route = routeUse(route);
    hop.outIf = route.dev;
    const nextHop = route.via ?? dst;
    const nextHopText = addr(nextHop);
    hop.nextHop = nextHopText;
    if (!route.iface) {
      return fail(cur, 'outside-design', `${cur.ref.name} sends it out of NIC ${route.dev}, beyond the design`, hop);
    }
    if (arriving) {
      if (!filter(cur, hop, inIf?.ifname, route.dev)) {
        hop.role = 'drop';
        hops.push(hop);
        return { ok: false, at: cur, pkt, hops, reasons, cause: 'policy-drop' };
      }
      reason('forwards', `${cur.ref.name} forwards it (${pkt.family === 4 ? 'ip_forward' : 'IPv6 forwarding'} on)`, cur, { short: `routed by ${cur.ref.name}` });
    }
    if (pkt.src === '') {
      const src = origDst !== pkt.dst && isLocal(cur, pkt.family, origDst) ? origDst : sourceAddress(cur, route, nextHop);
      if (!src) return fail(cur, 'no-source', `${cur.ref.name} has no IPv${pkt.family} address to send from`, hop);
      pkt.src = src;
      hop.src = src;
    }
    reason(
      'route',
      route.kind === 'connected'
        ? `${cur.ref.name}: ${pkt.dst} is on its connected subnet ${route.text} (${route.dev})`
        : `${cur.ref.name}: route ${route.text}${route.via ? ` via ${nextHopText}` : ''} dev ${route.dev}`,
      cur,
    );
    masquerade(cur, route.dev, hop, route, nextHop);
    hops.push(hop);

    const nb = neighbour(w, cur, route.iface, nextHopText, pkt.family);
    if (!('iface' in nb)) {
      hop.role = 'drop';
      reason(nb.code, nb.text, cur, nb.element ? { element: nb.element } : {});
      return { ok: false, at: cur, pkt, hops, reasons, cause: nb.code };
    }
    if (bridgedFrom && route.iface.key === bridgedFrom.bridge.key && nb.scope.scope.key === bridgedFrom.scope) {
      // br_netfilter bridges a DNAT'ed frame straight back out of its bridge, and a bridge
      // never sends a frame out of the port it came in on (unless that port is in hairpin mode).
      hop.role = 'drop';
      reason('hairpin-port', `bridge ${bridgedFrom.bridge.ifname} in ${cur.ref.name} would send the DNAT'ed frame back out of the port it came in on, which a bridge port does only in hairpin mode (bridge netfilter is on there)`, cur);
      return { ok: false, at: cur, pkt, hops, reasons, cause: 'hairpin-port' };
    }
    bridgedFrom = undefined;
    hop.segment = nb.path.ifaces.map((i) => ({
      hostId: i.host?.id ?? '',
      ns: i.ns?.name ?? '',
      ifname: i.ifname ?? i.key,
      ...(i.master ? { master: w.l2.masterName(i)! } : {}),
      label: i.label,
    }));
    const through = nb.path.bridged.map((b) => b.ifname ?? b.key);
    reason('segment', `${nextHopText} is ${nb.scope.ref.name} (${nb.iface.label}) on the segment of ${route.dev}${through.length ? `, through bridge ${through.join(', ')}` : ''}`, cur, {
      element: nb.iface.elementId,
      short: through.length ? `over bridge ${through.join(', ')}` : `over ${route.dev}`,
    });

    // Bridges on the way may run the frame through their namespace's netfilter hooks.
    let rerouted: { scope: ScopeInfo; bridge: Iface } | undefined;
    for (const b of nb.path.bridged) {
      const r = w.scopeOf(b);
      if (!r || !bridgeNetfilter(facts, r, pkt.family)) continue;
      const bhop: Hop = { scope: r.ref, role: 'bridge', bridge: b.ifname ?? b.key, src: pkt.src, dst: pkt.dst, ...(pkt.dport !== undefined ? { dport: pkt.dport } : {}) };
      reason('bridge-netfilter', `bridge ${b.ifname} in ${r.ref.name} passes the frame through ${r.ref.name}'s firewall (bridge-nf-call-${pkt.family === 4 ? 'iptables' : 'ip6tables'}=1)`, r);
      unNat(r);
      if (dir === 'forward') {
        const pf = preroutingDnat(r.portForwards, pkt, b.ifname, isLocal(r, pkt.family, pkt.dst));
        if (pf) {
          applyDnat(r, pf.name, pf.id, dnatTarget(pf), bhop);
          hops.push(bhop);
          rerouted = { scope: r, bridge: b };
          break;
        }
      }
      if (!filter(r, bhop, b.ifname, b.ifname)) {
        bhop.role = 'drop';
        hops.push(bhop);
        return { ok: false, at: r, pkt, hops, reasons, cause: 'policy-drop' };
      }
      if (dir === 'forward') flow.tracked.add(r.scope.key);
      masquerade(r, b.ifname ?? '', bhop, undefined, undefined);
      hops.push(bhop);
    }
    if (rerouted) {
      // br_netfilter routes a frame whose destination DNAT changed: continue at the bridge's namespace.
      bridgedFrom = { bridge: rerouted.bridge, scope: cur.scope.key };
      prevScope = cur.scope.key;
      cur = rerouted.scope;
      inIf = rerouted.bridge;
      dnatDone = true;
    } else {
      prevScope = cur.scope.key;
      cur = nb.scope;
      inIf = nb.iface;
    }
    const k = `${cur.scope.key}|${pkt.src}|${pkt.dst}|${pkt.dport ?? ''}`;
    if (seen.has(k)) return fail(cur, 'loop', `the packet loops back to ${cur.ref.name}`);
    seen.add(k);
  }
  return fail(cur, 'loop', `more than ${MAX_HOPS} hops: a routing loop`);
}
