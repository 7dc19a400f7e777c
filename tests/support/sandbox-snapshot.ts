// The complete, normalized network state inside a sandbox, for "exactly back to its
// pre-up state" comparisons, and a human-readable diff of two such snapshots.
//
// What is normalized away, and why (everything else is kept and compared):
// - ifindex, link_index, link_netnsid: kernel counters that change whenever something
//   is recreated. Links are keyed by name; a peer/lower device is named instead as
//   `link` (+ `link_netns` when it lives in another namespace, '(root)' = sandbox root).
// - operstate and the carrier flags LOWER_UP / NO-CARRIER / M-DOWN / DORMANT, carrier
//   counters: derived from carrier, updated asynchronously (linkwatch, up to 1 s late).
//   The administrative UP flag is kept.
// - the link's `qdisc` name: a never-up link shows "noop", one that has been up shows
//   its default qdisc forever after, though nothing was configured. Configured qdiscs
//   are still compared in `qdiscs` (kernel defaults, handle 0:, are left out there).
// - bridge STP runtime: timers, root/bridge ids, root port/cost, topology-change flags;
//   bridge-port state, port numbers and ids, designated-* values and port timers.
// - address lifetimes and the IPv6 `tentative` flag (DAD progress).
// - the `linkdown` route flag (carrier again) and IPv6 route `expires`.
// - learned (dynamic) fdb entries, and the fdb entries the kernel derives by itself
//   (multicast "self" entries from group membership, a port's own MAC).
// - nft handles, counter packets/bytes (zeroed, the counter itself stays), quota
//   usage, set-element `expires`; the metainfo header.
// - iptables-save comment lines (they carry dates) and chain counters ([0:0]).
// Kept deliberately: MAC addresses (a bridge's MAC follows its ports and drops to
// 00:00:00:00:00:00 when the last one leaves: a real difference), alias, altnames,
// master, mtu, promiscuity/allmulti, all kind-specific configuration.
// Use DiffOptions.ignore for a test that knowingly accepts a difference.
import type { Sandbox } from './sandbox';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface NamespaceSnapshot {
  /** `ip -j -d link show`, normalized, keyed by interface name. */
  links: Record<string, JsonObject>;
  /** `ip -j addr show` addr_info entries keyed "ifname local/prefixlen". */
  addresses: Record<string, JsonObject>;
  /** `ip -j -4/-6 route show table all`, normalized, sorted. */
  routes: JsonObject[];
  /** `ip -j -4/-6 rule show`. */
  rules: JsonObject[];
  /** `ip -j neigh show nud permanent` (configured neighbours only). */
  neighbours: JsonObject[];
  /** `bridge -j vlan show`, one entry per (port, vlan). */
  bridgeVlans: JsonObject[];
  /** `bridge -j fdb show` minus learned and kernel-derived entries. */
  fdb: JsonObject[];
  /** `tc -j qdisc show` minus the kernel's default qdiscs. */
  qdiscs: JsonObject[];
  /** `nft -j list ruleset` objects in ruleset order, normalized; null if nft is missing. */
  nft: JsonObject[] | null;
  /** `iptables-save` lines, normalized; null if the tool is missing. */
  iptables: string[] | null;
  ip6tables: string[] | null;
  /** Selected sysctls, e.g. "net.ipv4.conf.all.forwarding" -> "1". */
  sysctls: Record<string, string>;
}

export interface Snapshot {
  /** Keyed by namespace name; '' is the sandbox's root namespace. */
  namespaces: Record<string, NamespaceSnapshot>;
  /** Why the state may still have been changing (empty when settled). */
  unsettled: string[];
}

export interface SnapshotOptions {
  /**
   * Re-take the snapshot until no IPv6 address is tentative (DAD running) and no link
   * awaits a carrier/operstate update, for at most this long. Default 8000 ms.
   */
  settleTimeoutMs?: number;
  /**
   * Also dump iptables-save / ip6tables-save (default true). A test whose plans use nft
   * only may leave them out: two fewer processes per namespace, both then read as empty.
   */
  iptables?: boolean;
  /**
   * Count a tentative IPv6 address (DAD running, up to ~2 s after a link comes up) as
   * unsettled (default true). A test that normalizes link-local addresses away may wait
   * for the carrier/operstate updates alone (a link-local address appears with those).
   */
  waitForDad?: boolean;
}

