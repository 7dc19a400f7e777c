// Assemble raw command outputs into the observed-state model, and look things up in it.
// Never throws: a part that fails to parse is recorded as a warning and marked unobserved.
import { parseBridgeLink, parseBridgeVlan } from './bridge';
import { parseIpAddr } from './ip-addr';
import { parseIpBatch } from './ip-batch';
import { parseIpLink } from './ip-link';
import { parseIpNetns } from './ip-netns';
import { parseIpRoute } from './ip-route';
import { parseIptablesSave } from './iptables';
import { parseNftJson, parseNftText, withTableComments } from './nft';
import type { ParseResult } from './result';
import { parseQdiscRecord, parseQdiscShow } from './tc-qdisc';
import { parseBootId, parseIptablesVersion, parseNftVersion, parseSysctl } from './sysctl';
import type { NetnsId, ObservedHost, ObservedLink, ObservedNamespace, ObservedParts } from './types';

/** What the backend collected for one namespace; every field is optional raw tool output. */
export interface RawNamespaceOutput {
  /** Netns name; "" = the root namespace. */
  name: string;
  /** `ip [-n NS] -j -d -s -batch -` stdout (+stderr), and the lines that were sent. */
  batch?: { stdout: string; stderr?: string; commands?: readonly string[] };
  /** Single-command alternatives to `batch`. */
  link?: string;
  addr?: string;
  route?: string;
  /** `ip -j -6 route show` when `route` came from a plain (IPv4-only) `route show`. */
  route6?: string;
  netnsIds?: string;
  sysctl?: string;
  nftJson?: string;
  nftText?: string;
  iptablesSave?: string;
  ip6tablesSave?: string;
  bridgeLink?: string;
  bridgeVlan?: string;
  /**
   * Per interface with a qdisc probe: `tc qdisc show dev IF` (text) or, when tc failed, its
   * exit code; and the runtime's record file (tc-qdisc.ts), when there is one.
   */
  qdiscs?: readonly RawQdiscOutput[];
}

export interface RawQdiscOutput {
  ifname: string;
  show?: string;
  /** tc's exit status when it failed. */
  code?: number;
  record?: string;
}

export interface RawHostOutput {
  bootId?: string;
  collectedAt: number;
  /** Root namespace's `ip -j netns list` (names and the ids the root assigned). */
  netnsList?: string;
  iptablesVersion?: string;
  nftVersion?: string;
  namespaces: RawNamespaceOutput[];
}

function noParts(): ObservedParts {
  return { links: false, addresses: false, routes: false, sysctls: false, nft: false, iptables: false, bridgeVlans: false, nsids: false };
}

export function emptyNamespace(name: string): ObservedNamespace {
  return {
    name,
    links: [],
    addresses: [],
    routes: [],
    nsids: [],
    sysctls: Object.create(null) as Record<string, string>,
    observed: noParts(),
    warnings: [],
  };
}

function take<T>(r: ParseResult<T>, where: string, warnings: string[]): T | undefined {
  for (const w of r.warnings) warnings.push(`${where}: ${w}`);
  if (!r.ok) {
    warnings.push(`${where}: ${r.error}`);
    return undefined;
  }
  return r.value;
}

