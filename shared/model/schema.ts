// The design document (NAME.wireplan.json), current version. Structure only: the schema
// checks shapes and types so a file can be loaded; semantic checks (address syntax,
// name rules, references) are validation rules, so a half-edited design still opens
// and shows diagnostics instead of refusing to load.
import { z } from 'zod';

export const CURRENT_VERSION = 2;

const text = (max: number) => z.string().max(max);
const id = text(64);
const cidrList = z.array(text(64)).max(64).default([]);

export const RouteSchema = z.strictObject({
  /** "default" or a destination prefix such as 10.1.0.0/16. */
  to: text(64),
  via: text(64).optional(),
  /** Kernel interface name in the same namespace. */
  dev: text(32).optional(),
  metric: z.number().int().optional(),
  /**
   * A route with this destination and metric that is already on the host (someone else's)
   * is replaced, and restored exactly on down and rollback. Without it, such a route is
   * refused as foreign and never touched.
   */
  takeOver: z.boolean().optional(),
  /** Why the route is there (e.g. inferred when a namespace joined a segment): shown in the designer, never sent to a host. */
  note: text(300).optional(),
});

export const NicSchema = z.strictObject({
  name: text(32),
  /** Carries the SSH session to this host: Wireplan refuses to move, enslave or readdress it. */
  management: z.boolean().default(false),
  mtu: z.number().int().optional(),
});

export const InterfaceSysctlSchema = z.strictObject({
  iface: text(32),
  forwarding: z.boolean().optional(),
  proxyArp: z.boolean().optional(),
});

const HostTargetUnion = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sandbox') }),
  z.strictObject({
    kind: z.literal('ssh'),
    address: text(253),
    port: z.number().int().default(22),
    user: text(32).default('root'),
    keyPath: text(4096).optional(),
    /**
     * A Host alias of the user's OpenSSH config: HostName, User, Port, IdentityFile and the
     * rest come from `ssh -G ALIAS` (address, user and port here are then not used).
     */
    alias: text(253).optional(),
    /** Jump hosts, as OpenSSH's ProxyJump / ssh -J: `user@jump[:port],...` (wins over the ssh config's). */
    jump: text(1024).optional(),
    /** A server of the user's inventory (`wireplan hosts`): its entry says how to reach it. */
    server: text(64).optional(),
  }),
]);

/** `{ kind: 'ssh', alias }` alone names a target: its address defaults to the alias. */
export const HostTargetSchema = z.preprocess((v) => {
  if (typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'ssh') {
    const t = v as { alias?: unknown; address?: unknown; server?: unknown };
    if (typeof t.alias === 'string' && t.address === undefined) return { ...v, address: t.alias };
    if (typeof t.server === 'string' && t.address === undefined) return { ...v, address: t.server };
  }
  return v;
}, HostTargetUnion);

export const HostSchema = z.strictObject({
  id,
  name: text(64),
  target: HostTargetSchema,
  /** Address other hosts use to reach this one for VXLAN stitching. */
  underlay: text(64).optional(),
  /** NIC that carries `underlay`: the tunnels of stretched segments send through it (and its MTU bounds theirs). */
  underlayDev: text(32).optional(),
  nics: z.array(NicSchema).max(256).default([]),
  /** Static routes in the host's root namespace (e.g. /32 routes via a macvlan shim). */
  routes: z.array(RouteSchema).max(1024).default([]),
  sysctls: z
    .strictObject({
      ipForward: z.boolean().optional(),
      ipv6Forward: z.boolean().optional(),
      interfaces: z.array(InterfaceSysctlSchema).max(256).default([]),
    })
    .default({ interfaces: [] }),
});

/**
 * A program the namespace runs (docs/programs.md): started by `up` inside the namespace,
 * stopped by `down` and rollback. The command is an argument vector, never shell text, so
 * no value of the design is ever parsed by a shell on the host.
 */
export const ProgramSchema = z.strictObject({
  /** Names it on the host (pid file and log under /run/wireplan/TAG/): [a-z][a-z0-9_-]*, unique per namespace. */
  name: text(32),
  /** argv: argv[0] is the program (a path, or a name looked up in PATH), the rest its arguments. */
  command: z.array(text(4096)).max(256),
  /** Working directory (absolute); the namespace's root directory (/) when omitted. */
  cwd: text(4096).optional(),
  /** Extra environment variables (the program starts with PATH, HOME=/ and these only). */
  env: z.record(z.string().max(128), text(4096)).default({}),
  /** Started again whenever it exits (a small supervisor loop); otherwise it stays exited with its code. */
  restart: z.boolean().default(false),
  /** TCP ports it serves: the connectivity check connects to the program there instead of its own listener. */
  ports: z.array(z.number().int()).max(32).default([]),
});