export interface DiffOptions {
  /** Difference lines matching any of these (substring or RegExp) are dropped. */
  ignore?: readonly (string | RegExp)[];
}

/** Sysctls captured in every namespace (globs are expanded by bash). */
export const SNAPSHOT_SYSCTLS = [
  '/proc/sys/net/ipv4/ip_forward',
  '/proc/sys/net/ipv4/conf/*/{forwarding,proxy_arp,rp_filter,route_localnet}',
  '/proc/sys/net/ipv6/conf/*/{forwarding,proxy_ndp,disable_ipv6,accept_ra}',
  '/proc/sys/net/bridge/bridge-nf-call-*',
];

// One bash run per namespace dumps it; several ip/bridge queries share one process
// through -batch (each prints exactly one JSON array per line). Everything runs with
// stdin from /dev/null so nothing can swallow the rest of a `bash -s` script.
const DUMP_SCRIPT = [
  'sec() { printf "\\n@@wp-section %s@@\\n" "$1"; }',
  'cap() {',
  '  local name=$1 input=$2; shift 2',
  '  sec "$name"',
  '  if ! command -v "$1" >/dev/null 2>&1; then echo "@@wp-missing@@"; return 0; fi',
  '  if [ -n "$input" ]; then printf "$input" | "$@"; else "$@" </dev/null; fi || echo "@@wp-failed $?@@"',
  '}',
  'main() {',
  "  cap link '' ip -j -d link show",
  "  cap ip 'addr show\\nneigh show nud permanent\\nnetns list-id\\n' ip -j -batch -",
  "  cap ip4 'route show table all\\nrule show\\n' ip -4 -j -batch -",
  "  cap ip6 'route show table all\\nrule show\\n' ip -6 -j -batch -",
  "  cap bridge 'vlan show\\nfdb show\\n' bridge -j -batch -",
  "  cap qdisc '' tc -j qdisc show",
  "  cap nft '' nft -j list ruleset",
  '  if [ "${1:-1}" = 1 ]; then',
  "    cap iptables '' iptables-save",
  "    cap ip6tables '' ip6tables-save",
  '  fi',
  '  sec sysctl',
  `  for f in ${SNAPSHOT_SYSCTLS.join(' ')}; do`,
  '    if [ -r "$f" ] && read -r v < "$f"; then printf "%s=%s\\n" "${f#/proc/sys/}" "$v"; fi',
  '  done',
  '}',
  'main "$@" </dev/null',
].join('\n');

/** Splits a -batch section into its per-command JSON texts (one line each). */
function batchParts(text: string | undefined, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (text === undefined) return out;
  if (text.trim() === '@@wp-missing@@') {
    for (const n of names) out.set(n, '@@wp-missing@@');
    return out;
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== names.length) throw new Error(`snapshot: expected ${names.length} JSON lines (${names.join(', ')}), got:\n${text}`);
  names.forEach((n, i) => out.set(n, lines[i]!));
  return out;
}

interface RawNamespace {
  sections: Map<string, string>;
}

function parseDump(ns: string, out: string, stderr: string): RawNamespace {
  const sections = new Map<string, string>();
  let section: string | null = null;
  let buf: string[] = [];
  const flush = (): void => {
    if (section !== null) sections.set(section, buf.join('\n'));
    buf = [];
  };
  for (const line of out.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^@@wp-section (\w+)@@$/.exec(line))) {
      flush();
      section = m[1]!;
    } else if ((m = /^@@wp-failed (\d+)@@$/.exec(line))) {
      throw new Error(`snapshot: ${section ?? '?'} failed (exit ${m[1]}) in ${nsLabel(ns)}:\n${stderr}`);
    } else {
      buf.push(line);
    }
  }
  flush();
  for (const [name, parts] of [
    ['ip', ['addr', 'neigh', 'nsid']],
    ['ip4', ['route4', 'rule4']],
    ['ip6', ['route6', 'rule6']],
    ['bridge', ['brvlan', 'fdb']],
  ] as const) {
    for (const [k, v] of batchParts(sections.get(name), parts)) sections.set(k, v);
  }
  return { sections };
}

