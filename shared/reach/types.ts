// The connectivity check's data: which probes to run (a source namespace, a destination
// address, ICMP or a TCP port), what the design says each one should do (reach or
// blocked, with the chain of reasons and the path it takes), and how a live result
// compares. Plain data: JSON-safe, so it crosses the process boundary as is.

export type Verdict = 'reach' | 'blocked';
export type ProbeKind = 'ping' | 'tcp';
export type Family = 4 | 6;

/** A place packets start from or land in: a host's root namespace or one namespace. */
export interface ScopeRef {
  /** Validation's scope key (host id, or host id + NUL + namespace id). */
  key: string;
  hostId: string;
  hostName: string;
  /** Netns name; '' for the host's root namespace. */
  ns: string;
  /** Short name for tables: "lab" (root) or "lab/app1". */
  name: string;
}

/** Why a probe is in the matrix. */
export type ProbeOrigin =
  | { kind: 'address'; elementId: string }
  | { kind: 'port-forward'; elementId: string }
  | { kind: 'policy'; elementId: string; rule?: number };

export interface ProbeSpec {
  /** Stable within one matrix: "p1", "p2" ... */
  id: string;
  kind: ProbeKind;
  family: Family;
  from: ScopeRef;
  /** Canonical destination address. */
  to: string;
  /** TCP destination port. */
  port?: number;
  /** What the destination is, for people: 'veth "app1 uplink" end a on lab/app1', 'port forward "web" (tcp/8080)'. */
  target: string;
  origin: ProbeOrigin;
}

export type ReasonCode =
  /** The destination is an address of the scope the packet is in. */
  | 'delivered'
  /** A connected subnet or a route sends it to a neighbour on a segment. */
  | 'route'
  /** Next hop found on the segment (bridged through these bridges). */
  | 'segment'
  /** A router forwards it (ip_forward on). */
  | 'forwards'
  | 'masquerade'
  | 'dnat'
  /** Connection tracking undoes NAT on the reply. */
  | 'un-nat'
  | 'policy-accept'
  | 'established'
  /** Bridged traffic passes this scope's netfilter hooks (bridge-nf-call-iptables=1). */
  | 'bridge-netfilter'
  // ---- blocking causes
  | 'policy-drop'
  | 'no-route'
  | 'forwarding-off'
  | 'link-down'
  | 'no-neighbour'
  | 'macvlan-isolated'
  | 'martian'
  | 'no-source'
  | 'reply-bypasses-nat'
  /** Bridge netfilter DNAT'ed a frame back towards the port it came from (no hairpin mode). */
  | 'hairpin-port'
  | 'reply-elsewhere'
  | 'loop'
  /** The design cannot say: the packet leaves through the host's own routes or NICs. */
  | 'outside-design';

export const BLOCKING: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'policy-drop',
  'no-route',
  'forwarding-off',
  'link-down',
  'no-neighbour',
  'macvlan-isolated',
  'martian',
  'no-source',
  'reply-bypasses-nat',
  'hairpin-port',
  'reply-elsewhere',
  'loop',
  'outside-design',
]);

export interface Reason {
  code: ReasonCode;
  /** One line for people: "lab forwards it (ip_forward on)". */
  text: string;
  /** A few words for the matrix's "why" column: "routed by lab", "DNAT at lab". */
  short?: string;
  /** Scope (ScopeRef.name) where it happens. */
  at?: string;
  /** Design element responsible (policy, port forward, masquerade, interface element). */
  element?: string;
  /** Policy rule index when a rule decided (undefined = the policy's default action). */
  rule?: number;
  dir: 'forward' | 'reply';
}

/** The route a scope uses for a packet. */
export interface RouteUse {
  /** "default", "10.0.0.0/24" ... as the kernel shows it. */
  to: string;
  via?: string;
  dev: string;
  kind: 'connected' | 'static';
}

/** One scope the packet passes through, in order. */
export interface Hop {
  scope: ScopeRef;
  /** Kernel name of the interface it arrived on (absent where it starts). */
  inIf?: string;
  /** What the scope does with it. */
  role: 'send' | 'forward' | 'bridge' | 'deliver' | 'drop';
  route?: RouteUse;
  outIf?: string;
  /** Neighbour address the packet is handed to (gateway, or the destination itself). */
  nextHop?: string;
  /** Packet addresses as the scope sees them on arrival (after its own DNAT). */
  src: string;
  dst: string;
  dport?: number;
  /** Firewall elements that acted here (design element ids). */
  firewall?: string[];
  /** Bridge (kernel name) for role 'bridge'. */
  bridge?: string;
  /** Interfaces the frame crosses to the next hop (both ends included), where they live. */
  segment?: SegmentIface[];
}

export interface SegmentIface {
  hostId: string;
  /** Netns name ('' = root). */
  ns: string;
  ifname: string;
  /** Bridge (kernel name) it must be enslaved to. */
  master?: string;
  /** Design element, for messages. */
  label: string;
}

export interface Expectation {
  probe: ProbeSpec;
  expect: Verdict;
  /** The chain of reasons, forward path then reply. */
  reasons: Reason[];
  path: Hop[];
  reply: Hop[];
  /** Where the packet (a TCP connection: its listener) lands when the forward path delivers. */
  landsAt?: { scope: ScopeRef; address: string; port?: number };
  /** Source address the destination sees (after masquerade). */
  seenFrom?: string;
  /** True when a masquerade rewrote the source on the way. */
  masqueraded?: boolean;
  /** False when the outcome depends on what the design does not hold (the host's own routes or LAN). */
  predictable?: false;
}

/** A temporary TCP listener the check starts: it answers with its id so a probe knows where it landed. */
export interface ListenerSpec {
  id: string;
  scope: ScopeRef;
  /** Bound to this address only (so a connection that lands on another address is refused, not mistaken). */
  address: string;
  port: number;
  /** Probes that may land on it. */
  probes: string[];
}

/** Facts about a host that the design does not hold but that change what the kernel does. */
export interface ScopeFacts {
  /** /proc/sys/net/bridge/bridge-nf-call-iptables (and -ip6tables): bridged traffic passes netfilter. */
  bridgeNetfilter4?: boolean;
  bridgeNetfilter6?: boolean;
}

/** Facts keyed by factKey(hostId, netns name). */
export type Facts = Record<string, ScopeFacts>;

export function factKey(hostId: string, ns: string): string {
  return `${hostId}/${ns}`;
}

export interface ProbePlan {
  design: { name: string; tag: string };
  probes: ProbeSpec[];
  listeners: ListenerSpec[];
  /** Candidates before the cap. */
  candidates: number;
  /** Candidates left out because the design cannot predict them (they leave through the host's own routes). */
  unpredictable: number;
  notes: string[];
}

export interface Matrix extends ProbePlan {
  expectations: Expectation[];
}