export const NamespaceSchema = z.strictObject({
  id,
  name: text(64),
  host: id,
  loopback: z.boolean().default(true),
  routes: z.array(RouteSchema).max(1024).default([]),
  sysctls: z
    .strictObject({ ipForward: z.boolean().optional(), ipv6Forward: z.boolean().optional() })
    .default({}),
  programs: z.array(ProgramSchema).max(64).default([]),
});

/** Fields shared by every interface Wireplan creates. */
const interfaceFields = {
  /** Kernel name; derived from the element name when omitted. */
  ifname: text(32).optional(),
  addresses: cidrList,
  mac: text(32).optional(),
  mtu: z.number().int().optional(),
  up: z.boolean().default(true),
};

export const BridgeSchema = z.strictObject({
  id,
  name: text(64),
  /** Host id (root namespace) or namespace id. */
  at: id,
  ...interfaceFields,
  stp: z.boolean().default(false),
  vlanFiltering: z.boolean().default(false),
  /** Physical NICs of the host enslaved to this bridge. */
  nics: z.array(text(32)).max(64).default([]),
  /** UDP port of the VXLAN tunnels that stretch this bridge to other hosts (default 4789). */
  stitchPort: z.number().int().optional(),
});

/**
 * Impairments of a veth link, Mininet/CORE style: applied as `tc` qdiscs on the egress of
 * an end (what that end sends). All optional; rate in kbit/s, times in milliseconds,
 * the rest in percent. See docs/impairments.md.
 */
export const ImpairSchema = z.strictObject({
  /** Rate limit in kbit/s (token bucket filter). */
  rateKbit: z.number().optional(),
  /** Added one-way delay, ms (netem). */
  delayMs: z.number().optional(),
  /** Random variation of the delay, +/- ms (needs a delay). */
  jitterMs: z.number().optional(),
  /** Packets dropped at random, percent. */
  lossPct: z.number().optional(),
  /** Packets sent twice, percent. */
  duplicatePct: z.number().optional(),
  /** Packets with a flipped bit, percent. */
  corruptPct: z.number().optional(),
  /** Packets sent at once, ahead of the delayed rest, percent (needs a delay). */
  reorderPct: z.number().optional(),
});

export const VethEndSchema = z.strictObject({
  /** Host id (root namespace), namespace id, or bridge id (enslaved to it). */
  at: id,
  ...interfaceFields,
  /** PVID when the end is a port of a vlan-filtering bridge. */
  pvid: z.number().int().optional(),
  /** Impairments of what this end sends (not together with the link's own). */
  impair: ImpairSchema.optional(),
});

export const VethSchema = z.strictObject({
  id,
  name: text(64),
  a: VethEndSchema,
  b: VethEndSchema,
  /** Impairments of the whole link: both ends, so both directions. */
  impair: ImpairSchema.optional(),
});

export const MacvlanSchema = z.strictObject({
  id,
  name: text(64),
  kind: z.enum(['macvlan', 'ipvlan']),
  /** Host id (root namespace: a "shim") or namespace id. */
  at: id,
  /** Parent NIC name on the host. */
  parent: text(32),
  /** macvlan: bridge|private|vepa|passthru; ipvlan: l2|l3|l3s. */
  mode: z.enum(['bridge', 'private', 'vepa', 'passthru', 'l2', 'l3', 'l3s']),
  ...interfaceFields,
});

export const VlanSchema = z.strictObject({
  id,
  name: text(64),
  /** Parent NIC name on the host. */
  parent: text(32),
  vlanId: z.number().int(),
  /** Host id or namespace id. */
  at: id,
  ...interfaceFields,
  /** Bridge id to enslave the sub-interface to, instead of addressing it. */
  bridge: id.optional(),
});

export const VxlanSchema = z.strictObject({
  id,
  name: text(64),
  /** Host id or namespace id. */
  at: id,
  vni: z.number().int(),
  remote: text(64).optional(),
  group: text(64).optional(),
  local: text(64).optional(),
  port: z.number().int().default(4789),
  /** Underlay NIC name (required with a multicast group). */
  dev: text(32).optional(),
  learning: z.boolean().default(true),
  /** Bridge id to enslave the VXLAN device to. */
  bridge: id.optional(),
  ...interfaceFields,
});

export const MasqueradeSchema = z.strictObject({
  id,
  name: text(64),
  /** Where the NAT happens: host id or namespace id. */
  at: id,
  source: text(64),
  /** Kernel name of the egress interface; any interface when omitted. */
  egress: text(32).optional(),
  /**
   * Kernel name of an interface this masquerade never applies to: "out of anything but
   * this bridge" (`-s S ! -o br0 -j MASQUERADE`). Not together with `egress`.
   */
  egressExcept: text(32).optional(),
});

