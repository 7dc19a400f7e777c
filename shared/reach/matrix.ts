// The expected reachability matrix of a design: which probes to run and what each must
// show. Sources are every namespace (and host root namespace) with an address; targets
// are every design address (ping), every published port (TCP to the router), and every
// port a forwarding policy names (TCP to the addresses it protects, plus one port it
// does not admit). Big designs are capped: firewall probes first, then each source's
// gateways and neighbours, then a deterministic sample of the rest, with a note saying so.
import { fnv1a } from '../compile/names';
import type { Design } from '../model/schema';
import { canonicalAddress, contains, formatAddress, parseAddress, type Family } from '../net/ip';
import { isLinkLocalV6, isLoopback, isMulticast, isUnspecified } from '../validation/addr-kinds';
import { buildContext, type IfaceAddress } from '../validation/context';
import type { Diagnostic } from '../validation/diagnostic';
import { parsePortSpec } from '../validation/ports';
import { validate } from '../validation/validate';
import { expectProbe } from './expect';
import { protectedPrefixes } from './firewall';
import type { Expectation, Facts, ListenerSpec, Matrix, ProbeOrigin, ProbeSpec, ScopeRef } from './types';
import { buildWorld, type ScopeInfo, type World } from './world';

export const DEFAULT_MAX_PROBES = 400;
/** Ports tried, in order, as "a port the policy does not admit". */
const DENIED_PORT_CANDIDATES = [22, 443, 3306, 8443, 9999, 65000];

export interface MatrixOptions {
  /** At most this many probes (default 400). */
  maxProbes?: number;
  /** Only sources on these hosts (id or name). */
  hosts?: readonly string[];
  /** Host facts the design does not hold (bridge netfilter); default: off everywhere. */
  facts?: Facts;
}

export type MatrixResult = { ok: true; matrix: Matrix; world: World } | { ok: false; diagnostics: Diagnostic[] };

interface Candidate {
  kind: 'ping' | 'tcp';
  family: Family;
  from: ScopeInfo;
  to: string;
  port?: number;
  target: string;
  origin: ProbeOrigin;
  /** 0: firewall (policy, port forward); 1: gateways and neighbours; 2: the rest. */
  tier: 0 | 1 | 2;
}

const usable = (a: IfaceAddress) => {
  const addr = { family: a.prefix.family, value: a.prefix.address };
  return !isLinkLocalV6(addr) && !isMulticast(addr) && !isLoopback(addr) && !isUnspecified(addr);
};

