// The observed-state model: what a host really has, as read from `ip -j`, `bridge -j`,
// `nft`, `iptables-save -c` and sysctl. Plain data (structured-clone and JSON safe), so it
// crosses the process boundary as is.
//
// Everything here is DATA from the host, including names and aliases chosen by whoever
// configured it: an alias may hold markup, shell syntax, quotes, newlines or control
// characters, and an interface may be called `__proto__`. Consumers render it as text and
// look things up with arrays/Maps or Object.hasOwn, never by interpolating it anywhere.

export type LinkKind =
  | 'veth'
  | 'bridge'
  | 'macvlan'
  | 'ipvlan'
  | 'vxlan'
  | 'vlan'
  | 'tun'
  | 'physical'
  | 'loopback'
  | 'other';

export interface LinkStats {
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
  rxErrors?: number;
  rxDropped?: number;
  txErrors?: number;
  txDropped?: number;
}

export interface ObservedLink {
  ifindex: number;
  ifname: string;
  kind: LinkKind;
  /** linkinfo.info_kind exactly as reported ("veth", "tun", "ifb", "dummy"...); absent for NICs and lo. */
  infoKind?: string;
  /** False when the output had no `-d` details, so `kind` could not be determined ('other'). */
  detailed: boolean;
  /** ifalias, byte-for-byte as the kernel holds it (Wireplan's ownership tag when it made the link). */
  alias?: string;
  mtu?: number;
  /** Link-layer address (lower-case as ip prints it). */
  mac?: string;
  operstate?: string;
  /** Interface flags as printed (UP, LOWER_UP, BROADCAST, NO-CARRIER, M-DOWN...). */
  flags: string[];
  /** Administratively up (the UP flag), which is what `ip link set X up` controls. */
  up: boolean;
  /** Carrier (LOWER_UP). */
  lowerUp: boolean;
  /** Name of the master device (bridge) in the same namespace. */
  master?: string;
  /** `link` field: the peer (veth) or parent (macvlan, vlan) by name, when it is in the same namespace. */
  link?: string;
  /**
   * Peer/parent ifindex: `link_index` when it lives in another namespace, otherwise resolved
   * from `link` within this namespace (when that name is present).
   */
  linkIndex?: number;
  /** `link_netnsid`: nsid, as numbered by THIS namespace, of the namespace holding the peer/parent. */
  linkNetnsid?: number;
  macvlan?: { mode?: string };
  ipvlan?: { mode?: string };
  vxlan?: {
    id?: number;
    remote?: string;
    group?: string;
    local?: string;
    port?: number;
    /** Underlay device name (`link` inside info_data). */
    dev?: string;
  };
  vlan?: { id?: number; protocol?: string };
  bridge?: { stpState?: number; vlanFiltering?: boolean };
  /** This link is a bridge port (info_slave_kind bridge): its STP port state. */
  bridgePort?: { state?: string };
  tun?: { type?: string };
  stats?: LinkStats;
}

export interface ObservedAddress {
  ifindex: number;
  ifname: string;
  family: 4 | 6;
  /** Canonical address text (shared/net/ip.ts), e.g. "fd10::1". */
  local: string;
  prefixlen: number;
  /** Canonical interface prefix, e.g. "10.0.0.1/24" (host bits kept). */
  cidr: string;
  /** Point-to-point peer address (`address` in ip's JSON), canonical. */
  peer?: string;
  broadcast?: string;
  scope?: string;
  label?: string;
  /** Boolean address flags that are set: tentative, dadfailed, deprecated, dynamic, ... */
  flags: string[];
  validLifetime?: number;
  preferredLifetime?: number;
}

export interface ObservedNexthop {
  gateway?: string;
  dev?: string;
  weight?: number;
}

export interface ObservedRoute {
  family: 4 | 6;
  /** Canonical destination network: "0.0.0.0/0" for default, "10.77.0.5/32" for a host route. */
  dst: string;
  /** `dst` exactly as printed ("default", "10.77.0.5"...). */
  dstRaw: string;
  /** "unicast" unless ip printed another type (local, broadcast, blackhole, multicast...). */
  type: string;
  /** "main" unless ip printed another table ("local", "100"...). */
  table: string;
  gateway?: string;
  dev?: string;
  /** As printed; absent means the kernel default (0 for IPv4). */
  metric?: number;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
  nexthops?: ObservedNexthop[];
  flags: string[];
}

/** One entry of `ip -j netns list` / `netns list-id`, numbered from the listing namespace's view. */
export interface NetnsId {
  /** Absent for namespaces without a name under /run/netns (the root namespace, containers). */
  name?: string;
  nsid?: number;
}

export interface BridgePort {
  ifindex: number;
  ifname: string;
  master?: string;
  state?: string;
  priority?: number;
  cost?: number;
  flags: string[];
  mtu?: number;
}

export interface BridgeVlan {
  vid: number;
  /** Last vid of a range (`bridge -c vlan show`), else absent. */
  vidEnd?: number;
  pvid: boolean;
  untagged: boolean;
}

export interface BridgeVlanPort {
  ifname: string;
  vlans: BridgeVlan[];
}

export interface Counter {
  packets: number;
  bytes: number;
}