function nsLabel(ns: string): string {
  return ns === '' ? 'root' : `netns ${ns}`;
}

function jsonArray(text: string | undefined): JsonObject[] | null {
  if (text === undefined) return [];
  const t = text.trim();
  if (t === '@@wp-missing@@') return null;
  if (t === '') return [];
  const parsed = JSON.parse(t) as Json;
  if (Array.isArray(parsed)) return parsed as JsonObject[];
  if (parsed && typeof parsed === 'object' && Array.isArray(parsed.nftables)) return parsed.nftables as JsonObject[];
  throw new Error(`snapshot: unexpected JSON: ${t.slice(0, 200)}`);
}

function omit(o: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = v;
  return out;
}

const LINK_DROP = ['ifindex', 'link_index', 'link_netnsid', 'operstate', 'qdisc', 'stats', 'stats64', 'carrier_changes', 'carrier_up_count', 'carrier_down_count'];
const CARRIER_FLAGS = ['LOWER_UP', 'NO-CARRIER', 'M-DOWN', 'DORMANT'];
const BRIDGE_RUNTIME = ['hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer', 'bridge_id', 'root_id', 'root_port', 'root_path_cost', 'topology_change', 'topology_change_detected'];
const BRIDGE_PORT_RUNTIME = [
  'state', 'id', 'no', 'designated_port', 'designated_cost', 'designated_bridge', 'designated_root', 'bridge_id', 'root_id',
  'hold_timer', 'message_age_timer', 'forward_delay_timer', 'topology_change_ack', 'config_pending',
];

interface LinkContext {
  /** Raw links per namespace. */
  links: Map<string, JsonObject[]>;
  /** nsid -> namespace name, as seen from each namespace. */
  nsids: Map<string, Map<number, string>>;
}

function resolvePeer(ctx: LinkContext, ns: string, index: number, nsid: number | undefined): { link: string; link_netns?: string } {
  if (nsid === undefined) {
    const same = ctx.links.get(ns)?.find((l) => l.ifindex === index);
    return { link: typeof same?.ifname === 'string' ? same.ifname : `#${index}` };
  }
  // A named namespace sees the sandbox root as an nsid with no name.
  const target = ctx.nsids.get(ns)?.get(nsid) ?? (ns !== '' ? '' : undefined);
  const peer = target === undefined ? undefined : ctx.links.get(target)?.find((l) => l.ifindex === index);
  if (target === undefined || !peer) return { link: `#${index}`, link_netns: `nsid ${nsid}` };
  return { link: String(peer.ifname), link_netns: target === '' ? '(root)' : target };
}

function normalizeLink(ctx: LinkContext, ns: string, raw: JsonObject): JsonObject {
  const l = omit(raw, LINK_DROP);
  if (Array.isArray(raw.flags)) l.flags = raw.flags.filter((f) => typeof f === 'string' && !CARRIER_FLAGS.includes(f));
  if (typeof raw.link_index === 'number') {
    const nsid = typeof raw.link_netnsid === 'number' ? raw.link_netnsid : undefined;
    Object.assign(l, resolvePeer(ctx, ns, raw.link_index, nsid));
  }
  const info = raw.linkinfo;
  if (info && typeof info === 'object' && !Array.isArray(info)) {
    const li: JsonObject = { ...info };
    if (info.info_kind === 'bridge' && isObject(info.info_data)) li.info_data = omit(info.info_data, BRIDGE_RUNTIME);
    if (info.info_slave_kind === 'bridge' && isObject(info.info_slave_data)) li.info_slave_data = omit(info.info_slave_data, BRIDGE_PORT_RUNTIME);
    l.linkinfo = li;
  }
  return l;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function normalizeAddresses(entries: JsonObject[]): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const e of entries) {
    const infos = Array.isArray(e.addr_info) ? e.addr_info : [];
    for (const info of infos) {
      if (!isObject(info)) continue;
      const peer = typeof info.address === 'string' ? ` peer ${info.address}` : '';
      out[`${String(e.ifname)} ${String(info.local)}/${String(info.prefixlen)}${peer}`] = omit(info, ['valid_life_time', 'preferred_life_time', 'tentative']);
    }
  }
  return out;
}

