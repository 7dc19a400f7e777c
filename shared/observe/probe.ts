// Evaluate a plan step's probe against an observed host.
//
//   present  the step's effect is on the host, owned by us where ownership applies
//   absent   not there (apply would create it)
//   foreign  something with that name exists but is not ours (no/other ownership tag):
//            never modify or delete it
//   drifted  ours (or an attribute of ours) but different from what the step asks for
//
// When the part of the state a probe needs was not observed in this snapshot, the result
// carries `unobserved: true` (state 'absent'), so reconcile can tell "missing" from
// "unknown" and re-observe instead of acting.
import type { LinkProps, Probe } from '../compile/plan';
import { canonicalAddress, canonicalPrefix, parseAddress } from '../net/ip';
import { findLink, findNamespace, namespaceOwner } from './host';
import { programProbe } from './program-state';
import { judgeQdisc } from './tc-qdisc';
import { canonicalRouteDst } from './ip-route';
import { normalizeSysctlKey, normalizeSysctlValue } from './sysctl';
import type { ObservedHost, ObservedLink, ObservedNamespace, ObservedRoute } from './types';

export type ProbeState = 'present' | 'absent' | 'foreign' | 'drifted';

export interface ProbeResult {
  state: ProbeState;
  detail?: string;
  /** The data needed was not part of this snapshot: `state` is a placeholder. */
  unobserved?: true;
}

const q = (s: string) => JSON.stringify(s);

function nsLabel(ns: string): string {
  return ns === '' ? 'the root namespace' : `netns ${q(ns)}`;
}

function unobserved(detail: string): ProbeResult {
  return { state: 'absent', detail, unobserved: true };
}

function needNamespace(host: ObservedHost, name: string): ObservedNamespace | ProbeResult {
  const ns = findNamespace(host, name);
  if (!ns) return { state: 'absent', detail: `${nsLabel(name)} does not exist` };
  return ns;
}

function isResult(x: ObservedNamespace | ProbeResult): x is ProbeResult {
  return 'state' in x;
}

/** Canonical route destination of a probe's `to` ("default" needs a family: from via, else both). */
function probeDsts(to: string, via: string | undefined): string[] {
  if (to === 'default' || to === 'default/0') {
    const fam = via !== undefined ? parseAddress(via)?.family : undefined;
    return fam === 6 ? ['::/0'] : fam === 4 ? ['0.0.0.0/0'] : ['0.0.0.0/0', '::/0'];
  }
  const fam = parseAddress(to.split('/')[0] ?? '')?.family;
  const dst = fam === undefined ? undefined : canonicalRouteDst(to, fam);
  return dst === undefined ? [] : [dst];
}

function routeGateways(r: ObservedRoute): string[] {
  if (r.gateway !== undefined) return [r.gateway];
  return (r.nexthops ?? []).flatMap((h) => (h.gateway !== undefined ? [h.gateway] : []));
}

function routeDevs(r: ObservedRoute): string[] {
  if (r.dev !== undefined) return [r.dev];
  return (r.nexthops ?? []).flatMap((h) => (h.dev !== undefined ? [h.dev] : []));
}

function describeRoute(r: ObservedRoute): string {
  const parts = [r.dst];
  const gws = routeGateways(r);
  if (gws.length) parts.push(`via ${gws.join(',')}`);
  const devs = routeDevs(r);
  if (devs.length) parts.push(`dev ${devs.map(q).join(',')}`);
  if (r.metric !== undefined) parts.push(`metric ${r.metric}`);
  return parts.join(' ');
}

/** The designed MTU and MAC against the link's: drift named the way the runtime's status names it. */
function propsDrift(probe: LinkProps & { ifname: string }, link: ObservedLink): ProbeResult {
  const diffs: string[] = [];
  if (probe.mtu !== undefined && link.mtu !== undefined && link.mtu !== probe.mtu) diffs.push(`mtu ${link.mtu}, designed ${probe.mtu}`);
  if (probe.mac !== undefined && link.mac !== undefined && link.mac.toLowerCase() !== probe.mac) diffs.push(`mac ${link.mac}, designed ${probe.mac}`);
  return diffs.length === 0 ? { state: 'present' } : { state: 'drifted', detail: `${q(probe.ifname)}: ${diffs.join('; ')}` };
}