export interface NftTable {
  family: string;
  name: string;
  handle?: number;
  /** Table comment (Wireplan writes `wireplan:<tag>:<digest>`); see NftRuleset.tableCommentsObserved. */
  comment?: string;
}

export interface NftChain {
  family: string;
  table: string;
  name: string;
  handle?: number;
  type?: string;
  hook?: string;
  prio?: number | string;
  policy?: string;
  comment?: string;
}

export interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle?: number;
  comment?: string;
  /** The rule's (first) anonymous counter. */
  counter?: Counter;
  /** Human-readable rule text (nft syntax, rebuilt from JSON or as printed). */
  summary: string;
}

export interface NftRuleset {
  /** nftables version when the output said (JSON metainfo). */
  version?: string;
  tables: NftTable[];
  chains: NftChain[];
  rules: NftRule[];
  /**
   * Whether table comments could be seen at all. nft 1.0.6's JSON output omits table
   * comments (verified on Debian 12), so a JSON-only snapshot cannot tell "no comment"
   * from "not shown"; the text form (`nft list ruleset`) always shows them.
   */
  tableCommentsObserved: boolean;
  /** Count of other objects (sets, maps, named counters, flowtables...) not modelled here. */
  otherObjects: number;
}

export interface IptablesChain {
  name: string;
  /** ACCEPT/DROP for built-in chains; absent for user chains ("-"). */
  policy?: string;
  builtin: boolean;
  counter?: Counter;
}

export interface IptablesRule {
  chain: string;
  counter?: Counter;
  /** Arguments after `-A CHAIN`, unquoted. */
  args: string[];
  /** `-m comment --comment` value, unquoted (may contain anything, newlines included). */
  comment?: string;
  /** `-j`/`-g` target. */
  target?: string;
}

export interface IptablesTable {
  name: string;
  chains: IptablesChain[];
  rules: IptablesRule[];
}

export interface IptablesRuleset {
  /** From the "# Generated by iptables-save v1.8.9 (nf_tables)" header. */
  version?: string;
  backend?: 'nf_tables' | 'legacy';
  tables: IptablesTable[];
}

export interface FirewallInfo {
  iptables?: { version?: string; backend: 'nf_tables' | 'legacy' | 'unknown' };
  nft?: { version?: string };
}

/** Which parts of a namespace's state were actually observed in this snapshot. */
export interface ObservedParts {
  links: boolean;
  addresses: boolean;
  routes: boolean;
  sysctls: boolean;
  nft: boolean;
  iptables: boolean;
  bridgeVlans: boolean;
  nsids: boolean;
}

export interface ObservedNamespace {
  /** Netns name; "" is the host's root namespace. */
  name: string;
  /** The nsid the ROOT namespace assigned to this namespace (root `ip netns list`), if any. */
  nsid?: number;
  links: ObservedLink[];
  addresses: ObservedAddress[];
  routes: ObservedRoute[];
  /** Other namespaces as numbered from THIS namespace (`netns list-id`). */
  nsids: NetnsId[];
  /** key -> value as sysctl prints it (null-prototype object: look up with Object.hasOwn). */
  sysctls: Record<string, string>;
  nft?: NftRuleset;
  iptables?: IptablesRuleset;
  ip6tables?: IptablesRuleset;
  bridgePorts?: BridgePort[];
  bridgeVlans?: BridgeVlanPort[];
  /**
   * The qdiscs of the interfaces whose link impairments the design checks (tc-qdisc.ts),
   * with the runtime's record of what Wireplan set. Absent: not observed; an interface
   * not listed: not observed either.
   */
  qdiscs?: ObservedQdiscs[];
  observed: ObservedParts;
  warnings: string[];
}

/** One line of `tc qdisc show` (normalized: no refcnt). */
export interface ObservedQdisc {
  kind: string;
  /** "5770:", "0:" (the kernel's default). */
  handle: string;
  root?: true;
  /** "5770:1" for a child. */
  parent?: string;
  /** The rest of the line as tc prints it ("rate 1Mbit burst 16000b lat 50ms"). */
  options: string;
}

/** An interface's qdiscs, as the runtime's probe (wp_probe_qdisc) reads them. */
export interface ObservedQdiscs {
  ifname: string;
  /** `tc qdisc show dev IF` failed (the interface does not exist): why. */
  error?: string;
  /** The text as wp_qdisc_text keeps it (no refcnt, no trailing spaces), line by line. */
  show: string;
  qdiscs: ObservedQdisc[];
  /** The runtime's record (/run/wireplan/TAG/qdisc/NS@IF): absent when there is none. */
  record?: { digest: string; show: string };
}

/** A program of the design (docs/programs.md), from the runtime's records on the host. */
export type ObservedProgram = { ns: string; name: string; digest: string } & (
  | { state: 'running'; pid: number }
  | { state: 'exited'; exitCode: number }
  /** Its supervisor is gone without recording an exit (killed with SIGKILL). */
  | { state: 'gone' }
);

export interface ObservedHost {
  /** /proc/sys/kernel/random/boot_id: a change means the host rebooted. */
  bootId?: string;
  /** Milliseconds since the epoch when the snapshot was taken (collector's clock). */
  collectedAt: number;
  namespaces: ObservedNamespace[];
  firewall: FirewallInfo;
  /** The design's programs (absent: not observed in this snapshot). */
  programs?: ObservedProgram[];
  warnings: string[];
}