function withoutFlags(o: JsonObject, drop: readonly string[]): JsonObject {
  if (!Array.isArray(o.flags)) return o;
  const flags = o.flags.filter((f) => !(typeof f === 'string' && drop.includes(f)));
  const out = { ...o };
  if (flags.length === 0) delete out.flags;
  else out.flags = flags;
  return out;
}

function normalizeRoute(family: string, r: JsonObject): JsonObject {
  let out: JsonObject = { family, ...omit(r, ['expires', 'cache']) };
  out = withoutFlags(out, ['linkdown']);
  if (Array.isArray(out.nexthops)) out.nexthops = out.nexthops.map((nh) => (isObject(nh) ? withoutFlags(nh, ['linkdown']) : nh));
  return out;
}

function isMulticastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

function normalizeFdb(entries: JsonObject[], macs: ReadonlySet<string>): JsonObject[] {
  return entries.filter((e) => {
    if (e.dst !== undefined) return true; // tunnel remotes (vxlan) are configuration
    const state = typeof e.state === 'string' ? e.state : '';
    if (state === '' || state === 'stale') return false; // learned
    const mac = typeof e.mac === 'string' ? e.mac : '';
    const self = Array.isArray(e.flags) && e.flags.includes('self');
    if (self && isMulticastMac(mac)) return false; // from multicast group membership
    if (state === 'permanent' && macs.has(mac)) return false; // a port's own address
    return true;
  }).map((e) => omit(e, ['updated', 'used']));
}

function flattenVlans(entries: JsonObject[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const e of entries) {
    const vlans = Array.isArray(e.vlans) ? e.vlans : [];
    for (const v of vlans) if (isObject(v)) out.push({ ifname: e.ifname ?? null, ...v });
  }
  return out;
}

/** Drops handles and set-element expiry, zeroes counters and quota usage, recursively. */
function normalizeNft(v: Json): Json {
  if (Array.isArray(v)) return v.map(normalizeNft);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === 'handle' || k === 'expires') continue;
    out[k] = k === 'packets' || k === 'bytes' || k === 'used' ? 0 : normalizeNft(val);
  }
  return out;
}

function normalizeIptables(text: string | undefined): string[] | null {
  if (text === undefined) return [];
  if (text.trim() === '@@wp-missing@@') return null;
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/^(:\S+ \S+) \[\d+:\d+\]$/, '$1 [0:0]'));
}