export function expectedMatrix(design: Design, opts: MatrixOptions = {}): MatrixResult {
  const diagnostics = validate(design);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const world = buildWorld(buildContext(design));
  const facts = opts.facts ?? {};
  const max = Math.max(1, opts.maxProbes ?? DEFAULT_MAX_PROBES);
  const notes: string[] = [];

  const wantedHosts = opts.hosts?.length ? new Set(opts.hosts) : undefined;
  const sources = [...world.scopes.values()].filter(
    (s) => s.addrs.some(usable) && (!wantedHosts || wantedHosts.has(s.ref.hostId) || wantedHosts.has(s.ref.hostName)),
  );
  const silent = [...world.scopes.values()].filter((s) => !s.addrs.some(usable) && s.scope.ns);
  if (silent.length) notes.push(`${silent.length} namespace(s) without an address are not used as sources (${silent.slice(0, 3).map((s) => s.ref.name).join(', ')}${silent.length > 3 ? ', ...' : ''})`);

  // Destinations: each design address once (first owner), wherever it lives.
  const dests = new Map<string, IfaceAddress>();
  for (const a of world.ctx.addresses) {
    if (a.iface.scope === undefined || !usable(a)) continue;
    const k = `${a.prefix.family}/${a.address}`;
    if (!dests.has(k)) dests.set(k, a);
  }
  const destList = [...dests.values()];
  const where = (a: IfaceAddress) => {
    const s = world.scopeOf(a.iface);
    return s ? s.ref.name : '?';
  };

  const firewall = firewallCandidates(world, sources, destList, notes);
  const keyOf = (c: { kind: string; from: ScopeInfo; to: string; port?: number }) => `${c.kind}|${c.from.scope.key}|${c.to}|${c.port ?? ''}`;
  const hashed = <T>(list: readonly T[], k: (t: T) => string): T[] =>
    list.map((x) => ({ x, h: fnv1a(`${design.tag}|${k(x)}`) })).sort((a, b) => a.h - b.h).map((y) => y.x);

  // Every (source, address) pair is a ping candidate; firewall TCP probes come on top.
  const ownCount = new Map<string, number>();
  for (const d of destList) ownCount.set(d.iface.scope!, (ownCount.get(d.iface.scope!) ?? 0) + 1);
  const pairs = sources.reduce((n, s) => n + destList.length - (ownCount.get(s.scope.key) ?? 0), 0);
  const candidates = pairs + new Set(firewall.filter((c) => c.kind === 'tcp').map(keyOf)).size;

  const chosen: Expectation[] = [];
  const seen = new Set<string>();
  let unpredictable = 0;
  const take = (c: Candidate): boolean => {
    if (chosen.length >= max) return false;
    const key = keyOf(c);
    if (seen.has(key)) return true;
    seen.add(key);
    const probe: ProbeSpec = {
      id: `p${chosen.length + 1}`,
      kind: c.kind,
      family: c.family,
      from: c.from.ref,
      to: c.to,
      ...(c.port !== undefined ? { port: c.port } : {}),
      target: c.target,
      origin: c.origin,
    };
    const e = expectProbe(world, facts, probe);
    if (e.predictable === false) {
      unpredictable++;
      return true;
    }
    chosen.push(e);
    return true;
  };

  // 1. Firewall probes (port forwards, policies): what a design most often gets wrong.
  for (const c of hashed(firewall, keyOf)) if (!take(c)) break;
  // 2. Each source's gateways.
  const order = hashed(sources, (s) => s.scope.key).map((s) => ({
    s,
    segs: new Set(s.scope.ifaces.map((i) => world.ctx.segments.of(i))),
    gws: new Set(s.routes.flatMap((r) => (r.via ? [formatAddress(r.via.family, r.via.value)] : []))),
  }));
  for (const o of order) {
    for (const g of o.gws) {
      const d = dests.get(`${g.includes(':') ? 6 : 4}/${g}`);
      if (d && d.iface.scope !== o.s.scope.key && !take(pingCandidate(o.s, d, where(d), 1))) break;
    }
  }
  // 3. Neighbours on the same segments, then 4. everything else: round-robin over the
  // sources, each walking the addresses from its own hashed start with a stride coprime
  // to their number, so a cap samples evenly without listing every pair.
  const D = destList.length;
  const stride = coprimeStride(D);
  for (const near of [true, false]) {
    let active = order.map((o) => ({ ...o, k: 0, start: D ? fnv1a(`${design.tag}|start|${o.s.scope.key}`) % D : 0 }));
    while (active.length > 0 && chosen.length < max) {
      const next: typeof active = [];
      for (const c of active) {
        let found = false;
        while (c.k < D) {
          const d = destList[(c.start + c.k * stride) % D]!;
          c.k++;
          if (d.iface.scope === c.s.scope.key || (c.segs.has(d.segment) || c.gws.has(d.address)) !== near) continue;
          found = true;
          if (!take(pingCandidate(c.s, d, where(d), near ? 1 : 2))) break;
          break;
        }
        if (found) next.push(c);
        if (chosen.length >= max) break;
      }
      active = next;
    }
  }
  if (chosen.length + unpredictable < candidates) {
    notes.push(`checked ${chosen.length} of ${candidates} candidate probes (cap ${max}): firewall probes first, then gateways and neighbours, then an even sample of the rest`);
  }
  if (unpredictable > 0) {
    notes.push(`${unpredictable} probe(s) left out: their packets leave through a host's own routes or LAN, which the design does not describe`);
  }
  chosen.forEach((e, i) => (e.probe.id = `p${i + 1}`));
  const matrix: Matrix = {
    design: { name: design.name, tag: design.tag },
    probes: chosen.map((e) => e.probe),
    expectations: chosen,
    listeners: listenersFor(world, chosen),
    candidates,
    unpredictable,
    notes,
  };
  return { ok: true, matrix, world };
}

function pingCandidate(s: ScopeInfo, d: IfaceAddress, where: string, tier: 1 | 2): Candidate {
  return {
    kind: 'ping',
    family: d.prefix.family,
    from: s,
    to: d.address,
    target: `${d.iface.label} on ${where}`,
    origin: { kind: 'address', elementId: d.iface.elementId },
    tier,
  };
}