export function observeNamespace(raw: RawNamespaceOutput): ObservedNamespace {
  const ns = emptyNamespace(typeof raw.name === 'string' ? raw.name : '');
  const where = ns.name === '' ? 'root namespace' : `netns ${JSON.stringify(ns.name)}`;
  const w = ns.warnings;
  try {
    if (raw.batch) {
      const b = take(parseIpBatch(raw.batch.stdout, { commands: raw.batch.commands, stderr: raw.batch.stderr }), where, w);
      if (b?.links) {
        ns.links = b.links;
        ns.observed.links = true;
      }
      if (b?.addresses) {
        ns.addresses = b.addresses;
        ns.observed.addresses = true;
      }
      if (b?.routes) {
        ns.routes = b.routes;
        ns.observed.routes = true;
      }
      if (b?.nsids) {
        ns.nsids = b.nsids;
        ns.observed.nsids = true;
      }
    }
    if (raw.link !== undefined && !ns.observed.links) {
      const links = take(parseIpLink(raw.link), where, w);
      if (links) {
        ns.links = links;
        ns.observed.links = true;
      }
    }
    if (raw.addr !== undefined && !ns.observed.addresses) {
      const a = take(parseIpAddr(raw.addr), where, w);
      if (a) {
        ns.addresses = a.addresses;
        ns.observed.addresses = true;
        if (!ns.observed.links) {
          ns.links = a.links;
          ns.observed.links = true;
        }
      }
    }
    if (raw.route !== undefined && !ns.observed.routes) {
      const r = take(parseIpRoute(raw.route), where, w);
      if (r) {
        ns.routes = r;
        ns.observed.routes = true;
      }
    }
    if (raw.route6 !== undefined) {
      const r = take(parseIpRoute(raw.route6, { family: 6 }), where, w);
      if (r) ns.routes = [...ns.routes, ...r.filter((x) => x.family === 6 && !ns.routes.some((y) => y.family === 6 && y.dst === x.dst && y.table === x.table && y.dev === x.dev && y.gateway === x.gateway && y.metric === x.metric))];
    }
    if (raw.netnsIds !== undefined && !ns.observed.nsids) {
      const ids = take(parseIpNetns(raw.netnsIds), where, w);
      if (ids) {
        ns.nsids = ids;
        ns.observed.nsids = true;
      }
    }
    if (raw.sysctl !== undefined) {
      const s = take(parseSysctl(raw.sysctl), where, w);
      if (s) {
        ns.sysctls = s;
        ns.observed.sysctls = true;
      }
    }
    const nftJson = raw.nftJson !== undefined ? take(parseNftJson(raw.nftJson), where, w) : undefined;
    const nftText = raw.nftText !== undefined ? take(parseNftText(raw.nftText), where, w) : undefined;
    if (nftJson && nftText) ns.nft = withTableComments(nftJson, nftText);
    else if (nftJson ?? nftText) ns.nft = nftJson ?? nftText;
    ns.observed.nft = ns.nft !== undefined;
    if (raw.iptablesSave !== undefined) {
      const t = take(parseIptablesSave(raw.iptablesSave), where, w);
      if (t) {
        ns.iptables = t;
        ns.observed.iptables = true;
      }
    }
    if (raw.ip6tablesSave !== undefined) {
      const t = take(parseIptablesSave(raw.ip6tablesSave), where, w);
      if (t) ns.ip6tables = t;
    }
    if (raw.bridgeLink !== undefined) {
      const p = take(parseBridgeLink(raw.bridgeLink), where, w);
      if (p) ns.bridgePorts = p;
    }
    if (raw.qdiscs !== undefined) {
      ns.qdiscs = [];
      for (const r of raw.qdiscs) {
        // No tc on the host (127: command not found): not observed, not "absent".
        if (r.code === 127) {
          w.push(`${where}: tc is not installed; qdiscs of ${JSON.stringify(r.ifname)} unobserved`);
          continue;
        }
        if (r.code !== undefined && r.code !== 0) {
          ns.qdiscs.push({ ifname: r.ifname, error: `tc exited ${r.code}`, show: '', qdiscs: [] });
          continue;
        }
        const parsed = take(parseQdiscShow(r.ifname, r.show ?? ''), where, w);
        if (!parsed) continue;
        const record = r.record !== undefined ? parseQdiscRecord(r.record) : undefined;
        ns.qdiscs.push(record ? { ...parsed, record } : parsed);
      }
    }
    if (raw.bridgeVlan !== undefined) {
      const v = take(parseBridgeVlan(raw.bridgeVlan), where, w);
      if (v) {
        ns.bridgeVlans = v;
        ns.observed.bridgeVlans = true;
      }
    }
  } catch (e) {
    w.push(`${where}: internal error while assembling: ${e instanceof Error ? e.message : String(e)}`);
  }
  return ns;
}