function byRendering(a: JsonObject, b: JsonObject): number {
  const ra = render(a);
  const rb = render(b);
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

function normalizeNamespace(ctx: LinkContext, ns: string, raw: RawNamespace): NamespaceSnapshot {
  const s = raw.sections;
  const rawLinks = ctx.links.get(ns) ?? [];
  const links: Record<string, JsonObject> = {};
  for (const l of rawLinks) links[String(l.ifname)] = normalizeLink(ctx, ns, l);
  const macs = new Set(rawLinks.map((l) => l.address).filter((a): a is string => typeof a === 'string'));
  const sysctls: Record<string, string> = {};
  for (const line of (s.get('sysctl') ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) sysctls[line.slice(0, eq).replaceAll('/', '.')] = line.slice(eq + 1);
  }
  const nft = jsonArray(s.get('nft'));
  return {
    links,
    addresses: normalizeAddresses(jsonArray(s.get('addr')) ?? []),
    routes: [
      ...(jsonArray(s.get('route4')) ?? []).map((r) => normalizeRoute('inet', r)),
      ...(jsonArray(s.get('route6')) ?? []).map((r) => normalizeRoute('inet6', r)),
    ].sort(byRendering),
    rules: [
      ...(jsonArray(s.get('rule4')) ?? []).map((r) => ({ family: 'inet', ...r })),
      ...(jsonArray(s.get('rule6')) ?? []).map((r) => ({ family: 'inet6', ...r })),
    ],
    neighbours: (jsonArray(s.get('neigh')) ?? []).sort(byRendering),
    bridgeVlans: flattenVlans(jsonArray(s.get('brvlan')) ?? []),
    fdb: normalizeFdb(jsonArray(s.get('fdb')) ?? [], macs).sort(byRendering),
    qdiscs: (jsonArray(s.get('qdisc')) ?? []).filter((q) => q.handle !== '0:').map((q) => omit(q, ['refcnt'])),
    nft: nft === null ? null : nft.filter((o) => !('metainfo' in o)).map((o) => normalizeNft(o) as JsonObject),
    iptables: normalizeIptables(s.get('iptables')),
    ip6tables: normalizeIptables(s.get('ip6tables')),
    sysctls,
  };
}

/** Reasons the raw state is still settling: DAD running, linkwatch not caught up. */
function unsettledReasons(ns: string, rawLinks: JsonObject[], rawAddrs: JsonObject[], waitForDad: boolean): string[] {
  const reasons: string[] = [];
  for (const e of waitForDad ? rawAddrs : []) {
    for (const info of Array.isArray(e.addr_info) ? e.addr_info : []) {
      if (isObject(info) && info.tentative === true && info.dadfailed !== true) {
        reasons.push(`${nsLabel(ns)}: ${String(info.local)} on ${String(e.ifname)} is tentative (IPv6 DAD running)`);
      }
    }
  }
  for (const l of rawLinks) {
    const flags = Array.isArray(l.flags) ? l.flags : [];
    const carrier = flags.includes('LOWER_UP');
    const up = flags.includes('UP');
    const op = l.operstate;
    if (up && carrier && (op === 'DOWN' || op === 'LOWERLAYERDOWN')) reasons.push(`${nsLabel(ns)}: link ${String(l.ifname)} has carrier but operstate ${op}`);
    if (up && !carrier && op === 'UP') reasons.push(`${nsLabel(ns)}: link ${String(l.ifname)} lost carrier but operstate is UP`);
  }
  return reasons;
}

async function dumpNamespace(sb: Sandbox, ns: string, iptables: boolean): Promise<RawNamespace> {
  const r = await sb.run(DUMP_SCRIPT, [iptables ? '1' : '0'], { ns });
  if (r.code !== 0) throw new Error(`snapshot of ${nsLabel(ns)} failed (${r.code ?? r.signal}):\n${r.stderr}`);
  return parseDump(ns, r.stdout, r.stderr);
}

async function takeOnce(sb: Sandbox, iptables: boolean, waitForDad: boolean): Promise<Snapshot> {
  const [rootDump, list] = await Promise.all([dumpNamespace(sb, '', iptables), sb.execOk(['ip', 'netns', 'list'])]);
  const names = list.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean).sort();
  const raw = new Map<string, RawNamespace>([['', rootDump]]);
  // A few namespaces at a time: the work is process start-up, spread over the cores.
  for (let i = 0; i < names.length; i += 4) {
    const batch = names.slice(i, i + 4);
    const dumps = await Promise.all(batch.map((ns) => dumpNamespace(sb, ns, iptables)));
    batch.forEach((ns, j) => raw.set(ns, dumps[j]!));
  }
  const ctx: LinkContext = { links: new Map(), nsids: new Map() };
  const unsettled: string[] = [];
  for (const [ns, rn] of raw) {
    const rawLinks = jsonArray(rn.sections.get('link')) ?? [];
    ctx.links.set(ns, rawLinks);
    const ids = new Map<number, string>();
    for (const e of jsonArray(rn.sections.get('nsid')) ?? []) {
      if (typeof e.nsid === 'number' && typeof e.name === 'string') ids.set(e.nsid, e.name);
    }
    ctx.nsids.set(ns, ids);
    unsettled.push(...unsettledReasons(ns, rawLinks, jsonArray(rn.sections.get('addr')) ?? [], waitForDad));
  }
  const namespaces: Record<string, NamespaceSnapshot> = {};
  for (const [ns, rn] of raw) namespaces[ns] = normalizeNamespace(ctx, ns, rn);
  return { namespaces, unsettled };
}