function firewallCandidates(w: World, sources: ScopeInfo[], dests: IfaceAddress[], notes: string[]): Candidate[] {
  const out: Candidate[] = [];
  let udp = 0;
  for (const pf of w.ctx.design.portForwards) {
    if (pf.protocol !== 'tcp') {
      udp++;
      continue;
    }
    const router = w.ctx.scopeAt(pf.at);
    const info = router && w.scopes.get(router.key);
    const to = parseAddress(pf.to);
    if (!info || !to) continue;
    const listen = pf.listen !== undefined ? canonicalAddress(pf.listen) : undefined;
    const published = listen ? [listen] : info.addrs.filter((a) => a.prefix.family === to.family && usable(a)).map((a) => a.address);
    if (published.length === 0) continue;
    for (const s of sources) {
      if (!s.addrs.some((a) => a.prefix.family === to.family)) continue;
      // The router address this source meets first: one on a segment it shares, else the first.
      const mine = new Set(s.scope.ifaces.map((i) => w.ctx.segments.of(i)));
      const near = info.addrs.find((a) => published.includes(a.address) && mine.has(a.segment));
      const addr = s === info ? published[0]! : (near?.address ?? published[0]!);
      out.push({
        kind: 'tcp',
        family: to.family,
        from: s,
        to: addr,
        port: pf.port,
        target: `port forward "${pf.name}" (tcp/${pf.port} at ${info.ref.name})`,
        origin: { kind: 'port-forward', elementId: pf.id },
        tier: 0,
      });
    }
  }
  if (udp) notes.push(`${udp} UDP port forward(s) are not probed (a UDP probe cannot tell "dropped" from "nobody answered")`);
  let udpRules = 0;
  for (const policy of w.ctx.design.policies) {
    const router = w.ctx.scopeAt(policy.at);
    const info = router && w.scopes.get(router.key);
    if (!info) continue;
    udpRules += policy.rules.filter((r) => r.protocol === 'udp').length;
    for (const family of [4, 6] as const) {
      const prefixes = protectedPrefixes(policy, family);
      // Up to two guarded addresses per prefix (the router's own are delivered, not forwarded).
      const guarded: IfaceAddress[] = [];
      for (const p of prefixes) {
        guarded.push(...dests.filter((d) => d.prefix.family === family && d.iface.scope !== info.scope.key && contains(p, { family, value: d.prefix.address })).slice(0, 2));
      }
      if (guarded.length === 0) continue;
      const ports: { port: number; rule?: number }[] = [];
      policy.rules.forEach((r, i) => {
        if (r.protocol !== 'tcp') return;
        const range = r.ports !== undefined ? parsePortSpec(r.ports) : undefined;
        const port = range ? range.lo : 80;
        if (!ports.some((p) => p.port === port)) ports.push({ port, rule: i });
      });
      const admitted = (port: number) =>
        policy.rules.some((r) => {
          if (r.protocol !== 'tcp' && r.protocol !== 'any') return false;
          const range = r.ports !== undefined ? parsePortSpec(r.ports) : undefined;
          return !range || (port >= range.lo && port <= range.hi);
        });
      const denied = DENIED_PORT_CANDIDATES.find((p) => !admitted(p) && !ports.some((x) => x.port === p));
      if (denied !== undefined && (policy.defaultAction === 'drop' || policy.rules.some((r) => r.action === 'drop'))) ports.push({ port: denied });
      for (const d of guarded) {
        const owner = w.scopeOf(d.iface)?.ref.name ?? '?';
        for (const s of sources) {
          if (s.scope.key === d.iface.scope || !s.addrs.some((a) => a.prefix.family === family)) continue;
          out.push({
            kind: 'ping',
            family,
            from: s,
            to: d.address,
            target: `${d.iface.label} on ${owner} (guarded by policy "${policy.name}")`,
            origin: { kind: 'policy', elementId: policy.id },
            tier: 0,
          });
          for (const p of ports) {
            out.push({
              kind: 'tcp',
              family,
              from: s,
              to: d.address,
              port: p.port,
              target: `${d.iface.label} on ${owner} (policy "${policy.name}" ${p.rule !== undefined ? `rule ${p.rule + 1}` : 'default'})`,
              origin: { kind: 'policy', elementId: policy.id, ...(p.rule !== undefined ? { rule: p.rule } : {}) },
              tier: 0,
            });
          }
        }
      }
    }
  }
  if (udpRules) notes.push(`${udpRules} UDP policy rule(s) are not probed`);
  return out;
}

/**
 * Temporary listeners: where each TCP probe should land, where it lands without any
 * DNAT (the address it was sent to), and where a port forward on that port would send it.
 */
function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A step through 0..n-1 that visits every index once (coprime to n), not a small one. */
function coprimeStride(n: number): number {
  if (n <= 2) return 1;
  for (const p of [7919, 104729, 1299709, 15485863]) {
    const s = p % n;
    if (s > 1 && gcd(s, n) === 1) return s;
  }
  return 1;
}

export function listenersFor(w: World, expectations: readonly Expectation[]): ListenerSpec[] {
  const out: ListenerSpec[] = [];
  const keys = new Map<string, ListenerSpec>();
  let probe = '';
  const add = (scope: ScopeRef, address: string, port: number) => {
    const k = `${scope.key}|${address}|${port}`;
    const known = keys.get(k);
    if (known) {
      if (!known.probes.includes(probe)) known.probes.push(probe);
      return;
    }
    const l: ListenerSpec = { id: `L${out.length + 1}`, scope, address, port, probes: [probe] };
    keys.set(k, l);
    out.push(l);
  };
  for (const e of expectations) {
    const p = e.probe;
    probe = p.id;
    if (p.kind !== 'tcp' || p.port === undefined) continue;
    if (e.landsAt?.port !== undefined) add(e.landsAt.scope, e.landsAt.address, e.landsAt.port);
    const owner = w.owners(p.family, p.to)[0];
    const ownerScope = owner && w.scopeOf(owner.iface);
    if (ownerScope) add(ownerScope.ref, p.to, p.port);
    for (const pf of w.ctx.design.portForwards) {
      const to = parseAddress(pf.to);
      if (pf.protocol !== 'tcp' || pf.port !== p.port || to?.family !== p.family) continue;
      const target = canonicalAddress(pf.to)!;
      const t = w.owners(to.family, target)[0];
      const ts = t && w.scopeOf(t.iface);
      if (ts) add(ts.ref, target, pf.toPort ?? pf.port);
    }
  }
  return out;
}