export const PortForwardSchema = z.strictObject({
  id,
  name: text(64),
  at: id,
  protocol: z.enum(['tcp', 'udp']),
  port: z.number().int(),
  /** Only traffic to this local address; any when omitted. */
  listen: text(64).optional(),
  /** Only traffic arriving on this interface; any when omitted. */
  ingress: text(32).optional(),
  to: text(64),
  toPort: z.number().int().optional(),
  /** Also forward connections the host itself opens to the published port. */
  hostLocal: z.boolean().default(true),
});

/** Connection-tracking states a forward-policy rule can match (`ct state`, `-m state --state`). */
export const CT_STATES = ['new', 'established', 'related', 'invalid'] as const;
export type CtState = (typeof CT_STATES)[number];

export const PolicyRuleSchema = z.strictObject({
  from: text(64).optional(),
  to: text(64).optional(),
  /** Kernel name of the interface the packet arrived on (`-i`): a NIC, bridge or veth of the router. */
  in: text(32).optional(),
  /** Kernel name of the interface the packet leaves by (`-o`). */
  out: text(32).optional(),
  /** Only packets in one of these conntrack states (`-m state --state NEW,INVALID`); any when omitted. */
  state: z.array(z.enum(CT_STATES)).max(4).optional(),
  protocol: z.enum(['any', 'tcp', 'udp', 'icmp']).default('any'),
  /** "80" or "8000-8100"; tcp/udp only. */
  ports: text(16).optional(),
  action: z.enum(['accept', 'drop']).default('accept'),
});

export const PolicySchema = z.strictObject({
  id,
  name: text(64),
  /** The router whose forwarding path is filtered: host id or namespace id. */
  at: id,
  /** Forwarded traffic to these prefixes is governed by this policy. */
  protects: z.array(text(64)).max(64),
  defaultAction: z.enum(['drop', 'accept']).default('drop'),
  allowEstablished: z.boolean().default(true),
  rules: z.array(PolicyRuleSchema).max(512).default([]),
});

const Point = z.strictObject({ x: z.number(), y: z.number() });

export const LayoutSchema = z
  .strictObject({
    nodes: z.record(z.string().max(64), Point).default({}),
    frames: z
      .record(z.string().max(64), z.strictObject({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }))
      .default({}),
  })
  .default({ nodes: {}, frames: {} });

export const DesignSchema = z.strictObject({
  wireplan: z.literal(CURRENT_VERSION),
  /** Short tag naming this design's objects on hosts (nft table, interface aliases). */
  tag: text(32),
  name: text(128),
  description: text(4096).optional(),
  hosts: z.array(HostSchema).max(64),
  namespaces: z.array(NamespaceSchema).max(10000).default([]),
  bridges: z.array(BridgeSchema).max(10000).default([]),
  veths: z.array(VethSchema).max(20000).default([]),
  macvlans: z.array(MacvlanSchema).max(10000).default([]),
  vlans: z.array(VlanSchema).max(10000).default([]),
  vxlans: z.array(VxlanSchema).max(10000).default([]),
  masquerades: z.array(MasqueradeSchema).max(1000).default([]),
  portForwards: z.array(PortForwardSchema).max(10000).default([]),
  policies: z.array(PolicySchema).max(1000).default([]),
  layout: LayoutSchema,
});

/** The file as written: the design plus the JSON Schema editors validate it with (Save writes it; loading drops it). */
export const DesignFileSchema = DesignSchema.extend({ $schema: z.string().max(2048).optional() });

export type Design = z.output<typeof DesignSchema>;
export type DesignInput = z.input<typeof DesignSchema>;
export type Host = Design['hosts'][number];
export type Nic = Host['nics'][number];
export type Route = z.output<typeof RouteSchema>;
export type Namespace = Design['namespaces'][number];
export type Program = Namespace['programs'][number];
export type Bridge = Design['bridges'][number];
export type Veth = Design['veths'][number];
export type VethEnd = Veth['a'];
export type Impair = z.output<typeof ImpairSchema>;
export type Macvlan = Design['macvlans'][number];
export type Vlan = Design['vlans'][number];
export type Vxlan = Design['vxlans'][number];
export type Masquerade = Design['masquerades'][number];
export type PortForward = Design['portForwards'][number];
export type Policy = Design['policies'][number];
export type PolicyRule = Policy['rules'][number];
export type Layout = Design['layout'];

/** Collections of elements that carry an id, in a fixed order (used for lookups and output). */
export const ELEMENT_COLLECTIONS = [
  'hosts',
  'namespaces',
  'bridges',
  'veths',
  'macvlans',
  'vlans',
  'vxlans',
  'masquerades',
  'portForwards',
  'policies',
] as const;
export type ElementCollection = (typeof ELEMENT_COLLECTIONS)[number];