/**
 * Snapshot of the sandbox root and every namespace in its `ip netns list`. Waits (a
 * bounded retry on the kernel's own state, see SnapshotOptions) until the state has
 * settled; if it never does, the reasons are in `unsettled`.
 */
export async function snapshot(sb: Sandbox, opts: SnapshotOptions = {}): Promise<Snapshot> {
  const deadline = performance.now() + (opts.settleTimeoutMs ?? 8000);
  for (;;) {
    const snap = await takeOnce(sb, opts.iptables ?? true, opts.waitForDad ?? true);
    if (snap.unsettled.length === 0 || performance.now() >= deadline) return snap;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---------------------------------------------------------------------------------
// Diffing

function scalar(v: Json | undefined): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

/** Flattens nested objects to dotted paths; arrays of scalars stay whole (flags). */
function flatten(v: Json, prefix: string, out: Map<string, string>): Map<string, string> {
  if (isObject(v)) {
    for (const [k, val] of Object.entries(v)) flatten(val, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(v) && v.some((x) => typeof x === 'object' && x !== null)) {
    v.forEach((x, i) => flatten(x, `${prefix}[${i}]`, out));
  } else {
    out.set(prefix, scalar(v));
  }
  return out;
}

/** A compact one-line rendering: key=value ..., nested values as JSON. */
export function render(o: JsonObject): string {
  return Object.entries(o)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

function renderNft(o: JsonObject): string {
  const [kind, body] = Object.entries(o)[0] ?? ['?', null];
  return `${kind} ${JSON.stringify(body)}`;
}

function diffKeyed(where: string, what: string, a: Record<string, JsonObject>, b: Record<string, JsonObject>, summary: (o: JsonObject) => string): string[] {
  const out: string[] = [];
  for (const key of Object.keys(a)) {
    if (!(key in b)) out.push(`${where}: ${what} ${key} removed (${summary(a[key]!)})`);
  }
  for (const key of Object.keys(b)) {
    if (!(key in a)) {
      out.push(`${where}: ${what} ${key} added (${summary(b[key]!)})`);
      continue;
    }
    const fa = flatten(a[key]!, '', new Map());
    const fb = flatten(b[key]!, '', new Map());
    for (const path of new Set([...fa.keys(), ...fb.keys()])) {
      const va = fa.get(path) ?? '(absent)';
      const vb = fb.get(path) ?? '(absent)';
      if (va !== vb) out.push(`${where}: ${what} ${key}: ${path} ${va} -> ${vb}`);
    }
  }
  return out;
}

function diffLists(where: string, what: string, a: readonly string[] | null, b: readonly string[] | null): string[] {
  if (a === null || b === null) return a === b ? [] : [`${where}: ${what} ${a === null ? 'unavailable before' : 'unavailable after'}`];
  const counts = new Map<string, number>();
  for (const x of a) counts.set(x, (counts.get(x) ?? 0) + 1);
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) - 1);
  const out: string[] = [];
  for (const x of a) {
    const c = counts.get(x)!;
    if (c > 0) {
      out.push(`${where}: ${what} removed: ${x}`);
      counts.set(x, c - 1);
    }
  }
  for (const x of b) {
    const c = counts.get(x)!;
    if (c < 0) {
      out.push(`${where}: ${what} added: ${x}`);
      counts.set(x, c + 1);
    }
  }
  if (out.length === 0 && a.some((x, i) => x !== b[i])) out.push(`${where}: ${what}: same entries, different order`);
  return out;
}

function linkSummary(l: JsonObject): string {
  const kind = isObject(l.linkinfo) && typeof l.linkinfo.info_kind === 'string' ? l.linkinfo.info_kind : String(l.link_type ?? '?');
  return [kind, typeof l.master === 'string' ? `master ${l.master}` : '', typeof l.link === 'string' ? `link ${l.link}` : ''].filter(Boolean).join(', ');
}

function diffNamespace(where: string, a: NamespaceSnapshot, b: NamespaceSnapshot): string[] {
  const out: string[] = [];
  out.push(...diffKeyed(where, 'link', a.links, b.links, linkSummary));
  out.push(...diffKeyed(where, 'address', a.addresses, b.addresses, (o) => `${String(o.family)} scope ${String(o.scope)}`));
  out.push(...diffLists(where, 'route', a.routes.map(render), b.routes.map(render)));
  out.push(...diffLists(where, 'rule', a.rules.map(render), b.rules.map(render)));
  out.push(...diffLists(where, 'neighbour', a.neighbours.map(render), b.neighbours.map(render)));
  out.push(...diffLists(where, 'bridge vlan', a.bridgeVlans.map(render), b.bridgeVlans.map(render)));
  out.push(...diffLists(where, 'fdb', a.fdb.map(render), b.fdb.map(render)));
  out.push(...diffLists(where, 'qdisc', a.qdiscs.map(render), b.qdiscs.map(render)));
  out.push(...diffLists(where, 'nft', a.nft && a.nft.map(renderNft), b.nft && b.nft.map(renderNft)));
  out.push(...diffLists(where, 'iptables', a.iptables, b.iptables));
  out.push(...diffLists(where, 'ip6tables', a.ip6tables, b.ip6tables));
  // Per-interface sysctls of a link that appeared or vanished say nothing new.
  const churned = new Set([...Object.keys(a.links), ...Object.keys(b.links)].filter((n) => !(n in a.links) || !(n in b.links)));
  const perLink = /^net\.ipv[46]\.conf\.(.+)\.[^.]+$/;
  for (const key of new Set([...Object.keys(a.sysctls), ...Object.keys(b.sysctls)])) {
    const va = a.sysctls[key];
    const vb = b.sysctls[key];
    if (va === vb) continue;
    const m = perLink.exec(key);
    if (m && churned.has(m[1]!) && (va === undefined || vb === undefined)) continue;
    out.push(`${where}: sysctl ${key} ${va ?? '(absent)'} -> ${vb ?? '(absent)'}`);
  }
  return out;
}

/**
 * Human-readable differences between two snapshots, before (`a`) to after (`b`);
 * empty when they are equal.
 */
export function diffSnapshots(a: Snapshot, b: Snapshot, opts: DiffOptions = {}): string[] {
  const out: string[] = [];
  for (const ns of Object.keys(a.namespaces)) {
    if (!(ns in b.namespaces)) out.push(`${nsLabel(ns)}: namespace removed (${Object.keys(a.namespaces[ns]!.links).join(', ')})`);
  }
  for (const ns of Object.keys(b.namespaces)) {
    if (!(ns in a.namespaces)) {
      out.push(`${nsLabel(ns)}: namespace added (${Object.keys(b.namespaces[ns]!.links).join(', ')})`);
      continue;
    }
    out.push(...diffNamespace(nsLabel(ns), a.namespaces[ns]!, b.namespaces[ns]!));
  }
  const ignore = opts.ignore ?? [];
  const kept = out.filter((line) => !ignore.some((p) => (typeof p === 'string' ? line.includes(p) : p.test(line))));
  if (kept.length > 0) {
    for (const [label, s] of [['before', a], ['after', b]] as const) {
      if (s.unsettled.length > 0) kept.push(`note: the ${label} snapshot had not settled: ${s.unsettled.join('; ')}`);
    }
  }
  return kept;
}

// ---------------------------------------------------------------------------------
// Comparing two different sandboxes

const LINK_LOCAL_V6 = /^fe80:/i;
const MAC_FIELDS = ['address', 'perm_address'];
/** A bridge takes these limits from its ports and keeps them when the last port leaves. */
const BRIDGE_INHERITED = ['tso_max_size', 'tso_max_segs'];
const LL = 'fe80::(link-local)';

/**
 * nft objects grouped by where they live (tables, then each table's chains, sets and maps
 * by name, then each chain's rules), keeping the order of the rules inside a chain, the
 * only order that means something: the listing order of chains and tables follows
 * creation history.
 */
function nftByPlace(objects: JsonObject[]): JsonObject[] {
  const rank = ['table', 'chain', 'set', 'map', 'flowtable', 'counter', 'quota', 'limit', 'ct helper', 'rule'];
  const keyOf = (o: JsonObject): string => {
    const [kind, body] = Object.entries(o)[0] ?? ['?', null];
    const b = isObject(body) ? body : {};
    const r = rank.indexOf(kind);
    const place = [b.family, b.table ?? b.name, kind === 'rule' ? b.chain : b.name].map((x) => String(x ?? '')).join('\u0000');
    return `${String(r < 0 ? rank.length : r).padStart(2, '0')}\u0000${place}`;
  };
  return objects
    .map((o, i) => ({ o, i, k: keyOf(o) }))
    .sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : x.i - y.i))
    .map((x) => x.o);
}

