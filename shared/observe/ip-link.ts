// `ip -j [-d] [-s] link show` (and the link part of `ip -j addr show`).
import { canonAddr as canonicalAddress } from './canon';
import { bool, isRecord, num, parseJson, rec, str, strArray, uint, type JsonRecord } from './json';
import { fail, guard, ok, type ParseResult } from './result';
import type { LinkKind, LinkStats, ObservedLink } from './types';

const KINDS: Record<string, LinkKind> = {
  veth: 'veth',
  bridge: 'bridge',
  macvlan: 'macvlan',
  macvtap: 'macvlan',
  ipvlan: 'ipvlan',
  ipvtap: 'ipvlan',
  vxlan: 'vxlan',
  vlan: 'vlan',
  tun: 'tun',
};

function kindOf(infoKind: string | undefined, linkType: string | undefined, flags: string[], detailed: boolean): LinkKind {
  if (infoKind !== undefined) return Object.hasOwn(KINDS, infoKind) ? KINDS[infoKind]! : 'other';
  if (linkType === 'loopback' || flags.includes('LOOPBACK')) return 'loopback';
  // With -d every virtual device reports an info_kind; without one it is a real NIC.
  if (detailed && (linkType === 'ether' || linkType === undefined)) return 'physical';
  return 'other';
}

function addr(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return canonicalAddress(text) ?? text;
}

function statsOf(o: JsonRecord): LinkStats | undefined {
  const s = rec(o, 'stats64') ?? rec(o, 'stats');
  if (!s) return undefined;
  const rx = rec(s, 'rx');
  const tx = rec(s, 'tx');
  if (!rx || !tx) return undefined;
  const rxBytes = uint(rx, 'bytes');
  const rxPackets = uint(rx, 'packets');
  const txBytes = uint(tx, 'bytes');
  const txPackets = uint(tx, 'packets');
  if (rxBytes === undefined || rxPackets === undefined || txBytes === undefined || txPackets === undefined) return undefined;
  const stats: LinkStats = { rxBytes, rxPackets, txBytes, txPackets };
  const opt = (target: 'rxErrors' | 'rxDropped' | 'txErrors' | 'txDropped', from: JsonRecord, key: string) => {
    const v = uint(from, key);
    if (v !== undefined) stats[target] = v;
  };
  opt('rxErrors', rx, 'errors');
  opt('rxDropped', rx, 'dropped');
  opt('txErrors', tx, 'errors');
  opt('txDropped', tx, 'dropped');
  return stats;
}