export function evaluateProbe(probe: Probe, host: ObservedHost): ProbeResult {
  try {
    return evaluate(probe, host);
  } catch (e) {
    return unobserved(`probe evaluation failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function evaluate(probe: Probe, host: ObservedHost): ProbeResult {
  switch (probe.type) {
    case 'netns': {
      const ns = findNamespace(host, probe.name);
      if (!ns) return { state: 'absent', detail: `${nsLabel(probe.name)} does not exist` };
      if (!ns.observed.links) return unobserved(`${nsLabel(probe.name)} exists but its links were not observed`);
      const owner = namespaceOwner(ns);
      if (owner === probe.owner) return { state: 'present' };
      return {
        state: 'foreign',
        detail: owner === undefined ? `${nsLabel(probe.name)} exists without an ownership tag on lo` : `${nsLabel(probe.name)} is tagged ${q(owner)}`,
      };
    }
    case 'link': {
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      if (!ns.observed.links) return unobserved(`links of ${nsLabel(probe.ns)} were not observed`);
      const link = findLink(ns, probe.ifname);
      if (!link) return { state: 'absent', detail: `no interface ${q(probe.ifname)} in ${nsLabel(probe.ns)}` };
      if (link.alias === probe.owner) return propsDrift(probe, link);
      return {
        state: 'foreign',
        detail:
          link.alias === undefined
            ? `${q(probe.ifname)} exists in ${nsLabel(probe.ns)} without an ownership tag`
            : `${q(probe.ifname)} exists in ${nsLabel(probe.ns)} with alias ${q(link.alias)}`,
      };
    }
    case 'alias': {
      // The tag on an interface an earlier step created (veth peer, a namespace's lo).
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      if (!ns.observed.links) return unobserved(`links of ${nsLabel(probe.ns)} were not observed`);
      const link = findLink(ns, probe.ifname);
      if (!link) return { state: 'absent', detail: `no interface ${q(probe.ifname)} in ${nsLabel(probe.ns)}` };
      if (link.alias === probe.owner) return propsDrift(probe, link);
      if (link.alias === undefined) return { state: 'absent', detail: `${q(probe.ifname)} has no ownership tag yet` };
      return { state: 'drifted', detail: `${q(probe.ifname)} has alias ${q(link.alias)}, want ${q(probe.owner)}` };
    }
    case 'link-state': {
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      if (!ns.observed.links) return unobserved(`links of ${nsLabel(probe.ns)} were not observed`);
      const link = findLink(ns, probe.ifname);
      if (!link) return { state: 'absent', detail: `no interface ${q(probe.ifname)} in ${nsLabel(probe.ns)}` };
      const diffs: string[] = [];
      // master undefined = the design wants the link outside any bridge.
      if (link.master !== probe.master) {
        diffs.push(`master is ${link.master === undefined ? 'none' : q(link.master)}, want ${probe.master === undefined ? 'none' : q(probe.master)}`);
      }
      if (link.up !== probe.up) diffs.push(`admin state is ${link.up ? 'up' : 'down'}, want ${probe.up ? 'up' : 'down'}`);
      return diffs.length === 0 ? { state: 'present' } : { state: 'drifted', detail: `${q(probe.ifname)}: ${diffs.join('; ')}` };
    }
    case 'addr': {
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      if (!ns.observed.addresses) return unobserved(`addresses of ${nsLabel(probe.ns)} were not observed`);
      const want = canonicalPrefix(probe.cidr);
      if (want === undefined) return { state: 'absent', detail: `probe address ${q(probe.cidr)} is not a valid prefix` };
      const local = want.slice(0, want.lastIndexOf('/'));
      const link = ns.observed.links ? findLink(ns, probe.ifname) : undefined;
      if (ns.observed.links && !link) return { state: 'absent', detail: `no interface ${q(probe.ifname)} in ${nsLabel(probe.ns)}` };
      const mine = ns.addresses.filter((a) => a.ifname === probe.ifname);
      const exact = mine.find((a) => a.cidr === want);
      if (exact) {
        if (exact.flags.includes('dadfailed')) return { state: 'drifted', detail: `${want} on ${q(probe.ifname)} failed duplicate address detection` };
        return exact.flags.includes('tentative') ? { state: 'present', detail: `${want} is still tentative (DAD in progress)` } : { state: 'present' };
      }
      const otherLen = mine.find((a) => a.local === local);
      if (otherLen) return { state: 'drifted', detail: `${q(probe.ifname)} has ${otherLen.cidr}, want ${want}` };
      const elsewhere = ns.addresses.find((a) => a.local === local);
      if (elsewhere) return { state: 'drifted', detail: `${local} is on ${q(elsewhere.ifname)}, want ${q(probe.ifname)}` };
      return { state: 'absent', detail: `${want} not on ${q(probe.ifname)}` };
    }
    case 'route': {
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      if (!ns.observed.routes) return unobserved(`routes of ${nsLabel(probe.ns)} were not observed`);
      const dsts = probeDsts(probe.to, probe.via);
      if (dsts.length === 0) return { state: 'absent', detail: `probe destination ${q(probe.to)} is not a valid prefix` };
      const via = probe.via === undefined ? undefined : (canonicalAddress(probe.via) ?? probe.via);
      const candidates = ns.routes.filter((r) => r.table === 'main' && r.type === 'unicast' && dsts.includes(r.dst));
      if (candidates.length === 0) {
        const other = ns.routes.find((r) => r.table === 'main' && dsts.includes(r.dst));
        if (other) return { state: 'drifted', detail: `${other.dst} is a ${other.type} route` };
        return { state: 'absent', detail: `no route to ${dsts.join(' or ')} in ${nsLabel(probe.ns)}` };
      }
      const matches = (r: ObservedRoute) =>
        (via === undefined || routeGateways(r).includes(via)) &&
        (probe.dev === undefined || routeDevs(r).includes(probe.dev)) &&
        (probe.metric === undefined || (r.metric ?? 0) === probe.metric);
      if (candidates.some(matches)) return { state: 'present' };
      const wantText = [dsts.join('|'), via && `via ${via}`, probe.dev !== undefined && `dev ${q(probe.dev)}`, probe.metric !== undefined && `metric ${probe.metric}`]
        .filter(Boolean)
        .join(' ');
      return { state: 'drifted', detail: `have ${candidates.map(describeRoute).join('; ')}, want ${wantText}` };
    }
    case 'sysctl': {
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      const key = normalizeSysctlKey(probe.key);
      const have = Object.hasOwn(ns.sysctls, key) ? ns.sysctls[key] : Object.hasOwn(ns.sysctls, probe.key) ? ns.sysctls[probe.key] : undefined;
      if (have === undefined) {
        if (!ns.observed.sysctls) return unobserved(`sysctls of ${nsLabel(probe.ns)} were not observed`);
        return unobserved(`${key} was not part of the observed sysctls of ${nsLabel(probe.ns)}`);
      }
      if (normalizeSysctlValue(have) === normalizeSysctlValue(probe.value)) return { state: 'present' };
      return { state: 'drifted', detail: `${key} = ${q(have)}, want ${q(probe.value)}` };
    }
    case 'nft': {
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      if (!ns.nft) return unobserved(`nftables of ${nsLabel(probe.ns)} were not observed`);
      const tables = ns.nft.tables.filter((t) => t.name === probe.table);
      const table = tables.find((t) => t.family === 'inet') ?? tables[0];
      if (!table) return { state: 'absent', detail: `no nft table ${q(probe.table)} in ${nsLabel(probe.ns)}` };
      if (table.comment === undefined) {
        if (!ns.nft.tableCommentsObserved) {
          return unobserved(`table ${table.family} ${q(table.name)} exists but its comment is not visible in this nft JSON output; collect \`nft list ruleset\` text`);
        }
        return { state: 'foreign', detail: `table ${table.family} ${q(table.name)} has no ownership comment` };
      }
      const m = /^wireplan:([^:]*):(.*)$/.exec(table.comment);
      if (!m) return { state: 'foreign', detail: `table ${table.family} ${q(table.name)} has comment ${q(table.comment)}` };
      if (table.name.startsWith('wp_') && m[1] !== table.name.slice(3)) {
        return { state: 'foreign', detail: `table ${q(table.name)} is tagged for design ${q(m[1]!)}` };
      }
      if (m[2] === probe.digest) return { state: 'present' };
      return { state: 'drifted', detail: `table ${q(table.name)} has digest ${q(m[2]!)}, want ${q(probe.digest)}` };
    }
    case 'bridge-vlan': {
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      if (ns.observed.links && !findLink(ns, probe.ifname)) return { state: 'absent', detail: `no interface ${q(probe.ifname)} in ${nsLabel(probe.ns)}` };
      if (!ns.bridgeVlans) return unobserved(`bridge VLANs of ${nsLabel(probe.ns)} were not observed`);
      const port = ns.bridgeVlans.find((p) => p.ifname === probe.ifname);
      const pvid = port?.vlans.find((v) => v.pvid);
      if (pvid && pvid.vid === probe.pvid) return { state: 'present' };
      if (!port || port.vlans.length === 0) return { state: 'absent', detail: `${q(probe.ifname)} has no VLAN membership` };
      return { state: 'drifted', detail: `${q(probe.ifname)} PVID is ${pvid ? pvid.vid : 'none'}, want ${probe.pvid}` };
    }
    case 'program':
      return programProbe(probe, host);
    case 'qdisc': {
      // Judged like the runtime's wp_probe_qdisc (tc-qdisc.ts), from what the poll read.
      const ns = needNamespace(host, probe.ns);
      if (isResult(ns)) return ns;
      if (!ns.qdiscs) return unobserved(`qdiscs of ${nsLabel(probe.ns)} were not observed`);
      const seen = ns.qdiscs.find((x) => x.ifname === probe.ifname);
      if (!seen) return unobserved(`qdiscs of ${q(probe.ifname)} in ${nsLabel(probe.ns)} were not observed`);
      return judgeQdisc(probe, seen);
    }
    default: {
      const never: never = probe;
      return unobserved(`unknown probe type ${q(String((never as { type?: unknown }).type))}`);
    }
  }
}