/**
 * The snapshot with what differs between two sandboxes that were built the same way
 * taken out, for "up(D1) then up(D2) leaves the same state as up(D2) on a fresh host":
 * random MAC addresses (a link's address and permanent address; unicast MACs in the fdb)
 * and what the kernel derives from them, the IPv6 link-local addresses (also as routes
 * of the local table); a bridge's TSO limits, which follow whatever ports it ever had
 * (a bridge that lost its last port keeps them, a new one starts at 64 KiB); the listing
 * order of nft tables and chains (see nftByPlace). Everything a design sets stays, a MAC a design sets included
 * only by way of its effects (compare MACs separately where a design sets them).
 */
export function portableSnapshot(s: Snapshot): Snapshot {
  const namespaces: Record<string, NamespaceSnapshot> = {};
  for (const [name, ns] of Object.entries(s.namespaces)) {
    const links: Record<string, JsonObject> = {};
    for (const [ifname, l] of Object.entries(ns.links)) {
      const bridge = isObject(l.linkinfo) && l.linkinfo.info_kind === 'bridge';
      links[ifname] = omit(l, bridge ? [...MAC_FIELDS, ...BRIDGE_INHERITED] : MAC_FIELDS);
    }
    const addresses: Record<string, JsonObject> = {};
    for (const [key, a] of Object.entries(ns.addresses)) {
      if (typeof a.local === 'string' && LINK_LOCAL_V6.test(a.local)) {
        addresses[`${key.split(' ')[0]!} ${LL}/${String(a.prefixlen)}`] = { ...a, local: LL };
      } else addresses[key] = a;
    }
    const routes = ns.routes
      .map((r): JsonObject => {
        const out: JsonObject = { ...r };
        if (typeof r.dst === 'string' && LINK_LOCAL_V6.test(r.dst) && r.dst !== 'fe80::/64') out.dst = LL;
        if (typeof r.prefsrc === 'string' && LINK_LOCAL_V6.test(r.prefsrc)) out.prefsrc = LL;
        return out;
      })
      .sort(byRendering);
    const fdb = ns.fdb.map((e) => (typeof e.mac === 'string' && !isMulticastMac(e.mac) ? { ...e, mac: '(mac)' } : e)).sort(byRendering);
    namespaces[name] = { ...ns, links, addresses, routes, fdb, nft: ns.nft && nftByPlace(ns.nft) };
  }
  return { namespaces, unsettled: s.unsettled };
}