/** One link object of ip's JSON, or a reason it is unusable. */
export function linkFromJson(o: unknown): { link: ObservedLink } | { error: string } {
  if (!isRecord(o)) return { error: 'not an object' };
  const ifindex = uint(o, 'ifindex');
  const ifname = str(o, 'ifname');
  if (ifindex === undefined || ifindex === 0) return { error: 'missing or invalid "ifindex"' };
  if (ifname === undefined || ifname === '') return { error: `ifindex ${ifindex}: missing "ifname"` };
  const flags = strArray(o, 'flags');
  const linkinfo = rec(o, 'linkinfo');
  const detailed = linkinfo !== undefined || 'promiscuity' in o || 'min_mtu' in o || 'num_tx_queues' in o;
  const infoKind = linkinfo ? str(linkinfo, 'info_kind') : undefined;
  const link: ObservedLink = {
    ifindex,
    ifname,
    kind: kindOf(infoKind, str(o, 'link_type'), flags, detailed),
    detailed,
    flags,
    up: flags.includes('UP'),
    lowerUp: flags.includes('LOWER_UP'),
  };
  if (infoKind !== undefined) link.infoKind = infoKind;
  const alias = str(o, 'ifalias');
  if (alias !== undefined) link.alias = alias;
  const mtu = uint(o, 'mtu');
  if (mtu !== undefined) link.mtu = mtu;
  const mac = str(o, 'address');
  if (mac !== undefined) link.mac = mac;
  const operstate = str(o, 'operstate');
  if (operstate !== undefined) link.operstate = operstate;
  const master = str(o, 'master');
  if (master !== undefined) link.master = master;
  const peerName = str(o, 'link');
  if (peerName !== undefined) link.link = peerName;
  const linkIndex = uint(o, 'link_index');
  if (linkIndex !== undefined) link.linkIndex = linkIndex;
  const linkNetnsid = num(o, 'link_netnsid');
  if (linkNetnsid !== undefined && Number.isInteger(linkNetnsid) && linkNetnsid >= 0) link.linkNetnsid = linkNetnsid;

  const data = linkinfo ? rec(linkinfo, 'info_data') : undefined;
  if (data) {
    switch (link.kind) {
      case 'macvlan': {
        const mode = str(data, 'mode');
        link.macvlan = mode !== undefined ? { mode } : {};
        break;
      }
      case 'ipvlan': {
        const mode = str(data, 'mode');
        link.ipvlan = mode !== undefined ? { mode } : {};
        break;
      }
      case 'vxlan': {
        const vx: NonNullable<ObservedLink['vxlan']> = {};
        const id = uint(data, 'id');
        if (id !== undefined) vx.id = id;
        const remote = addr(str(data, 'remote') ?? str(data, 'remote6'));
        if (remote !== undefined) vx.remote = remote;
        const group = addr(str(data, 'group') ?? str(data, 'group6'));
        if (group !== undefined) vx.group = group;
        const local = addr(str(data, 'local') ?? str(data, 'local6'));
        if (local !== undefined) vx.local = local;
        const port = uint(data, 'port');
        if (port !== undefined) vx.port = port;
        const dev = str(data, 'link');
        if (dev !== undefined) vx.dev = dev;
        link.vxlan = vx;
        break;
      }
      case 'vlan': {
        const vl: NonNullable<ObservedLink['vlan']> = {};
        const id = uint(data, 'id');
        if (id !== undefined) vl.id = id;
        const protocol = str(data, 'protocol');
        if (protocol !== undefined) vl.protocol = protocol;
        link.vlan = vl;
        break;
      }
      case 'bridge': {
        const br: NonNullable<ObservedLink['bridge']> = {};
        const stp = uint(data, 'stp_state');
        if (stp !== undefined) br.stpState = stp;
        const vf = bool(data, 'vlan_filtering');
        if (vf !== undefined) br.vlanFiltering = vf;
        link.bridge = br;
        break;
      }
      case 'tun': {
        const type = str(data, 'type');
        link.tun = type !== undefined ? { type } : {};
        break;
      }
      default:
        break;
    }
  } else if (link.kind === 'bridge') {
    link.bridge = {};
  }
  if (linkinfo && str(linkinfo, 'info_slave_kind') === 'bridge') {
    const slave = rec(linkinfo, 'info_slave_data');
    const state = slave ? str(slave, 'state') : undefined;
    link.bridgePort = state !== undefined ? { state } : {};
  }
  const stats = statsOf(o);
  if (stats) link.stats = stats;
  return { link };
}

/** Fill `linkIndex` from `link` (a same-namespace name) once all links of a namespace are known. */
export function resolveLocalLinks(links: ObservedLink[]): void {
  const byName = new Map<string, number>();
  for (const l of links) byName.set(l.ifname, l.ifindex);
  for (const l of links) {
    if (l.linkIndex === undefined && l.link !== undefined && l.linkNetnsid === undefined) {
      const idx = byName.get(l.link);
      if (idx !== undefined) l.linkIndex = idx;
    }
  }
}

/** Links from an already parsed JSON array (shared by the link, addr and batch parsers). */
export function linksFromArray(arr: unknown[], what: string, warnings: string[], expectDetails = true): ObservedLink[] {
  const links: ObservedLink[] = [];
  const seen = new Set<number>();
  arr.forEach((entry, i) => {
    const r = linkFromJson(entry);
    if ('error' in r) {
      warnings.push(`${what}: entry ${i} skipped: ${r.error}`);
      return;
    }
    if (seen.has(r.link.ifindex)) {
      warnings.push(`${what}: entry ${i} skipped: duplicate ifindex ${r.link.ifindex}`);
      return;
    }
    seen.add(r.link.ifindex);
    links.push(r.link);
  });
  resolveLocalLinks(links);
  if (expectDetails && links.length > 0 && !links.some((l) => l.detailed)) {
    warnings.push(`${what}: output has no details (run ip with -d); link kinds are unknown`);
  }
  return links;
}

export function parseIpLink(text: string): ParseResult<ObservedLink[]> {
  return guard('ip link', () => {
    const parsed = parseJson(text, 'ip link');
    if (!parsed.ok) return parsed;
    if (!Array.isArray(parsed.value)) return fail('ip link: expected a JSON array of links');
    const warnings: string[] = [];
    return ok(linksFromArray(parsed.value, 'ip link', warnings), warnings);
  });
}