export function observeHost(raw: RawHostOutput): ObservedHost {
  const host: ObservedHost = {
    collectedAt: typeof raw.collectedAt === 'number' ? raw.collectedAt : 0,
    namespaces: [],
    firewall: {},
    warnings: [],
  };
  const w = host.warnings;
  if (raw.bootId !== undefined) host.bootId = take(parseBootId(raw.bootId), 'host', w);
  if (host.bootId === undefined) delete host.bootId;
  if (raw.iptablesVersion !== undefined) {
    const v = take(parseIptablesVersion(raw.iptablesVersion), 'host', w);
    if (v) host.firewall.iptables = v;
  }
  if (raw.nftVersion !== undefined) {
    const v = take(parseNftVersion(raw.nftVersion), 'host', w);
    if (v) host.firewall.nft = v;
  }
  const seen = new Set<string>();
  for (const r of Array.isArray(raw.namespaces) ? raw.namespaces : []) {
    if (seen.has(r.name)) {
      w.push(`host: namespace ${JSON.stringify(r.name)} observed twice; the first is kept`);
      continue;
    }
    seen.add(r.name);
    host.namespaces.push(observeNamespace(r));
  }
  if (!seen.has('')) w.push('host: the root namespace was not observed');
  // The root's own numbering of the other namespaces.
  let rootIds: NetnsId[] = [];
  if (raw.netnsList !== undefined) rootIds = take(parseIpNetns(raw.netnsList), 'host', w) ?? [];
  const root = host.namespaces.find((n) => n.name === '');
  if (root?.observed.nsids) rootIds = [...rootIds, ...root.nsids];
  for (const id of rootIds) {
    if (id.name === undefined) continue;
    let ns = host.namespaces.find((n) => n.name === id.name);
    if (!ns) {
      // Listed but not observed: it exists, we just have no data for it this round.
      ns = emptyNamespace(id.name);
      ns.warnings.push(`netns ${JSON.stringify(id.name)}: listed by the root namespace but not observed`);
      host.namespaces.push(ns);
      seen.add(id.name);
    }
    if (id.nsid !== undefined && ns.nsid === undefined) ns.nsid = id.nsid;
  }
  return host;
}

// ---------------------------------------------------------------------------- lookups

export function findNamespace(host: ObservedHost, name: string): ObservedNamespace | undefined {
  return host.namespaces.find((n) => n.name === name);
}

export function findLink(ns: ObservedNamespace, ifname: string): ObservedLink | undefined {
  return ns.links.find((l) => l.ifname === ifname);
}

/** The ownership tag on a namespace: the alias of its `lo`. */
export function namespaceOwner(ns: ObservedNamespace): string | undefined {
  return ns.links.find((l) => l.kind === 'loopback' || l.ifname === 'lo')?.alias;
}

/** Which namespace `nsid` (as numbered by `from`) refers to, when it can be told. */
export function namespaceByNsid(host: ObservedHost, from: ObservedNamespace, nsid: number): ObservedNamespace | undefined {
  // 1. from's own list-id: named entries are unambiguous.
  const entry = from.nsids.find((e) => e.nsid === nsid);
  if (entry?.name !== undefined) return findNamespace(host, entry.name);
  // 2. seen from the root, ids are the ones the root assigned (root `ip netns list`).
  if (from.name === '') {
    const hit = host.namespaces.filter((n) => n.name !== '' && n.nsid === nsid);
    if (hit.length === 1) return hit[0];
  }
  // 3. an id without a name seen from a named namespace: the root, when from's list-id
  //    shows that every other id has a name (so the only unnamed one must be the root).
  if (entry && entry.name === undefined && from.name !== '' && from.observed.nsids) {
    const unnamed = from.nsids.filter((e) => e.name === undefined);
    if (unnamed.length === 1) return findNamespace(host, '');
  }
  return undefined;
}

/**
 * The other end of a veth (or the parent of a macvlan/vlan) as observed: same namespace by
 * ifindex/name, or another namespace through link-netnsid. Falls back to reciprocal
 * matching (a link whose ifindex is our peer index and whose peer index is our ifindex).
 */
export function resolveLinkPeer(
  host: ObservedHost,
  ns: ObservedNamespace,
  link: ObservedLink,
): { namespace: ObservedNamespace; link: ObservedLink } | undefined {
  if (link.linkNetnsid === undefined) {
    const peer =
      link.linkIndex !== undefined ? ns.links.find((l) => l.ifindex === link.linkIndex) : link.link !== undefined ? findLink(ns, link.link) : undefined;
    return peer && { namespace: ns, link: peer };
  }
  if (link.linkIndex === undefined) return undefined;
  const target = namespaceByNsid(host, ns, link.linkNetnsid);
  if (target) {
    const peer = target.links.find((l) => l.ifindex === link.linkIndex);
    return peer && { namespace: target, link: peer };
  }
  const candidates: { namespace: ObservedNamespace; link: ObservedLink }[] = [];
  for (const other of host.namespaces) {
    if (other === ns) continue;
    for (const l of other.links) {
      if (l.ifindex === link.linkIndex && l.linkIndex === link.ifindex && l.linkNetnsid !== undefined) candidates.push({ namespace: other, link: l });
    }
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}
